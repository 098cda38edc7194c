/**
 * The endpoint's object I/O on the local cloud's S3 store, in the same process (the ObjectStore port of
 * sagemaker-async/object-store.ts). SageMaker reads InputLocation and writes output and failure objects
 * inside AWS, with no client call anyone could observe
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-check-predictions.html), so the
 * emulator need not go through an SDK client, HTTP, the edge and s3rver's routing to reach a store it
 * shares a process with. What it must keep is everything an S3 user can see, so each call takes the
 * path s3rver's own controller takes (node_modules/s3rver/lib/controllers/object.js) below the wire:
 *
 * - the key guard's rules (key-guard.ts) and the bucket check (NoSuchBucket), with S3's error codes;
 * - a write is `store.putObject` with the metadata s3rver keeps from a PutObject's headers (the
 *   Content-Type, an SDK's `application/octet-stream` when none is given): a commit of object-writes.ts
 *   (temporary file, MD5, journal, rename), so a later GetObject over HTTP answers the same body, ETag
 *   and headers;
 * - the write then emits s3rver's `ObjectCreated:Put` event, which notifications.ts sends on as S3
 *   would: the bucket's notification rules apply as to any PUT;
 * - a read is `store.getObject`, which takes its turn with commits of the object (atomic-store.ts).
 *
 * Not on this path: fault injection (edge/faults.ts refuses HTTP requests only), the browser guard and
 * aws-chunked decoding, which concern HTTP clients.
 */

import type { Readable } from 'node:stream';
import S3Event from 's3rver/lib/models/event';
import S3Object from 's3rver/lib/models/object';
import { errorCode, readAtMost, type ObjectStore } from '../sagemaker-async/object-store';
import type { S3Mount } from './mount';
import { nameRefusal } from './key-guard';

/**
 * The Content-Type of an output with none: what an SDK PutObject of bytes with no ContentType sends (its
 * protocol's media type for a blob payload), so the object reads back as when the endpoint wrote it
 * through an S3 client. s3rver alone would store `binary/octet-stream`.
 */
const UNTYPED = 'application/octet-stream';

/** Who the event says made the request: the local cloud itself, on loopback. */
const LOCAL_REQUEST = { reqHeaders: { host: '127.0.0.1' }, sourceIp: '127.0.0.1' };

export const directObjects = ({ s3rver, store }: Pick<S3Mount, 's3rver' | 'store'>): ObjectStore => {
  /** The S3 error code a request for this bucket and key gets before its object is looked at, if any. */
  const refusal = async (bucket: string, key: string): Promise<string | undefined> =>
    nameRefusal(bucket, key)?.code ?? ((await store.getBucket(bucket)) ? undefined : 'NoSuchBucket');

  return {
    // No abort signal: a read of a local file cannot hang, and the endpoint checks its signal after it.
    read: async ({ bucket, key }, limit) => {
      try {
        const refused = await refusal(bucket, key);
        if (refused) return { kind: 'error', code: refused };
        // An empty key is a bucket, never an object.
        const object = key === '' ? null : ((await store.getObject(bucket, key)) as S3Object | null);
        if (!object) return { kind: 'error', code: 'NoSuchKey' };
        const content = object.content as Readable;
        if (object.size > limit) {
          content.destroy();
          return { kind: 'tooLarge', bytes: object.size };
        }
        return await readAtMost(content, limit);
      } catch (error) {
        return { kind: 'error', code: errorCode(error) };
      }
    },
    write: async ({ bucket, key }, body, contentType) => {
      try {
        const refused = key === '' ? 'InvalidArgument' : await refusal(bucket, key);
        if (refused) return refused;
        // What s3rver's object model keeps of a PutObject's headers.
        const { metadata } = new S3Object(bucket, key, null, { 'content-type': contentType || UNTYPED });
        const { md5, size } = await store.putObject({ bucket, key, content: body, metadata });
        const created = new S3Object(bucket, key, null, { 'content-length': size, etag: JSON.stringify(md5) });
        s3rver.emit('event', new S3Event({ bucket, eventType: 'Put', S3Item: created }, LOCAL_REQUEST));
        return undefined;
      } catch (error) {
        return errorCode(error);
      }
    },
  };
};
