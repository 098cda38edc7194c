import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { articleIdFor } from '../core/ids';
import { isTerminal, type LedgerRow } from '../core/ledger';

/** Current ledger rows of the given keys (BatchGetItem, 100 keys a call). */
export const rowsFor = async (dynamo: DynamoDBDocumentClient, table: string, bucket: string, keys: string[]): Promise<LedgerRow[]> => {
  const rows: LedgerRow[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let request: Record<string, unknown>[] | undefined = keys.slice(i, i + 100).map((key) => ({ articleId: articleIdFor(bucket, key) }));
    while (request && request.length > 0) {
      const reply = await dynamo.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: request, ConsistentRead: true } } }));
      rows.push(...((reply.Responses?.[table] ?? []) as LedgerRow[]));
      request = reply.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return rows;
};

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
