/**
 * A batch is what a user drops together: the first folder under the input prefix
 * (`input/batch-2026-11/a.txt` → `batch-2026-11`). The ledger keeps it as `batch`, the partition key
 * of the byBatch index, so `npm run status --prefix` counts a batch with a Query, never a Scan.
 */

/** The batch of a key directly under the input prefix: "/" cannot be a folder name, so it never collides. */
export const TOP_LEVEL_BATCH = '/';

export const batchOf = (key: string, inputPrefix: string): string => {
  const rest = key.startsWith(inputPrefix) ? key.slice(inputPrefix.length) : key;
  const slash = rest.indexOf('/');
  return slash > 0 ? rest.slice(0, slash) : TOP_LEVEL_BATCH;
};

/**
 * What a `--prefix` selects: a batch to Query, and, when the prefix goes deeper than the batch folder
 * (`input/batch-2026-11/physics/`), the key prefix to filter the batch's rows by. A prefix without
 * a batch folder (`input/` or empty) selects everything.
 */
export type PrefixSelection = { kind: 'all' } | { kind: 'batch'; batch: string; keyPrefix?: string };

export const selectPrefix = (prefix: string | undefined, inputPrefix: string): PrefixSelection => {
  const trimmed = (prefix ?? '').replace(/^\/+/, '');
  if (trimmed === '' || trimmed === inputPrefix || `${trimmed}/` === inputPrefix) return { kind: 'all' };
  // Accept both `input/batch-2026-11/...` and `batch-2026-11/...`.
  const key = trimmed.startsWith(inputPrefix) ? trimmed : `${inputPrefix}${trimmed}`;
  const rest = key.slice(inputPrefix.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return { kind: 'batch', batch: rest };
  const batch = rest.slice(0, slash);
  const deeper = rest.slice(slash + 1);
  return deeper === '' ? { kind: 'batch', batch } : { kind: 'batch', batch, keyPrefix: key };
};
