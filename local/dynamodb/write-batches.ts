/**
 * dynalite 4.0 writes a row and each of its index entries as separate LevelDB puts and deletes
 * (db/index.js updateIndexes: the old entries deleted in parallel, then the new ones put in
 * parallel, then the row), each a promise, a native call and a job on the thread pool. The local
 * cloud gathers the puts and deletes asked for before the event loop's next turn into one LevelDB
 * batch (https://github.com/Level/abstract-level#dbbatchoperations-options), and calls each one's
 * callback when the batch is written: the same writes in the order they were asked for, each
 * acknowledged only once it is in LevelDB's log, as before, but the ones of a moment applied
 * together, atomically, in one native call. A failed batch fails every write in it.
 */

import { eachNewStore } from './new-stores';

type Callback = (error?: Error | null) => void;

/** dynalite's LevelDB after its callback wrapper (db/index.js wrapWithCallbacks), the part used here. */
export interface CallbackLevel {
  /** A callback, or an options object for a promise (abstract-level's own deferred call). */
  put(key: string, value: unknown, cb?: Callback | object): unknown;
  del(key: string, cb?: Callback | object): unknown;
  batch(operations: WriteOperation[], cb?: Callback): unknown;
}

export type WriteOperation = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

/** dynalite's db module, the part of it this file wraps (node_modules/dynalite/db/index.js). */
export interface DynaliteStoreModule {
  create(options: unknown): { db: CallbackLevel };
}

/** Makes every store dynalite creates from now on write in batches. */
export const batchWrites = (dynaliteDb: DynaliteStoreModule): void => eachNewStore(dynaliteDb, (store) => gatherWrites(store.db));

/** Replaces the LevelDB's put and del (with a callback) with ones that join the next batch. */
export const gatherWrites = (db: CallbackLevel): void => {
  const put = db.put.bind(db);
  const del = db.del.bind(db);
  const batch = db.batch.bind(db);
  let waiting: { operation: WriteOperation; cb: Callback }[] = [];

  const flush = () => {
    const writes = waiting;
    waiting = [];
    batch(
      writes.map((w) => w.operation),
      (error) => {
        for (const w of writes) w.cb(error ?? null);
      },
    );
  };
  const join = (operation: WriteOperation, cb: Callback) => {
    if (waiting.length === 0) setImmediate(flush);
    waiting.push({ operation, cb });
  };

  // Without a callback the caller wants a promise: left as it was. That caller may be abstract-level
  // itself, replaying a write asked for while the database was opening, with its options object.
  const isCallback = (cb: unknown): cb is Callback => typeof cb === 'function';
  db.put = (key, value, cb) => (isCallback(cb) ? join({ type: 'put', key, value }, cb) : put(key, value, cb));
  db.del = (key, cb) => (isCallback(cb) ? join({ type: 'del', key }, cb) : del(key, cb));
};
