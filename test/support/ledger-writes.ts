/**
 * What the ledger's writes cost in DynamoDB write units, table and each global secondary index: every
 * PutItem and UpdateItem a client sends is recorded with the item as it was before and after, and
 * priced by DynamoDB's rules:
 *  - a write consumes 1 WCU per KB of the larger of the item before and after
 *    (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html),
 *    also when its condition fails;
 *  - an index is written only when the write changes its entry: 1 write to put a new entry, 1 to
 *    delete one, 2 when an index key changes (delete the old entry, put the new), 1 when only projected
 *    attributes change, each at 1 WCU per KB of the entry
 *    (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations).
 * An entry's size is counted as an item of the table key, the index key and the projected attributes;
 * the 100 bytes of overhead per index item that the same page counts for storage are left out.
 */

import {
  ConditionalCheckFailedException,
  GetItemCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { itemSizeBytes } from './item-size';

type Item = Record<string, unknown>;

export interface RecordedWrite {
  command: string;
  before?: Item;
  /** Absent when the condition failed (nothing was written). */
  after?: Item;
  failed: boolean;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand']);
const KB = 1024;
const units = (bytes: number): number => Math.max(1, Math.ceil(bytes / KB));

/**
 * Records every Put/UpdateItem the clients of `stacks` send, one at a time (a lock, so that concurrent
 * writes of one row are each seen between their own before and after), reading the row through
 * `reader`, a client without this middleware. The table key is `articleId`.
 */
export const recordWrites = (
  stacks: DynamoDBDocumentClient['middlewareStack'][],
  reader: DynamoDBClient,
  table: string,
): RecordedWrite[] => {
  const writes: RecordedWrite[] = [];
  let lock: Promise<unknown> = Promise.resolve();
  const read = async (articleId: string): Promise<Item | undefined> => {
    const { Item } = await reader.send(
      new GetItemCommand({ TableName: table, Key: { articleId: { S: articleId } }, ConsistentRead: true }),
    );
    return Item ? unmarshall(Item) : undefined;
  };
  // After the input is marshalled (by lib-dynamodb, or by the ledger's own calls), before it is signed and sent.
  for (const stack of stacks)
    stack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName);
        const input = (args as { input: { Key?: Record<string, AttributeValue>; Item?: Record<string, AttributeValue> } }).input;
        if (!WRITES.has(command)) return next(args);
        const articleId = (input.Key ?? input.Item)?.articleId?.S as string;
        const turn = lock.then(async () => {
          const before = await read(articleId);
          try {
            const result = await next(args);
            writes.push({ command, before, after: await read(articleId), failed: false });
            return result;
          } catch (error) {
            if (error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException')
              writes.push({ command, before, failed: true });
            throw error;
          }
        });
        lock = turn.catch(() => undefined);
        return turn;
      },
      { step: 'build', name: 'recordLedgerWrites' },
    );
  return writes;
};

export interface IndexWrites {
  /** Index writes (puts, deletes and updates of entries). */
  writes: number;
  units: number;
  /** Bytes of the entries written. */
  bytes: number;
}

export interface WriteCost {
  writes: number;
  tableUnits: number;
  /** Bytes of the larger of the item before and after, summed over the writes. */
  tableBytes: number;
  largestItemBytes: number;
  indexes: Record<string, IndexWrites>;
  totalUnits: number;
}

/** An item's entry in an index, or undefined when it lacks an index key (sparse). */
const entryOf = (item: Item | undefined, index: GlobalSecondaryIndex): Item | undefined => {
  if (!item) return undefined;
  const keys = (index.KeySchema ?? []).map((k) => k.AttributeName as string);
  if (keys.some((name) => item[name] === undefined)) return undefined;
  const projection = index.Projection ?? { ProjectionType: 'ALL' };
  if (projection.ProjectionType === 'ALL') return item;
  const names = ['articleId', ...keys, ...(projection.ProjectionType === 'INCLUDE' ? (projection.NonKeyAttributes ?? []) : [])];
  return Object.fromEntries(names.filter((name) => item[name] !== undefined).map((name) => [name, item[name]]));
};

const sameValues = (a: Item, b: Item, names: string[]) => names.every((name) => JSON.stringify(a[name]) === JSON.stringify(b[name]));

/** Index writes of one table write, as [entry bytes] per index write. */
const indexWritesOf = (write: RecordedWrite, index: GlobalSecondaryIndex): number[] => {
  if (write.failed) return [];
  const [old, next] = [entryOf(write.before, index), entryOf(write.after, index)];
  if (!old && !next) return [];
  if (!old) return [itemSizeBytes(next as Item)];
  if (!next) return [itemSizeBytes(old)];
  const keys = (index.KeySchema ?? []).map((k) => k.AttributeName as string);
  if (!sameValues(old, next, keys)) return [itemSizeBytes(old), itemSizeBytes(next)];
  return JSON.stringify(old) === JSON.stringify(next) ? [] : [itemSizeBytes(next)];
};

/** The write units of `writes` with these index definitions. */
export const writeCost = (writes: readonly RecordedWrite[], indexes: readonly GlobalSecondaryIndex[]): WriteCost => {
  const sizes = writes.map((w) => Math.max(w.before ? itemSizeBytes(w.before) : 0, w.after ? itemSizeBytes(w.after) : 0));
  const perIndex = Object.fromEntries(
    indexes.map((index) => {
      const entries = writes.flatMap((write) => indexWritesOf(write, index));
      return [
        index.IndexName as string,
        { writes: entries.length, units: entries.reduce((sum, bytes) => sum + units(bytes), 0), bytes: entries.reduce((a, b) => a + b, 0) },
      ];
    }),
  );
  const tableUnits = sizes.reduce((sum, bytes) => sum + units(bytes), 0);
  return {
    writes: writes.length,
    tableUnits,
    tableBytes: sizes.reduce((a, b) => a + b, 0),
    largestItemBytes: Math.max(0, ...sizes),
    indexes: perIndex,
    totalUnits: tableUnits + Object.values(perIndex).reduce((sum, index) => sum + index.units, 0),
  };
};
