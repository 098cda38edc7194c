import { createHash } from 'node:crypto';
import { promises as fs, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { atomicObjects } from '../../../local/s3/atomic-store';
import { JOURNAL_FILE, ObjectWrites, writesFolder, type CommitFs } from '../../../local/s3/object-writes';
import { guardStore, type S3rverFilesystemStore } from '../../../local/s3/store-guard';
import { eventually } from '../../support/eventually';

// s3rver's own store, as the local cloud runs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const FilesystemStore = require('s3rver/lib/stores/filesystem') as new (dir: string) => S3rverFilesystemStore & {
  putBucket(bucket: string): Promise<unknown>;
};

/**
 * A commit killed at any point: the process stops at one of its file operations (an operation that never
 * returns, so nothing after it runs, as with kill -9), and the next start (a new store on the same folder)
 * shows the old object or the new one whole: bytes, ETag and metadata of one version.
 */
const BUCKET = 'bucket';
const KEY = 'input/article.txt';
const md5 = (body: string) => createHash('md5').update(body).digest('hex');

interface Started {
  store: S3rverFilesystemStore;
  writes: ObjectWrites;
}

/** The store as mount.ts builds it, on `storeDir`: what a (re)start of the local cloud sees. */
const startStore = async (storeDir: string, commitFs?: CommitFs, knownObjects?: number): Promise<Started> => {
  const store = new FilesystemStore(storeDir);
  const writes = new ObjectWrites(writesFolder(storeDir), commitFs, knownObjects);
  await writes.recover();
  guardStore(store);
  atomicObjects(store, writes);
  return { store, writes };
};

describe('an object commit interrupted by a kill', () => {
  let dir: string;
  let storeDir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rs-commit-'));
    storeDir = join(dir, 's3');
    const first = new FilesystemStore(storeDir);
    await first.putBucket(BUCKET);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const start = (commitFs?: CommitFs): Promise<Started> => startStore(storeDir, commitFs);

  /** File operations that stop for good at the `step`-th one (0-based), as a process killed there. */
  const killedAt = (step: number) => {
    let calls = 0;
    let reached = () => undefined as void;
    const killed = new Promise<void>((resolve) => (reached = resolve));
    const at =
      <A extends unknown[]>(operation: (...args: A) => Promise<unknown>) =>
      (...args: A) => {
        if (calls++ !== step) return operation(...args);
        reached();
        return new Promise<never>(() => undefined);
      };
    const commitFs = {
      mkdir: at(fs.mkdir),
      rename: at(fs.rename),
      writeFile: at(fs.writeFile),
      rm: at(fs.rm),
    } as unknown as CommitFs;
    return { commitFs, killed };
  };

  const put = (store: S3rverFilesystemStore, body: string | Readable, version: string, key = KEY) =>
    store.putObject({
      bucket: BUCKET,
      key,
      content: typeof body === 'string' ? Buffer.from(body) : body,
      metadata: { 'content-type': 'text/plain', 'x-amz-meta-version': version },
    });

  /** The object as s3rver serves it: bytes, ETag and metadata. */
  const readObject = async (store: S3rverFilesystemStore, key = KEY) => {
    const object = (await store.getObject(BUCKET, key)) as { content: Readable; metadata: Record<string, string> };
    let body = '';
    for await (const chunk of object.content) body += (chunk as Buffer).toString();
    return { body, etag: object.metadata.etag, version: object.metadata['x-amz-meta-version'] };
  };
  const versionOf = (body: string) => ({ body, etag: JSON.stringify(md5(body)), version: body.slice(0, 3) });

  /** An object `old…`, and an upload of `new…` in two parts ready to complete. */
  const prepare = async () => {
    const { store, writes } = await start();
    await put(store, 'old article', 'old');
    const uploadId = 'a'.repeat(32);
    await store.initiateUpload(BUCKET, KEY, uploadId, { 'content-type': 'text/plain', 'x-amz-meta-version': 'new' });
    const parts = [];
    for (const [i, text] of ['new article, ', 'in two parts'].entries()) {
      const { md5: etag } = await store.putPart(BUCKET, uploadId, i + 1, Readable.from([Buffer.from(text)]));
      parts.push({ number: i + 1, etag });
    }
    writes.close();
    return { uploadId, parts };
  };

  // CompleteMultipartUpload's commit makes every step a commit into an existing folder has: rename,
  // metadata (with the MD5), upload folder. A commit into a new folder makes it after a first rename (test below).
  const STEPS = ['renaming the object', 'writing its metadata', 'removing the upload'];
  for (const [step, name] of STEPS.entries()) {
    it(`finishes a commit killed before ${name}: the next start shows the new object whole`, async () => {
      // Prepare
      const { uploadId, parts } = await prepare();
      const { commitFs, killed } = killedAt(step);
      const doomed = await start(commitFs);

      // Act: complete the upload, and kill the process at this step; then start again.
      void doomed.store.putObjectMultipart(BUCKET, uploadId, parts);
      await killed;
      doomed.writes.close();
      const restarted = await start();

      // Assess
      expect(await readObject(restarted.store)).toEqual(versionOf('new article, in two parts'));
      expect(readdirSync(writesFolder(storeDir))).toEqual([JOURNAL_FILE]);
      expect(readdirSync(join(storeDir, BUCKET, '._S3rver_uploads'))).toEqual([]);
      restarted.writes.close();
    });
  }

  it('keeps the old object when killed while the new content was still arriving, and removes the fragment', async () => {
    // Prepare: a body that sends some bytes, then never ends.
    await prepare();
    const doomed = await start();
    const arriving = new Readable({ read: () => undefined });
    arriving.push(Buffer.from('new arti'));

    // Act
    void put(doomed.store, arriving, 'new');
    await eventually(() =>
      readdirSync(writesFolder(storeDir)).some((f) => f !== JOURNAL_FILE && statSync(join(writesFolder(storeDir), f)).size > 0),
    );
    doomed.writes.close();
    const restarted = await start();

    // Assess
    expect(await readObject(restarted.store)).toEqual(versionOf('old article'));
    expect(readdirSync(writesFolder(storeDir))).toEqual([JOURNAL_FILE]);
    restarted.writes.close();
  });

  it('finishes a commit that failed after its rename before the object is read again', async () => {
    // Prepare: the metadata write (which holds the MD5) fails once (a full disk), after the new bytes were
    // renamed into place.
    await prepare();
    let failures = 0;
    const commitFs = {
      ...fs,
      writeFile: (path: string, data: string) => {
        if (path.endsWith('metadata.json') && failures++ === 0) {
          return Promise.reject(Object.assign(new Error('no space left'), { code: 'ENOSPC' }));
        }
        return fs.writeFile(path, data);
      },
    } as unknown as CommitFs;
    const { store, writes } = await start(commitFs);

    // Act
    const failed = await put(store, 'new text', 'new').then(
      () => 'stored',
      (error: NodeJS.ErrnoException) => error.code,
    );

    // Assess: the PUT failed, and no read sees the new bytes under the old ETag.
    expect(failed).toBe('ENOSPC');
    expect(await readObject(store)).toEqual(versionOf('new text'));
    writes.close();
  });

  it("makes a new key's folder, and finishes a commit killed before making it", async () => {
    // Prepare: file operations of a PutObject to a folder that does not exist yet, stopped at the second
    // (the rename fails as the folder is missing; then the mkdir).
    const newKey = 'input/2026/12/new.txt';
    const { commitFs, killed } = killedAt(1);
    const doomed = await start(commitFs);

    // Act
    void put(doomed.store, 'new article', 'new', newKey);
    await killed;
    doomed.writes.close();
    const restarted = await start();

    // Assess
    expect(await readObject(restarted.store, newKey)).toEqual(versionOf('new article'));
    expect(readdirSync(writesFolder(storeDir))).toEqual([JOURNAL_FILE]);
    restarted.writes.close();
  });
});

describe("an object's ETag and metadata kept in memory", () => {
  let dir: string;
  let storeDir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rs-facts-'));
    storeDir = join(dir, 's3');
    await new FilesystemStore(storeDir).putBucket(BUCKET);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (knownObjects?: number): Promise<Started> => startStore(storeDir, undefined, knownObjects);
  const put = (store: S3rverFilesystemStore, key: string, body: string) =>
    store.putObject({
      bucket: BUCKET,
      key,
      content: Buffer.from(body),
      metadata: { 'content-type': 'text/plain', 'x-amz-meta-body': body },
    });
  const read = async (store: S3rverFilesystemStore, key: string) => {
    const object = (await store.getObject(BUCKET, key)) as { content: Readable; metadata: Record<string, unknown> } | null;
    if (!object) return null;
    let body = '';
    for await (const chunk of object.content) body += (chunk as Buffer).toString();
    const { etag, 'content-type': type, 'x-amz-meta-body': meta, 'content-length': length } = object.metadata;
    return { body, etag, type, meta, length };
  };
  /** Reads of metadata (and `.md5`) files from now on. */
  const countFactReads = () => {
    const readFile = jest.spyOn(fs, 'readFile');
    return () => readFile.mock.calls.filter(([path]) => /\.(md5|json)$/.test(String(path))).length;
  };

  it('reads no metadata file after a commit, and gives what a fresh start reads from the files', async () => {
    // Prepare
    const first = await start();
    await put(first.store, 'a.txt', 'first');
    await put(first.store, 'a.txt', 'second');
    const factReads = countFactReads();

    // Act
    const fromMemory = await read(first.store, 'a.txt');
    const reads = factReads();
    first.writes.close();
    const fromFiles = await read((await start()).store, 'a.txt');

    // Assess
    expect(reads).toBe(0);
    expect(factReads()).toBe(1);
    expect(fromMemory).toEqual({ body: 'second', etag: JSON.stringify(md5('second')), type: 'text/plain', meta: 'second', length: 6 });
    expect(fromFiles).toEqual(fromMemory);
  });

  it('reads an object an earlier version stored (a .md5 file beside the metadata), and a stale .md5 never wins', async () => {
    // Prepare: old.txt as s3rver stored objects (three files); then new.txt written over such an object.
    const old = new FilesystemStore(storeDir);
    for (const key of ['old.txt', 'new.txt']) {
      await fs.mkdir(join(storeDir, BUCKET), { recursive: true });
      await fs.writeFile(old.getResourcePath(BUCKET, key, 'object'), 'before');
      await fs.writeFile(old.getResourcePath(BUCKET, key, 'object.md5'), md5('before'));
      await fs.writeFile(old.getResourcePath(BUCKET, key, 'metadata.json'), JSON.stringify({ 'content-type': 'text/plain' }));
    }
    const { store, writes } = await start();
    await put(store, 'new.txt', 'after');
    writes.close();

    // Act: read both after a restart, from the files.
    const restarted = await start();
    const [oldObject, newObject] = [await read(restarted.store, 'old.txt'), await read(restarted.store, 'new.txt')];

    // Assess
    expect(oldObject).toEqual({ body: 'before', etag: JSON.stringify(md5('before')), type: 'text/plain', meta: undefined, length: 6 });
    expect(newObject).toEqual({ body: 'after', etag: JSON.stringify(md5('after')), type: 'text/plain', meta: 'after', length: 5 });
    restarted.writes.close();
  });

  it('makes two files for a new object, not three', async () => {
    // Act
    const { store, writes } = await start();
    await put(store, 'folder/a.txt', 'a');

    // Assess
    expect(readdirSync(join(storeDir, BUCKET, 'folder')).sort()).toEqual(['a.txt._S3rver_metadata.json', 'a.txt._S3rver_object']);
    writes.close();
  });

  it('gives nothing for a deleted object, and keeps no more objects than its bound', async () => {
    // Prepare
    const { store, writes } = await start(2);
    for (const key of ['a.txt', 'b.txt', 'c.txt']) await put(store, key, key);
    const factReads = countFactReads();

    // Act
    await store.deleteObject(BUCKET, 'c.txt');
    const deleted = await read(store, 'c.txt');
    await read(store, 'b.txt');
    const keptReads = factReads();
    await read(store, 'a.txt');

    // Assess: b.txt was kept; a.txt, the oldest of three, was not.
    expect(deleted).toBeNull();
    expect(keptReads).toBe(0);
    expect(factReads()).toBe(1);
    writes.close();
  });
});
