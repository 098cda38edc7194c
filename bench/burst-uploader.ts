/**
 * Uploads the burst from a worker thread with its own S3 client (burst-uploader-worker.ts), as users'
 * uploads would come from elsewhere: the signing and HTTP work of the uploader does not compete with
 * the local cloud's own event loop. Resolves with the time each key's upload started.
 */

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface UploadBurst {
  edgeUrl: string;
  region: string;
  bucket: string;
  keys: string[];
  /** Bodies used in turn; `{i}` is replaced by the article's index. */
  texts: string[];
  concurrency: number;
  /** Uploads started per second at most; unset: as fast as they go. */
  rate?: number;
}

/** The uploader thread's program, as scripts/build.js bundles it. */
export const uploaderProgram = (projectRoot: string): string => join(projectRoot, 'dist', 'bench', 'burst-uploader.js');

export const uploadBurst = (program: string, burst: UploadBurst): Promise<Map<string, number>> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(program, {
      workerData: burst,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    worker.once('message', (reply: { startedAt?: number[]; error?: string }) => {
      void worker.terminate();
      if (reply.error || !reply.startedAt) reject(new Error(`the burst upload failed: ${reply.error}`));
      else resolve(new Map(burst.keys.map((key, i) => [key, (reply.startedAt as number[])[i] as number])));
    });
    worker.once('error', reject);
  });
