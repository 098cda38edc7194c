/**
 * The last line of defence for s3rver's FilesystemStore: every path it builds from a request (bucket,
 * key, upload id, part number) must resolve inside its folder, whatever the edge's guards let through.
 * Object and part writes (atomic-store.ts) go through `writeWithMd5`, which handles a write error
 * (ENOSPC, EIO) by failing the request, which s3rver answers with 500 InternalError, where s3rver's own
 * write stream has no error handler and a full disk ended the process.
 */

import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** s3rver's FilesystemStore (node_modules/s3rver/lib/stores/filesystem.js), as far as the local cloud changes it. */
export interface S3rverFilesystemStore {
  rootDirectory: string;
  getBucketPath(bucket: string): string;
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
  getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<unknown>;
  putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: Record<string, unknown> }): Promise<{
    size: number;
    md5: string;
  }>;
  copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata: Record<string, unknown> | null,
  ): Promise<Record<string, unknown>>;
  deleteObject(bucket: string, key: string): Promise<unknown>;
  putPart(bucket: string, uploadId: string, partNumber: number | string, content: Readable): Promise<{ size: number; md5: string }>;
  putObjectMultipart(bucket: string, uploadId: string, parts: { number: number; etag: string }[]): Promise<{ size: number; md5: string }>;
  initiateUpload(bucket: string, key: string, uploadId: string, metadata: unknown): Promise<unknown>;
}

export class PathOutsideStoreError extends Error {
  constructor(path: string) {
    super(`the local S3 store refused a path outside its folder: ${JSON.stringify(path)}`);
    this.name = 'PathOutsideStoreError';
  }
}

/** `path` if it lies inside `root` (not root itself); throws otherwise. */
export const insideRoot = (root: string, path: string): string => {
  const rel = relative(resolve(root), resolve(path));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new PathOutsideStoreError(path);
  return path;
};

/** Writes `content` to `path`; the size and MD5 of what was written. Any stream error rejects. */
export const writeWithMd5 = async (
  path: string,
  content: Buffer | Readable,
  open: (path: string) => NodeJS.WritableStream = (p) => createWriteStream(p),
): Promise<{ size: number; md5: string }> => {
  const md5 = createHash('md5');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      md5.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  if (Buffer.isBuffer(content)) {
    count.end(content);
    await pipeline(count, open(path));
  } else {
    await pipeline(content, count, open(path));
  }
  return { size, md5: md5.digest('hex') };
};

export const guardStore = (store: S3rverFilesystemStore): void => {
  const root = store.rootDirectory;
  const { getBucketPath, getResourcePath, initiateUpload } = store;
  store.getBucketPath = (bucket) => insideRoot(root, getBucketPath.call(store, bucket));
  store.getResourcePath = (bucket, key, resource) => insideRoot(root, getResourcePath.call(store, bucket, key, resource));
  store.initiateUpload = (bucket, key, uploadId, metadata) => {
    uploadFolder(store, bucket, uploadId);
    return initiateUpload.call(store, bucket, key, uploadId, metadata);
  };
};

/** The folder of a multipart upload (its key, metadata and parts), as s3rver names it; inside the store. */
export const uploadFolder = (store: S3rverFilesystemStore, bucket: string, uploadId: string): string =>
  insideRoot(store.rootDirectory, join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId));
