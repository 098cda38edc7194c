/**
 * s3rver's object operations, replaced on its FilesystemStore so that every write (PutObject, CopyObject,
 * UploadPart, CompleteMultipartUpload) is a commit of object-writes.ts, which changes an object's
 * bytes, ETag and metadata as one or not at all, and every read takes its turn with those commits. The
 * files are s3rver's own (getResourcePath), so a store an earlier version left is read as it is.
 *
 * CompleteMultipartUpload also checks what S3 checks
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html) and s3rver did not:
 * the upload exists (NoSuchUpload), parts are listed in ascending order (InvalidPartOrder), and each was
 * uploaded with the ETag given (InvalidPart, checked on the bytes as they are copied). A refused
 * completion changes nothing, and its upload can still be completed.
 */

import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, type ReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import S3Error from 's3rver/lib/models/error';
import S3Object from 's3rver/lib/models/object';
import { parseMetadataFile, type ObjectWrites } from './object-writes';
import { insideRoot, uploadFolder, writeWithMd5, type S3rverFilesystemStore } from './store-guard';

interface ObjectFiles {
  objectPath: string;
  md5Path: string;
  metadataPath: string;
}

type Metadata = Record<string, unknown>;

/** What s3rver keeps of an object's headers: its system metadata (Content-Type, …) and `x-amz-meta-*`. */
const storedMetadata = (headers: Metadata): Metadata =>
  Object.fromEntries(
    Object.entries(headers).filter(([name]) => S3Object.ALLOWED_METADATA.includes(name) || name.startsWith('x-amz-meta-')),
  );

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

const noSuchUpload = (uploadId: string) =>
  new S3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );

const md5OfFile = async (path: string): Promise<string> => {
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(path)) md5.update(chunk as Buffer);
  return md5.digest('hex');
};

/** A read stream once its file is open (so a missing file rejects here, not later in the response). */
const openForReading = (path: string, range?: { start: number; end: number }): Promise<ReadStream> =>
  new Promise((resolve, reject) => {
    const stream = createReadStream(path, range)
      .on('error', reject)
      .on('open', () => resolve(stream));
  });

/** The parts' bytes in the order listed, each checked against the ETag the request gives it. */
async function* partsInOrder(upload: string, uploadId: string, parts: { number: number; etag: string }[]): AsyncGenerator<Buffer> {
  for (const part of parts) {
    const invalidPart = () =>
      new S3Error(
        'InvalidPart',
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        { UploadId: uploadId, PartNumber: part.number, ETag: part.etag },
      );
    const md5 = createHash('md5');
    try {
      for await (const chunk of createReadStream(join(upload, String(part.number)))) {
        md5.update(chunk as Buffer);
        yield chunk as Buffer;
      }
    } catch (error) {
      throw isMissing(error) ? invalidPart() : error;
    }
    if (md5.digest('hex') !== part.etag.toLowerCase()) throw invalidPart();
  }
}

export const atomicObjects = (store: S3rverFilesystemStore, writes: ObjectWrites): void => {
  const filesOf = (bucket: string, key: string): ObjectFiles => ({
    objectPath: store.getResourcePath(bucket, key, 'object'),
    md5Path: store.getResourcePath(bucket, key, 'object.md5'),
    metadataPath: store.getResourcePath(bucket, key, 'metadata.json'),
  });

  /** The object's metadata file: its stored headers, and its MD5 unless an earlier version stored the object. */
  const readMetadataFile = (files: ObjectFiles): Promise<{ metadata: Metadata; md5?: string }> =>
    fs.readFile(files.metadataPath, 'utf-8').then(parseMetadataFile, (error: unknown) => {
      if (isMissing(error)) return { metadata: {} };
      throw error;
    });

  /** The object's MD5 and stored headers: kept by `writes` since its last commit or read, or read now. */
  const factsOf = async (files: ObjectFiles) => {
    const known = writes.knownFacts(files.objectPath);
    if (known) return known;
    const stored = await readMetadataFile(files);
    const md5 =
      stored.md5 ??
      (await fs.readFile(files.md5Path, 'utf-8').catch((error: unknown) => {
        if (isMissing(error)) return md5OfFile(files.objectPath); // s3rver computes it too
        throw error;
      }));
    const facts = { md5, metadata: stored.metadata };
    writes.remember(files.objectPath, facts);
    return facts;
  };

  /** s3rver's getMetadata, for a caller in the object's turn. Rejects with ENOENT when there is no object. */
  const readMetadata = async (files: ObjectFiles): Promise<Metadata> => {
    const stat = await fs.stat(files.objectPath);
    const { md5, metadata } = await factsOf(files);
    return { ...metadata, etag: JSON.stringify(md5), 'last-modified': stat.mtime.toUTCString(), 'content-length': stat.size };
  };

  /** The content in a temporary file of the writes folder, with its size and MD5; nothing is left on failure. */
  const writeTemporary = async (content: Buffer | Readable) => {
    const temporary = writes.temporary();
    try {
      return { temporary, ...(await writeWithMd5(temporary, content)) };
    } catch (error) {
      await writes.discard(temporary);
      throw error;
    }
  };

  const committed = ({ temporary, md5 }: { temporary: string; md5: string }) => ({ temporary, md5 });
  const { deleteObject } = store;

  store.getMetadata = (bucket, key) => {
    const files = filesOf(bucket, key);
    return writes.read(files.objectPath, () => readMetadata(files));
  };

  // s3rver's getObject, with the metadata read and the file opened in one turn: the open descriptor
  // keeps this version's bytes whatever is committed afterwards.
  store.getObject = (bucket, key, options = {}) => {
    const files = filesOf(bucket, key);
    return writes.read(files.objectPath, async () => {
      try {
        const metadata = await readMetadata(files);
        const lastByte = Math.max(0, Number(metadata['content-length']) - 1);
        const ranged = options.start !== undefined || Boolean(options.end);
        const range = { start: options.start || 0, end: Math.min(options.end || Infinity, lastByte) };
        const satisfiable = range.start >= 0 && range.end >= range.start;
        const object = new S3Object(bucket, key, satisfiable ? await openForReading(files.objectPath, range) : null, metadata);
        if (ranged) object.range = range;
        return object;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    });
  };

  store.putObject = async (object) => {
    const written = await writeTemporary(object.content);
    await writes.commit({ ...filesOf(object.bucket, object.key), ...committed(written), metadata: storedMetadata(object.metadata) });
    return { size: written.size, md5: written.md5 };
  };

  store.copyObject = async (srcBucket, srcKey, destBucket, destKey, replacementMetadata) => {
    const source = filesOf(srcBucket, srcKey);
    const { metadata, content } = await writes.read(source.objectPath, async () => {
      try {
        return { metadata: (await readMetadataFile(source)).metadata, content: await openForReading(source.objectPath) };
      } catch (error) {
        if (isMissing(error)) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: srcKey });
        throw error;
      }
    });
    const written = await writeTemporary(content);
    const stored = replacementMetadata ? storedMetadata(replacementMetadata) : metadata;
    const modified = (await fs.stat(written.temporary)).mtime; // a rename keeps it
    await writes.commit({ ...filesOf(destBucket, destKey), ...committed(written), metadata: stored });
    return { ...stored, etag: JSON.stringify(written.md5), 'last-modified': modified.toUTCString(), 'content-length': written.size };
  };

  store.deleteObject = (bucket, key) => {
    const { objectPath } = filesOf(bucket, key);
    return writes.read(objectPath, () => {
      writes.forget(objectPath);
      return deleteObject.call(store, bucket, key);
    });
  };

  store.putPart = async (bucket, uploadId, partNumber, content) => {
    const upload = uploadFolder(store, bucket, uploadId);
    // s3rver would make the folder of any upload id; S3 answers NoSuchUpload for one it never issued.
    if (!(await fs.stat(join(upload, 'key')).catch(() => undefined))) {
      content.resume();
      throw noSuchUpload(uploadId);
    }
    const part = insideRoot(store.rootDirectory, join(upload, String(partNumber)));
    const written = await writeTemporary(content);
    await writes.commit({ objectPath: part, md5Path: `${part}.md5`, ...committed(written) });
    return { size: written.size, md5: written.md5 };
  };

  store.putObjectMultipart = async (bucket, uploadId, parts) => {
    const upload = uploadFolder(store, bucket, uploadId);
    const [key, initiated] = await Promise.all([
      fs.readFile(join(upload, 'key'), 'utf-8'),
      fs.readFile(join(upload, 'metadata'), 'utf-8').then((text) => JSON.parse(text) as Metadata),
    ]).catch((error: unknown) => {
      throw isMissing(error) ? noSuchUpload(uploadId) : error;
    });
    if (parts.some((part, i) => i > 0 && !(part.number > parts[i - 1]!.number))) {
      throw new S3Error(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
        { UploadId: uploadId },
      );
    }
    const written = await writeTemporary(Readable.from(partsInOrder(upload, uploadId, parts)));
    const metadata = storedMetadata(new S3Object(bucket, key, null, initiated).metadata);
    await writes.commit({ ...filesOf(bucket, key), ...committed(written), metadata, upload });
    return { size: written.size, md5: written.md5 };
  };
};
