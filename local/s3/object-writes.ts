/**
 * S3 replaces an object whole: "if you make a PUT request to an existing key from one thread and perform
 * a GET request on the same key from a second thread concurrently, you will get either the old data or
 * the new data, but never partial or corrupt data"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html#ConsistencyModel), and it never
 * adds a partial object (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html). s3rver keeps
 * an object as three files (`<key>._S3rver_object`, its `.md5`, which is the ETag, and
 * `<key>._S3rver_metadata.json`) and writes them in place, so an interrupted upload left a fragment
 * under the old ETag. Here an object is two files (the MD5 moves into the metadata file), changed
 * as one unit:
 *
 * 1. the new content is written to a temporary file in a folder beside the store, which s3rver never
 *    lists or serves (`<store>.writes/`);
 * 2. a journal entry records the commit: the temporary file, the object's three paths, the new MD5 and
 *    metadata (local/support/journal.ts: one write(2), kept across a kill -9);
 * 3. the temporary file is renamed over the object (its folder made if missing), then its metadata
 *    file (with the MD5: MD5_FIELD) is written;
 * 4. the entry is marked done.
 *
 * A kill before 2 leaves the old object (the next start removes the temporary file); a kill after 2 is
 * finished by the next start, since step 3 can be run again. Within the process, reads and commits of
 * one object take turns, so no reader sees two versions' files; a commit that fails after its rename
 * is finished by the next read of the object, or the next start.
 */

import { randomUUID } from 'node:crypto';
import { mkdirSync, promises as fsPromises } from 'node:fs';
import { dirname, join } from 'node:path';
import { Journal } from '../support/journal';

export interface Commit {
  /** The new content, complete, in the writes folder. */
  temporary: string;
  objectPath: string;
  /**
   * A multipart part's `.md5` file, which the commit writes. An object's commit writes its MD5 in its
   * metadata file instead; its `.md5` path is only read, for objects an earlier version stored.
   */
  md5Path: string;
  md5: string;
  /** An object's metadata file and what it holds; a multipart part has none. */
  metadataPath?: string;
  metadata?: Record<string, unknown>;
  /** A multipart upload's folder, removed with the commit: its parts are the object now. */
  upload?: string;
}

/** The file operations a commit makes, as `node:fs/promises` names them; a test may wrap them. */
export interface CommitFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  rename(from: string, to: string): Promise<void>;
  writeFile(path: string, data: string): Promise<void>;
  rm(path: string, options: { recursive: true; force: true }): Promise<void>;
}

/** Where a store's writes wait for their commit. */
export const writesFolder = (storeDirectory: string): string => `${storeDirectory}.writes`;
export const JOURNAL_FILE = 'commits.jsonl';
const TEMPORARY_PREFIX = 'write-';

const exists = (path: string): Promise<boolean> =>
  fsPromises.access(path).then(
    () => true,
    () => false,
  );

/** An object's MD5 (its ETag) and stored metadata, as its last commit wrote them. */
export interface ObjectFacts {
  md5: string;
  metadata: Record<string, unknown>;
}

/**
 * Where an object's metadata file keeps its MD5 since the store stopped writing a `.md5` file per
 * object: creating a file is the costliest thing the store does (about 0.7 ms of kernel time on the
 * benchmark machine against 0.05 ms to rewrite one; docs/benchmarks.md, Where the CPU goes). Not a
 * header name (it holds spaces), so it never meets a stored header. Objects an earlier version
 * stored keep their `.md5` file, which is read when the field is missing.
 */
export const MD5_FIELD = 'local cloud md5';

/** An object's metadata file: its stored headers and its MD5. */
export const metadataFileText = (metadata: Record<string, unknown>, md5: string): string =>
  JSON.stringify({ ...metadata, [MD5_FIELD]: md5 }, null, 2);

/** An object's metadata file read back: the stored headers, and the MD5 if the file holds it. */
export const parseMetadataFile = (text: string): { metadata: Record<string, unknown>; md5?: string } => {
  const { [MD5_FIELD]: md5, ...metadata } = JSON.parse(text) as Record<string, unknown>;
  return typeof md5 === 'string' ? { metadata, md5 } : { metadata };
};

/** Objects whose facts are kept in memory at most; a read of any other reads its metadata file. */
export const KNOWN_OBJECTS = 10_000;

/** s3rver deletes a key's folder once it is empty; a rename into it meanwhile finds it gone. */
const RENAME_ATTEMPTS = 4;

export class ObjectWrites {
  private readonly journal: Journal<Commit>;
  private readonly turns = new Map<string, Promise<void>>();
  /** Commits that failed after their rename, by object path: finished before the object is read again. */
  private readonly unfinished = new Map<string, string>();
  /**
   * The facts of recently committed or read objects, by object path, least recently kept first: a
   * GetObject then does not read its metadata file (an open, a read and a close in libuv's thread
   * pool; docs/benchmarks.md, Where the CPU goes). Only changed in an object's turn, so a reader in
   * its turn finds the facts of the files it reads.
   */
  private readonly known = new Map<string, ObjectFacts>();

  constructor(
    readonly folder: string,
    private readonly fs: CommitFs = fsPromises,
    private readonly knownObjects = KNOWN_OBJECTS,
  ) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    this.journal = new Journal<Commit>(join(folder, JOURNAL_FILE));
  }

  /** A path for new content; `discard` it, or `commit` it. */
  temporary(): string {
    return join(this.folder, `${TEMPORARY_PREFIX}${randomUUID()}`);
  }

  discard(temporary: string): Promise<void> {
    return fsPromises.rm(temporary, { force: true });
  }

  /**
   * Finishes the commits a kill interrupted and removes the temporary files no commit names. Runs
   * before the store serves: commits are replayed in the order they were made.
   */
  async recover(): Promise<void> {
    // A commit that fails again is dropped or kept by `finish`, and a read of its object says why.
    for (const [id, commit] of this.journal.entries()) await this.finish(id, commit).catch(() => undefined);
    const named = new Set(this.journal.entries().map(([, c]) => c.temporary));
    for (const name of await fsPromises.readdir(this.folder)) {
      const path = join(this.folder, name);
      if (name.startsWith(TEMPORARY_PREFIX) && !named.has(path)) await this.discard(path);
    }
  }

  /** Runs `read` with no commit of the object at `objectPath` in between. */
  read<T>(objectPath: string, read: () => Promise<T>): Promise<T> {
    return this.inTurn(objectPath, async () => {
      await this.settle(objectPath);
      return read();
    });
  }

  /** The object's facts if kept; for a caller in the object's turn (`read`). */
  knownFacts(objectPath: string): ObjectFacts | undefined {
    return this.known.get(objectPath);
  }

  /** Keeps facts a caller in the object's turn read from its files. */
  remember(objectPath: string, facts: ObjectFacts): void {
    this.known.delete(objectPath);
    this.known.set(objectPath, facts);
    if (this.known.size > this.knownObjects) this.known.delete(this.known.keys().next().value as string);
  }

  /** Drops the object's facts; for a caller in the object's turn that removes it. */
  forget(objectPath: string): void {
    this.known.delete(objectPath);
  }

  /** Replaces the object at `commit.objectPath` with the temporary file, its MD5 and its metadata, as one. */
  commit(commit: Commit): Promise<void> {
    return this.inTurn(commit.objectPath, async () => {
      await this.settle(commit.objectPath).catch(async (error: unknown) => {
        await this.discard(commit.temporary);
        throw error;
      });
      const id = randomUUID();
      this.forget(commit.objectPath);
      this.journal.add(id, commit);
      await this.finish(id, commit);
      if (commit.metadataPath) this.remember(commit.objectPath, { md5: commit.md5, metadata: commit.metadata ?? {} });
    });
  }

  /** Releases the journal's descriptor. */
  close(): void {
    this.journal.close();
  }

  /** Step 3 and 4 of a journaled commit. A commit that fails before its rename is dropped, after it kept. */
  private async finish(id: string, commit: Commit): Promise<void> {
    try {
      await this.apply(commit);
    } catch (error) {
      if (await exists(commit.temporary)) {
        // Not renamed: the old object stands, as if the write had never been made.
        this.journal.done(id);
        await this.discard(commit.temporary);
      } else {
        this.unfinished.set(commit.objectPath, id);
      }
      throw error;
    }
    this.journal.done(id);
    this.unfinished.delete(commit.objectPath);
  }

  /** Idempotent: after a kill at any point it can run again, and ends in the same files. */
  private async apply(commit: Commit): Promise<void> {
    await this.moveIntoPlace(commit);
    // An object keeps its MD5 in its metadata file (MD5_FIELD); a multipart part has only a `.md5` file.
    if (commit.metadataPath) await this.fs.writeFile(commit.metadataPath, metadataFileText(commit.metadata ?? {}, commit.md5));
    else await this.fs.writeFile(commit.md5Path, commit.md5);
    if (commit.upload) await this.fs.rm(commit.upload, { recursive: true, force: true });
  }

  /**
   * Renames the temporary file over the object. The rename is tried first and the folder made only
   * when the rename finds something missing: most writes go to a folder that exists, and each file
   * operation is a trip through libuv's thread pool (docs/benchmarks.md, Where the CPU goes). A
   * missing temporary file means an earlier run of this commit renamed it already.
   */
  private async moveIntoPlace(commit: Commit): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.fs.rename(commit.temporary, commit.objectPath);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        if (!(await exists(commit.temporary))) return;
        if (attempt === RENAME_ATTEMPTS) throw error;
      }
      await this.fs.mkdir(dirname(commit.objectPath), { recursive: true });
    }
  }

  private async settle(objectPath: string): Promise<void> {
    const id = this.unfinished.get(objectPath);
    if (id === undefined) return;
    const commit = this.journal.get(id);
    if (commit) await this.finish(id, commit);
    else this.unfinished.delete(objectPath);
  }

  /** Work on one object, one at a time, in the order asked. */
  private async inTurn<T>(objectPath: string, work: () => Promise<T>): Promise<T> {
    const before = this.turns.get(objectPath) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.turns.set(objectPath, tail);
    try {
      await before;
      return await work();
    } finally {
      release();
      if (this.turns.get(objectPath) === tail) this.turns.delete(objectPath);
    }
  }
}
