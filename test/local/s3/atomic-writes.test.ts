import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { JOURNAL_FILE, writesFolder } from '../../../local/s3/object-writes';
import { eventually } from '../../support/eventually';
import { BUCKET, openFilesUnder, removeStateDir, signedHeaders, sizeOfOpenFile, startS3Edge, type S3Edge } from './s3-edge';

/**
 * S3 replaces an object whole (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html: "Amazon S3
 * never adds partial objects"): interrupted and refused writes through the edge leave the old object, its
 * ETag and its metadata as they were, and a reader sees one version at a time.
 */
const OLD = 'The old article, whole. It has two sentences.';
const md5 = (body: string | Buffer) => createHash('md5').update(body).digest('hex');

describe('S3 object writes through the edge', () => {
  let edge: S3Edge;
  beforeAll(async () => {
    edge = await startS3Edge();
  });
  afterAll(async () => {
    await edge.close();
    removeStateDir(edge);
  });

  const put = (key: string, body: string, version = 'old') =>
    edge.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'text/plain', Metadata: { version } }));
  const read = async (key: string) => {
    const got = await edge.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const body = await got.Body!.transformToString();
    return { body, etag: got.ETag, version: got.Metadata?.version };
  };
  const head = (key: string) =>
    edge.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
      (h) => ({ length: h.ContentLength, etag: h.ETag }),
      (error: Error) => error.name,
    );
  const listed = async (prefix: string) =>
    ((await edge.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))).Contents ?? []).map((o) => ({
      key: o.Key,
      size: o.Size,
      etag: o.ETag,
    }));

  /** What waits in the store's writes folder: the journal, and no temporary file once a write is over. */
  const waiting = () => readdirSync(writesFolder(join(edge.stateDir, 's3')));

  /** A PUT that sends `sent` of its `declared` bytes, waits until the store holds them, then drops the connection. */
  const abandonPut = async (key: string, declared: number, sent: number) => {
    const req = request({
      host: '127.0.0.1',
      port: edge.port,
      method: 'PUT',
      path: `/${BUCKET}/${key}`,
      headers: { ...signedHeaders(), 'content-type': 'text/plain', 'content-length': String(declared) },
      agent: false,
    });
    req.on('error', () => undefined); // the socket we destroy
    req.write(Buffer.alloc(sent, 'x'));
    const [fd, path] = await eventually(
      () => [...openFilesUnder(edge.stateDir)].find(([fd, p]) => !p.endsWith('.jsonl') && sizeOfOpenFile(fd) === sent),
      { what: `the store to hold the first ${sent} bytes` },
    );
    req.destroy();
    await eventually(() => openFilesUnder(edge.stateDir).get(fd) !== path, { what: 'the store to close the abandoned write' });
    // No answer can reach a dropped client, so nothing to wait for but the temporary file's removal.
    await eventually(() => waiting().length === 1, { what: 'the abandoned temporary file to be removed' });
  };

  it('keeps the old object, its ETag and its size when a PUT over it is abandoned mid-body', async () => {
    // Prepare
    const key = 'other/abandoned-over.txt';
    const before = await put(key, OLD);

    // Act
    await abandonPut(key, 1000, 300);

    // Assess
    expect(await read(key)).toEqual({ body: OLD, etag: before.ETag, version: 'old' });
    expect(await head(key)).toEqual({ length: OLD.length, etag: before.ETag });
    expect(await listed('other/abandoned-over')).toEqual([{ key, size: OLD.length, etag: before.ETag }]);
    expect(waiting()).toEqual([JOURNAL_FILE]);
  });

  it('lists nothing and serves nothing when the PUT of a new key is abandoned mid-body', async () => {
    const key = 'other/abandoned-new.txt';

    await abandonPut(key, 1000, 300);

    expect(await listed('other/abandoned-new')).toEqual([]);
    expect(await head(key)).toBe('NotFound');
    expect(waiting()).toEqual([JOURNAL_FILE]);
  });

  describe('CompleteMultipartUpload', () => {
    const start = async (key: string, parts: string[]) => {
      const { UploadId } = await edge.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ContentType: 'text/plain' }));
      const uploaded: CompletedPart[] = [];
      for (const [i, body] of parts.entries()) {
        const { ETag } = await edge.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body: body }));
        uploaded.push({ PartNumber: i + 1, ETag });
      }
      return { UploadId: UploadId!, uploaded };
    };
    /** The error's name, or 'completed'; a request never answered fails the test at its deadline. */
    const complete = (key: string, UploadId: string, Parts: CompletedPart[]) =>
      edge.s3
        .send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts } }), {
          abortSignal: AbortSignal.timeout(15_000),
        })
        .then(
          () => 'completed',
          (error: Error) => error.name,
        );
    const NEVER = '"0123456789abcdef0123456789abcdef"';

    it('answers InvalidPart for a part never uploaded or a mismatched ETag, changes nothing and leaks no descriptor', async () => {
      // Prepare: an object, and an upload over it with one part.
      const key = 'other/multipart-over.txt';
      const before = await put(key, OLD);
      const { UploadId, uploaded } = await start(key, ['part one. ']);
      const [one] = uploaded as [CompletedPart];
      // Descriptors on the store's files only: the process's sockets come and go with the SDK's pool.
      const openBefore = openFilesUnder(edge.stateDir).size;

      // Act
      const codes = [
        await complete(key, UploadId, [one, { PartNumber: 2, ETag: NEVER }]),
        await complete(key, UploadId, [{ PartNumber: 1, ETag: NEVER }]),
        await complete(key, UploadId, [{ PartNumber: 3, ETag: NEVER }]),
      ];

      // Assess: refused, nothing changed, no descriptor left open; the upload still completes.
      expect(codes).toEqual(['InvalidPart', 'InvalidPart', 'InvalidPart']);
      expect(await read(key)).toEqual({ body: OLD, etag: before.ETag, version: 'old' });
      expect(openFilesUnder(edge.stateDir).size).toBe(openBefore);
      expect(waiting()).toEqual([JOURNAL_FILE]);
      expect(await complete(key, UploadId, [one])).toBe('completed');
      expect((await read(key)).body).toBe('part one. ');
    });

    it('answers InvalidPartOrder for parts out of order, and changes nothing', async () => {
      const key = 'other/multipart-order.txt';
      const before = await put(key, OLD);
      const { UploadId, uploaded } = await start(key, ['first. ', 'second. ']);

      const code = await complete(key, UploadId, [...uploaded].reverse());

      expect(code).toBe('InvalidPartOrder');
      expect(await read(key)).toEqual({ body: OLD, etag: before.ETag, version: 'old' });
      expect(await complete(key, UploadId, uploaded)).toBe('completed');
      expect((await read(key)).body).toBe('first. second. ');
    });

    it('answers NoSuchUpload for an upload id it never issued', async () => {
      expect(await complete('other/never.txt', 'ffffffffffffffffffffffffffffffff', [{ PartNumber: 1, ETag: NEVER }])).toBe('NoSuchUpload');
    });
  });

  it('never lets a reader see one version of the bytes under another version of the ETag or metadata', async () => {
    // Prepare: two versions, each a source object too, large enough that a write takes a while.
    const key = 'other/contended.txt';
    const versions = { a: 'a'.repeat(2 << 20), b: 'b'.repeat(2 << 20) };
    await put('other/source-a.txt', versions.a, 'a');
    await put('other/source-b.txt', versions.b, 'b');
    await put(key, versions.a, 'a');
    let writing = true;

    // Act: overwrite by PutObject and CopyObject in turn while readers read.
    const writer = (async () => {
      for (let i = 0; i < 8; i++) {
        const v = i % 2 === 0 ? 'b' : 'a';
        if (i % 4 < 2) await put(key, versions[v], v);
        else await edge.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: key, CopySource: `${BUCKET}/other/source-${v}.txt` }));
      }
      writing = false;
    })();
    const seen: { consistent: boolean }[] = [];
    const reader = async () => {
      while (writing) {
        const got = await read(key);
        const first = got.body[0];
        seen.push({ consistent: got.etag === `"${md5(got.body)}"` && got.version === first && got.body === versions[first as 'a' | 'b'] });
      }
    };
    await Promise.all([writer, reader(), reader(), reader()]);

    // Assess
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((s) => !s.consistent)).toEqual([]);
  });
});
