import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { cacheReads, cacheTableDescriptions, type DynaliteDbModule, type TableDb } from '../../../local/dynamodb/table-cache';
import { startDynalite, type DynaliteServer } from '../../support/dynalite-server';
import { eventually } from '../../support/eventually';

// dynalite's own db module, as its index.js uses it: this test file has its own module registry
// (Jest), so the wrapping below reaches only the dynalite started here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const db = require('dynalite/db') as DynaliteDbModule;
cacheTableDescriptions(db);

describe('table descriptions kept in memory by dynalite (table-cache.ts), on its LevelDB store', () => {
  let dir: string;
  let dynamo: DynaliteServer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'table-cache-'));
    dynamo = await startDynalite({ path: join(dir, 'db') });
    client = dynamo.client;
  });

  afterAll(async () => {
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const describeRows = async () => (await client.send(new DescribeTableCommand({ TableName: 'rows' }))).Table;

  const create = (indexed: boolean) =>
    client.send(
      new CreateTableCommand({
        TableName: 'rows',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          ...(indexed ? [{ AttributeName: 'state', AttributeType: 'S' as const }] : []),
        ],
        ...(indexed && {
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byState',
              KeySchema: [{ AttributeName: 'state', KeyType: 'HASH' as const }],
              Projection: { ProjectionType: 'KEYS_ONLY' as const },
              ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
            },
          ],
        }),
      }),
    );

  // dynalite 4.0's UpdateTable changes throughput only (local/README.md, Traps): the change here.
  it('sees every change of a table: its throughput updated, the table deleted and created again', async () => {
    await create(false);
    await client.send(new PutItemCommand({ TableName: 'rows', Item: { id: { S: 'a' }, state: { S: 'QUEUED' } } }));
    expect((await describeRows())?.ProvisionedThroughput?.ReadCapacityUnits).toBe(1);

    await client.send(
      new UpdateTableCommand({ TableName: 'rows', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }),
    );
    await eventually(async () => {
      const table = await describeRows();
      return table?.TableStatus === 'ACTIVE' && table.ProvisionedThroughput?.ReadCapacityUnits === 5;
    });

    await client.send(new DeleteTableCommand({ TableName: 'rows' }));
    await eventually(() =>
      client.send(new GetItemCommand({ TableName: 'rows', Key: { id: { S: 'a' } } })).then(
        () => false,
        (error: unknown) => error instanceof ResourceNotFoundException,
      ),
    );
    await create(true);
    expect((await describeRows())?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byState']);
    expect((await client.send(new GetItemCommand({ TableName: 'rows', Key: { id: { S: 'a' } } }))).Item).toBeUndefined();
  });
});

/**
 * The order of a read and a write racing on one key, which dynalite's real store cannot be made to
 * produce on demand: a store whose answers the test releases by hand.
 */
describe('a table description read while it is written', () => {
  type Pending = { key: string; finish: () => void };

  const handStore = () => {
    const values = new Map<string, unknown>([['rows', { TableStatus: 'ACTIVE', version: 1 }]]);
    const pending: Pending[] = [];
    const reads: string[] = [];
    const store: TableDb = {
      get: (key, cb) => {
        reads.push(key);
        const value = values.get(key);
        pending.push({ key, finish: () => cb(null, structuredClone(value)) });
      },
      put: (key, value, cb) => pending.push({ key, finish: () => (values.set(key, value), cb(null)) }),
      del: (key, cb) => pending.push({ key, finish: () => (values.delete(key), cb(null)) }),
      batch: (_operations, cb) => pending.push({ key: '*', finish: () => cb(null) }),
    };
    return { store, pending, reads };
  };
  const read = (store: TableDb, key = 'rows') =>
    new Promise<unknown>((resolve, reject) => store.get(key, (error, value) => (error ? reject(error) : resolve(value))));

  it('answers from memory once read, with a copy each reader may change', async () => {
    const { store, pending, reads } = handStore();
    cacheReads(store);

    const first = read(store);
    pending.shift()?.finish();
    const a = (await first) as { version: number };
    a.version = 99;
    const b = (await read(store)) as { version: number };

    expect(b).toEqual({ TableStatus: 'ACTIVE', version: 1 });
    expect(reads).toEqual(['rows']);
  });

  it('does not keep a read that a write started or ended during, and reads again after the write', async () => {
    const { store, pending, reads } = handStore();
    cacheReads(store);

    // A read from before the write, answered after the write began: its old value is not kept.
    const stale = read(store);
    store.put('rows', { TableStatus: 'UPDATING', version: 2 }, () => undefined);
    pending.shift()?.finish(); // the read answers (old value)
    expect(await stale).toEqual({ TableStatus: 'ACTIVE', version: 1 });
    pending.shift()?.finish(); // the write ends

    const fresh = read(store);
    pending.shift()?.finish();
    expect(await fresh).toEqual({ TableStatus: 'UPDATING', version: 2 });

    // A delete drops it too.
    store.del('rows', () => undefined);
    pending.shift()?.finish();
    const gone = read(store);
    pending.shift()?.finish();
    expect(await gone).toBeUndefined();
    expect(reads).toEqual(['rows', 'rows', 'rows']);
  });
});
