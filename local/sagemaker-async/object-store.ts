/**
 * The endpoint's own S3 object I/O: it reads each request's InputLocation and writes each output and
 * failure object. SageMaker does both itself, inside AWS
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-check-predictions.html): no client
 * call of it can be observed, only the objects. Two implementations: `s3ClientObjects` below, on any
 * S3 an SDK client reaches (the endpoint's own tests run it against s3rver), and the local cloud's,
 * on its S3 store in the same process (local/s3/direct-objects.ts).
 */

import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Location } from './s3-location';

/** A read's result: the whole object, an object over the limit (never read past it), or an S3 error code. */
export type ObjectRead = { kind: 'object'; body: Buffer } | { kind: 'tooLarge'; bytes: number } | { kind: 'error'; code: string };

export interface ObjectStore {
  /** The object's bytes, unless it is larger than `limit`: then `tooLarge`, with no more than `limit` bytes held. */
  read(location: S3Location, limit: number, signal: AbortSignal): Promise<ObjectRead>;
  /** Stores `body` as the object (with its Content-Type); resolves to an S3 error code on failure instead of throwing. */
  write(location: S3Location, body: Buffer, contentType?: string): Promise<string | undefined>;
}

/** The code of an S3 error as SDK clients and s3rver's models carry it. */
export const errorCode = (error: unknown): string => {
  if (error && typeof error === 'object') {
    const e = error as { name?: string; code?: string; Code?: string; message?: string };
    return e.Code ?? e.code ?? e.name ?? e.message ?? 'Error';
  }
  return String(error);
};

/**
 * Reads a stream until its end, or until more bytes arrive than `limit` (a declared length cannot be
 * trusted): then destroys it. The body is kept whole, as the endpoint may send it to the model again.
 */
export const readAtMost = async (body: Readable, limit: number): Promise<ObjectRead> => {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    bytes += (chunk as Buffer).length;
    if (bytes > limit) {
      body.destroy();
      return { kind: 'tooLarge', bytes };
    }
    chunks.push(chunk as Buffer);
  }
  return { kind: 'object', body: Buffer.concat(chunks, bytes) };
};

/** GetObject and PutObject with an SDK client; a refused object by its Content-Length before any byte is read. */
export const s3ClientObjects = (s3: S3Client): ObjectStore => ({
  read: async ({ bucket, key }, limit, signal) => {
    try {
      const reply = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      const body = reply.Body as Readable | undefined;
      if (!body) return { kind: 'object', body: Buffer.alloc(0) };
      if ((reply.ContentLength ?? 0) > limit) {
        body.destroy();
        return { kind: 'tooLarge', bytes: reply.ContentLength ?? 0 };
      }
      return await readAtMost(body, limit);
    } catch (error) {
      return { kind: 'error', code: errorCode(error) };
    }
  },
  write: async ({ bucket, key }, body, contentType) => {
    try {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...(contentType ? { ContentType: contentType } : {}) }));
      return undefined;
    } catch (error) {
      return errorCode(error);
    }
  },
});
