/**
 * The last line of defence for s3rver's FilesystemStore: every path it builds from a request (bucket,
 * key, upload id, part number) must resolve inside its folder, whatever the edge's guards let through;
 * and its object and part writes handle a write error (ENOSPC, EIO) by failing the request, which
 * s3rver answers with 500 InternalError, where s3rver's own write stream has no error handler and a
 * full disk ended the process.
 */

import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface S3rverFilesystemStore {
  rootDirectory: string;
  getBucketPath(bucket: string): string;
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<unknown>;
  putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: unknown }): Promise<{ size: number; md5: string }>;
  putPart(bucket: string, uploadId: string, partNumber: number | string, content: Readable): Promise<{ size: number; md5: string }>;
  putObjectMultipart(bucket: string, uploadId: string, parts: unknown[]): Promise<unknown>;
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

export const guardStore = (store: S3rverFilesystemStore, open?: (path: string) => NodeJS.WritableStream): void => {
  const root = store.rootDirectory;
  const { getBucketPath, getResourcePath } = store;
  store.getBucketPath = (bucket) => insideRoot(root, getBucketPath.call(store, bucket));
  store.getResourcePath = (bucket, key, resource) => insideRoot(root, getResourcePath.call(store, bucket, key, resource));
  const uploadDir = (bucket: string, uploadId: string) =>
    insideRoot(root, join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId));

  // s3rver's own putObject and putPart, with the write's errors handled.
  store.putObject = async (object) => {
    const path = store.getResourcePath(object.bucket, object.key, 'object');
    await fs.mkdir(dirname(path), { recursive: true });
    const written = await writeWithMd5(path, object.content, open);
    await store.putMetadata(object.bucket, object.key, object.metadata, written.md5);
    return written;
  };
  store.putPart = async (bucket, uploadId, partNumber, content) => {
    const path = insideRoot(root, join(uploadDir(bucket, uploadId), String(partNumber)));
    await fs.mkdir(dirname(path), { recursive: true });
    const written = await writeWithMd5(path, content, open);
    await fs.writeFile(`${path}.md5`, written.md5);
    return written;
  };
  const { putObjectMultipart, initiateUpload } = store;
  store.putObjectMultipart = (bucket, uploadId, parts) => {
    uploadDir(bucket, uploadId);
    return putObjectMultipart.call(store, bucket, uploadId, parts);
  };
  store.initiateUpload = (bucket, key, uploadId, metadata) => {
    uploadDir(bucket, uploadId);
    return initiateUpload.call(store, bucket, key, uploadId, metadata);
  };
};
