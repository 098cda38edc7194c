/**
 * dynalite 4.0 reads a table's description from LevelDB on every request (db/index.js getTable: one
 * get and one JSON decode, behind a promise and a setImmediate), though only CreateTable, UpdateTable
 * and DeleteTable ever write it. The local cloud keeps the descriptions it has read in memory:
 * every write of one (put, del, batch) drops it from the cache when it starts and again when it ends,
 * so a read that raced the write is not kept, and each reader gets its own copy, because dynalite's
 * table actions change the object they are handed before writing it back. The process is the only
 * writer of its LevelDB folder, so the cache cannot miss a change.
 */

import { eachNewStore } from './new-stores';

type Callback = (error: Error | null, value?: unknown) => void;

/** dynalite's wrapper of the `table~` part of its LevelDB (db/index.js createPrefixedDbWrapper). */
export interface TableDb {
  get(key: string, cb: Callback): void;
  put(key: string, value: unknown, cb: Callback): void;
  del(key: string, cb: Callback): void;
  batch(operations: unknown[], cb: Callback): void;
}

/** dynalite's db module, the part of it this file wraps (node_modules/dynalite/db/index.js). */
export interface DynaliteDbModule {
  create(options: unknown): { tableDb: TableDb };
}

/** Makes every store dynalite creates from now on keep its table descriptions in memory. */
export const cacheTableDescriptions = (db: DynaliteDbModule): void => eachNewStore(db, (store) => cacheReads(store.tableDb));

/** Replaces the table store's methods with ones that serve a read from memory once it has been read. */
export const cacheReads = (tableDb: TableDb): void => {
  const get = tableDb.get.bind(tableDb);
  const put = tableDb.put.bind(tableDb);
  const del = tableDb.del.bind(tableDb);
  const batch = tableDb.batch.bind(tableDb);
  // Kept as JSON and parsed anew for each reader: what LevelDB's JSON encoding would hand it, at about half the
  // CPU of a structuredClone of the object (16-22 against 46 µs for the ledger's table, 2.8 kB).
  const cache = new Map<string, string>();
  // Bumped at the start and end of every write: a read kept only if no write started or ended during it.
  let writes = 0;
  const forget = (key?: string) => {
    writes += 1;
    if (key === undefined) cache.clear();
    else cache.delete(key);
  };
  const writing =
    (key: string | undefined, cb: Callback | undefined): Callback =>
    (error, value) => {
      forget(key);
      cb?.(error, value);
    };

  tableDb.get = (key, cb) => {
    if (cache.has(key)) {
      const copy: unknown = JSON.parse(cache.get(key) as string);
      // Asynchronous, as LevelDB's answer is: callers may rely on it arriving after they return.
      setImmediate(() => cb(null, copy));
      return;
    }
    const asked = writes;
    get(key, (error, value) => {
      if (!error && value !== undefined && asked === writes) cache.set(key, JSON.stringify(value));
      cb(error, value);
    });
  };
  tableDb.put = (key, value, cb) => {
    forget(key);
    put(key, value, writing(key, cb));
  };
  tableDb.del = (key, cb) => {
    forget(key);
    del(key, writing(key, cb));
  };
  tableDb.batch = (operations, cb) => {
    forget();
    batch(operations, writing(undefined, cb));
  };
};
