/**
 * Creates a table if it does not exist yet. The local cloud takes the definition from the packaged
 * template (../template/stack-config.ts), so keys and indexes cannot drift from what AWS gets; emulators lack
 * TTL, PITR and SSE settings, which only the AWS table carries.
 *
 * A table an earlier version created (kept in the state folder) gains the indexes the template added.
 * DynamoDB would build them with UpdateTable, one per call
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html); dynalite
 * accepts GlobalSecondaryIndexUpdates.Create but builds nothing, so the table is rebuilt instead:
 * every item to a backup file, the table created anew, the items written back (which fills every
 * index). The backup is written first and removed last, so a start interrupted half way restores it.
 */

import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ScanCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { batchOf } from '../../core/batch';

type Item = Record<string, AttributeValue>;

/** Rows written before the ledger had `batch` get it from their key (core/batch.ts). */
export const withBatch =
  (inputPrefix: string) =>
  (item: Item): Item =>
    item.batch || item.key?.S === undefined ? item : { ...item, batch: { S: batchOf(item.key.S, inputPrefix) } };

export interface TableUpgrade {
  /** Where the items wait while the table is rebuilt (inside the state folder). */
  backupDir: string;
  /** Fills attributes that items written by the earlier version lack (e.g. a new index's key). */
  fill?: (item: Item) => Item;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export const ensureTable = async (db: DynamoDBClient, input: CreateTableCommandInput & { TableName: string }, upgrade?: TableUpgrade): Promise<void> => {
  const backup = upgrade ? join(upgrade.backupDir, `${input.TableName}.json`) : undefined;
  if (backup && existsSync(backup)) return rebuild(db, input, JSON.parse(readFileSync(backup, 'utf-8')) as Item[], backup, upgrade);
  try {
    await db.send(new CreateTableCommand(input));
    return;
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  if (!upgrade || !backup) return;
  const missing = await missingIndexes(db, input);
  if (missing.length === 0) return;
  upgrade.log?.('ledger table gains indexes: rebuilding it', { table: input.TableName, indexes: missing });
  const items = await scanAll(db, input.TableName);
  writeFileSync(`${backup}.tmp`, JSON.stringify(items));
  renameSync(`${backup}.tmp`, backup);
  await rebuild(db, input, items, backup, upgrade);
};

/** Index names the template declares that the existing table lacks. */
export const missingIndexes = async (db: DynamoDBClient, input: CreateTableCommandInput & { TableName: string }): Promise<string[]> => {
  const { Table } = await db.send(new DescribeTableCommand({ TableName: input.TableName }));
  const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  return (input.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName as string).filter((name) => !existing.has(name));
};

const scanAll = async (db: DynamoDBClient, table: string): Promise<Item[]> => {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

const rebuild = async (db: DynamoDBClient, input: CreateTableCommandInput & { TableName: string }, items: Item[], backup: string, upgrade: TableUpgrade | undefined): Promise<void> => {
  try {
    await db.send(new DeleteTableCommand({ TableName: input.TableName }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
  }
  await db.send(new CreateTableCommand(input));
  const filled = upgrade?.fill ? items.map(upgrade.fill) : items;
  for (let i = 0; i < filled.length; i += 25) {
    let pending: Item[] = filled.slice(i, i + 25);
    while (pending.length > 0) {
      const { UnprocessedItems } = await db.send(
        new BatchWriteItemCommand({ RequestItems: { [input.TableName]: pending.map((Item) => ({ PutRequest: { Item } })) } }),
      );
      pending = (UnprocessedItems?.[input.TableName] ?? []).flatMap((request) => (request.PutRequest?.Item ? [request.PutRequest.Item] : []));
    }
  }
  rmSync(backup, { force: true });
  upgrade?.log?.('ledger table rebuilt with its indexes', { table: input.TableName, items: filled.length });
};
