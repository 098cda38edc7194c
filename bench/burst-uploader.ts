import { Worker } from 'node:worker_threads';

/**
 * Uploads the burst from a worker thread with its own S3 client, as users' uploads would come from
 * elsewhere: the signing and HTTP work of the uploader does not compete with the local cloud's own
 * event loop. Resolves with the time each key's upload started.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { S3Client, PutObjectCommand } = require(workerData.s3Module);
const { edgeUrl, region, bucket, keys, texts, concurrency, rate } = workerData;
const s3 = new S3Client({ endpoint: edgeUrl, region, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
const startedAt = new Array(keys.length);
const t0 = Date.now();
let next = 0;
const upload = async () => {
  while (next < keys.length) {
    const i = next++;
    const wait = rate ? t0 + (i * 1000) / rate - Date.now() : 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    startedAt[i] = Date.now();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: keys[i], Body: texts[i % texts.length].replace('{i}', String(i)), ContentType: 'text/plain' }));
  }
};
Promise.all(Array.from({ length: concurrency }, upload)).then(
  () => parentPort.postMessage({ startedAt }),
  (error) => parentPort.postMessage({ error: String(error && error.stack || error) }),
);
`;

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

export const uploadBurst = (burst: UploadBurst): Promise<Map<string, number>> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(SOURCE, {
      eval: true,
      workerData: { ...burst, s3Module: require.resolve('@aws-sdk/client-s3') },
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    worker.once('message', (reply: { startedAt?: number[]; error?: string }) => {
      void worker.terminate();
      if (reply.error || !reply.startedAt) reject(new Error(`the burst upload failed: ${reply.error}`));
      else resolve(new Map(burst.keys.map((key, i) => [key, (reply.startedAt as number[])[i] as number])));
    });
    worker.once('error', reject);
  });
