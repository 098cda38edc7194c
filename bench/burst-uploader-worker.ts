/**
 * The burst's uploader thread (burst-uploader.ts starts it, bundled as dist/bench/burst-uploader.js):
 * its own S3 client, `concurrency` uploads in flight, optionally paced to `rate` starts per second.
 * Replies once with the time each upload started, or with the error that stopped it.
 */

import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parentPort, workerData } from 'node:worker_threads';
import type { UploadBurst } from './burst-uploader';

const { edgeUrl, region, bucket, keys, texts, concurrency, rate } = workerData as UploadBurst;
const port = parentPort;
if (!port) throw new Error('burst-uploader runs as a worker thread of the burst benchmark');

const s3 = new S3Client({
  endpoint: edgeUrl,
  region,
  forcePathStyle: true,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
const startedAt = new Array<number>(keys.length);
const t0 = Date.now();
let next = 0;
const upload = async () => {
  while (next < keys.length) {
    const i = next++;
    const wait = rate ? t0 + (i * 1000) / rate - Date.now() : 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    startedAt[i] = Date.now();
    const text = texts[i % texts.length] as string;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: keys[i], Body: text.replace('{i}', String(i)), ContentType: 'text/plain' }));
  }
};
Promise.all(Array.from({ length: concurrency }, upload)).then(
  () => port.postMessage({ startedAt }),
  (error: unknown) => port.postMessage({ error: String((error instanceof Error && error.stack) || error) }),
);
