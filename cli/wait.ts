import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LedgerRowsByKey } from '../adapters/ledger-rows';
import { articleIdFor } from '../core/ids';
import { isTerminal, type LedgerRow } from '../core/ledger';

/** Current ledger rows of the given keys, read consistently (BatchGetItem, adapters/ledger-rows.ts). */
export const rowsFor = async (dynamo: DynamoDBDocumentClient, table: string, bucket: string, keys: string[]): Promise<LedgerRow[]> =>
  new LedgerRowsByKey(dynamo, table).get<LedgerRow>(
    keys.map((key) => articleIdFor(bucket, key)),
    { consistent: true },
  );

/** Polls until every key has a terminal row or the deadline passes; reports progress as it goes. */
export const waitForTerminal = async (
  options: { dynamo: DynamoDBDocumentClient; table: string; bucket: string; keys: string[]; timeoutMs: number; everyMs?: number },
  onProgress?: (terminal: number, rows: LedgerRow[]) => void,
): Promise<LedgerRow[]> => {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const rows = await rowsFor(options.dynamo, options.table, options.bucket, options.keys);
    const terminal = rows.filter((r) => isTerminal(r.state)).length;
    onProgress?.(terminal, rows);
    if (terminal === options.keys.length) return rows;
    if (Date.now() > deadline) {
      throw new Error(`only ${terminal} of ${options.keys.length} articles finished within ${options.timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 250));
  }
};
