/**
 * S3: s3rver's request handler, to mount on the edge, behind the guards s3rver needs (local/README.md,
 * Traps). No virtual-host buckets: s3rver would take the bucket from the Host header (the edge answers
 * only exact loopback names as well).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import S3rver from 's3rver';
import { replyAfterBody, s3Error, type RequestHandler } from '../edge/router';
import { atomicObjects } from './atomic-store';
import { decodedS3Request, isAwsChunked } from './aws-chunked';
import { browserRefusal, inertResponses } from './browser-guard';
import { cacheBucketState, type S3rverStore } from './bucket-cache';
import { canonicalCopySource, refuseUnstorableKey } from './key-guard';
import { ObjectWrites, writesFolder, type CommitFs } from './object-writes';
import { guardStore, type S3rverFilesystemStore } from './store-guard';
import { carriesXml, guardXmlBody } from './xml-guard';

export interface S3Mount {
  /** Emits an S3-shaped `event` for every object created or removed (s3/notifications.ts). */
  s3rver: S3rver;
  handle: RequestHandler;
  /** s3rver's file store, guarded, with atomic writes and its bucket cache: where S3 requests end, and what direct-objects.ts uses. */
  store: S3rverFilesystemStore & S3rverStore;
  /** Releases the store's commit journal (object-writes.ts). */
  close(): void;
}

export interface S3MountOptions {
  directory: string;
  bucket: string;
  /** Answers a request instead of s3rver and returns true (fault injection); runs after the key guard. */
  refuse?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** The file operations of object commits (object-writes.ts); a test may hold one to see who waits for it. */
  commitFs?: CommitFs;
}

/** Answers an S3 request a web page could have made the browser send, and returns true (browser-guard.ts). */
const refuseBrowserRequest = (req: IncomingMessage, res: ServerResponse): boolean => {
  const refusal = browserRefusal(req);
  if (refusal) replyAfterBody(req, res, refusal.status, { 'content-type': 'application/xml' }, s3Error(refusal.code, refusal.message));
  return refusal !== undefined;
};

/**
 * Removes s3rver's request logger (koa-logger 3, its first middleware), which formats two coloured
 * lines per request and pipes streamed bodies through a byte counter only for its `silent` logger to
 * drop them: about 3 % of the edge's CPU under bench:burst (docs/benchmarks.md, Where the CPU goes).
 */
const dropRequestLogger = (s3rver: S3rver): void => {
  const app = s3rver as unknown as { middleware: { name: string }[] };
  const at = app.middleware.findIndex((middleware) => middleware.name === 'logger');
  if (at >= 0) app.middleware.splice(at, 1);
};

export const mountS3rver = async ({ directory, bucket, refuse = () => false, commitFs }: S3MountOptions): Promise<S3Mount> => {
  const s3rver = new S3rver({ directory, silent: true, vhostBuckets: false, configureBuckets: [{ name: bucket }] });
  dropRequestLogger(s3rver);
  const store = (s3rver as unknown as { store: S3rverFilesystemStore & S3rverStore }).store;
  const writes = new ObjectWrites(writesFolder(directory), commitFs);
  await writes.recover();
  guardStore(store);
  atomicObjects(store, writes);
  cacheBucketState(store);
  await (s3rver as unknown as { configureBuckets(): Promise<void> }).configureBuckets();
  const s3Handler = (s3rver as unknown as { callback(): RequestHandler }).callback();
  const handle: RequestHandler = async (req, res) => {
    inertResponses(res);
    if (refuseUnstorableKey(req, res) || refuseBrowserRequest(req, res) || refuse(req, res)) return;
    const copySource = req.headers['x-amz-copy-source'];
    if (typeof copySource === 'string') req.headers['x-amz-copy-source'] = canonicalCopySource(copySource);
    if (carriesXml(req.method, req.url ?? '/')) {
      const checked = await guardXmlBody(req, res);
      if (checked) await s3Handler(checked, res);
      return;
    }
    return s3Handler(isAwsChunked(req.headers) ? decodedS3Request(req, res) : req, res);
  };
  return { s3rver, handle, store, close: () => writes.close() };
};
