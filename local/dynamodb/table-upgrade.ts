/**
 * Brings a table that an earlier version created under `--state-dir` up to the packaged template's
 * global secondary indexes (a new index, one removed, or one whose keys or projection changed), so a
 * user's old local ledger keeps working after an upgrade. On AWS, CloudFormation adds or deletes one
 * index per deploy and DynamoDB backfills a new one from the existing items
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html). dynalite 4.0
 * implements only throughput changes in UpdateTable (local/README.md, Traps), so the local cloud reaches
 * the same end another way, all indexes at once: every item is copied to a file in the state folder,
 * the table is created again from the template, and the items are written back, which fills the
 * indexes. The file is the only copy while the table is re-created; a start that finds it finishes the
 * upgrade before anything else.
 */

import { closeSync, createReadStream, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  paginateScan,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

const BATCH_WRITE_MAX = 25;

export interface UpgradeLog {
  (message: string, fields?: Record<string, unknown>): void;
}

/** Gives an item written by an earlier version the attributes a new index is keyed on. */
export type ItemFill = (item: Record<string, AttributeValue>) => Record<string, AttributeValue>;

/** What of an index cannot change in place: its keys and projection. */
const definitionOf = (index: { KeySchema?: unknown; Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] } }) =>
  JSON.stringify({
    keys: index.KeySchema ?? [],
    type: index.Projection?.ProjectionType ?? 'ALL',
    include: index.Projection?.NonKeyAttributes ?? [],
  });

/**
 * Indexes that differ between the table and the template: declared but missing, present but no longer
 * declared, or declared with other keys or projection. Undefined when the table does not exist.
 */
export const indexesToRebuild = async (db: DynamoDBClient, input: CreateTableCommandInput): Promise<string[] | undefined> => {
  try {
    const { Table } = await db.send(new DescribeTableCommand({ TableName: input.TableName }));
    const present = new Map((Table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName as string, definitionOf(i)]));
    const declared = new Map((input.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName as string, definitionOf(i)]));
    return [
      ...[...declared].filter(([name, definition]) => present.get(name) !== definition).map(([name]) => name),
      ...[...present.keys()].filter((name) => !declared.has(name)),
    ];
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

/**
 * Re-creates the table with the template's indexes when one differs, keeping every item. `spillFile`
 * is where the items wait meanwhile (in the state folder, beside the ledger it protects).
 */
export const upgradeTable = async (
  db: DynamoDBClient,
  input: CreateTableCommandInput,
  spillFile: string,
  log: UpgradeLog = () => undefined,
  fill: ItemFill = (item) => item,
): Promise<void> => {
  const differing = await indexesToRebuild(db, input);
  if (existsSync(spillFile)) {
    log('finishing an interrupted ledger upgrade', { table: input.TableName, spillFile });
  } else {
    if (!differing || differing.length === 0) return;
    log("bringing the local ledger's indexes up to the template", { table: input.TableName, indexes: differing });
    await spill(db, input.TableName as string, spillFile);
  }
  if (differing === undefined || differing.length > 0) {
    if (differing !== undefined) await deleteTable(db, input.TableName as string);
    await createTable(db, input);
  }
  const items = await restore(db, input.TableName as string, spillFile, fill);
  rmSync(spillFile, { force: true });
  log('local ledger upgraded', { table: input.TableName, items });
};

/** Every item, one JSON line each, written to a temporary name and renamed once complete and synced. */
const spill = async (db: DynamoDBClient, table: string, spillFile: string): Promise<void> => {
  const partial = `${spillFile}.partial`;
  const fd = openSync(partial, 'w', 0o600);
  try {
    for await (const page of paginateScan({ client: db }, { TableName: table, ConsistentRead: true })) {
      const lines = (page.Items ?? []).map((item) => `${JSON.stringify(item)}\n`).join('');
      if (lines) writeSync(fd, lines);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, spillFile);
};

const restore = async (db: DynamoDBClient, table: string, spillFile: string, fill: ItemFill): Promise<number> => {
  let batch: Record<string, AttributeValue>[] = [];
  let count = 0;
  const lines = createInterface({ input: createReadStream(spillFile, 'utf-8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    batch.push(fill(JSON.parse(line) as Record<string, AttributeValue>));
    count++;
    if (batch.length === BATCH_WRITE_MAX) {
      await writeAll(db, table, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await writeAll(db, table, batch);
  return count;
};

const writeAll = async (db: DynamoDBClient, table: string, items: Record<string, AttributeValue>[]): Promise<void> => {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  while (requests.length > 0) {
    const { UnprocessedItems } = await db.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
    requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
  }
};

const deleteTable = async (db: DynamoDBClient, table: string): Promise<void> => {
  try {
    await db.send(new DeleteTableCommand({ TableName: table }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await until(async () => (await indexesToRebuild(db, { TableName: table })) === undefined, `table ${table} to be deleted`);
};

const createTable = async (db: DynamoDBClient, input: CreateTableCommandInput): Promise<void> => {
  try {
    await db.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await until(async () => {
    const { Table } = await db.send(new DescribeTableCommand({ TableName: input.TableName }));
    return Table?.TableStatus === 'ACTIVE';
  }, `table ${input.TableName} to be active`);
};

/** dynalite deletes and creates tables on a timer of 0 ms: a few polls at most. */
const until = async (done: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
