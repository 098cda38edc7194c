/**
 * dynalite's db module (node_modules/dynalite/db/index.js) makes the store of a dynalite server with
 * `create`, and its server calls it through the module's exports: replacing `create` reaches every
 * store made from then on. The local cloud's dynalite process changes each one this way
 * (table-cache.ts, write-batches.ts).
 */
export const eachNewStore = <Store>(dynaliteDb: { create(options: unknown): Store }, change: (store: Store) => void): void => {
  const create = dynaliteDb.create.bind(dynaliteDb);
  dynaliteDb.create = (options) => {
    const store = create(options);
    change(store);
    return store;
  };
};
