import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  batchWrites,
  gatherWrites,
  type CallbackLevel,
  type DynaliteStoreModule,
  type WriteOperation,
} from '../../../local/dynamodb/write-batches';
import { startDynalite, type DynaliteServer } from '../../support/dynalite-server';
import { eachNewStore } from '../../../local/dynamodb/new-stores';
import { eventually } from '../../support/eventually';

// dynalite's own db module, as its index.js uses it: this test file has its own module registry
// (Jest), so the wrapping below reaches only the dynalite stores made here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynaliteDb = require('dynalite/db') as DynaliteStoreModule;

/** The parts of dynalite's LevelDB the checks below read with. */
type ReadableLevel = CallbackLevel & {
  get(key: string, cb: (error: Error | null, value?: unknown) => void): void;
  close(cb: () => void): void;
};

/** Counts the LevelDB batches of a store's db: what gatherWrites reaches for. */
const countBatches = (db: CallbackLevel): WriteOperation[][] => {
  const batches: WriteOperation[][] = [];
  const batch = db.batch.bind(db);
  db.batch = (operations, cb) => {
    batches.push(operations);
    return batch(operations, cb);
  };
  return batches;
};

const written = (operation: (cb: (error?: Error | null) => void) => void) =>
  new Promise<Error | null | undefined>((resolve) => operation(resolve));

describe("dynalite's writes gathered into LevelDB batches (write-batches.ts)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'write-batches-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const store = (name: string) => {
    const db = dynaliteDb.create({ path: join(dir, name) }).db as ReadableLevel;
    const batches = countBatches(db);
    gatherWrites(db);
    const read = (key: string) =>
      new Promise<unknown>((resolve, reject) => db.get(key, (error, value) => (error ? reject(error) : resolve(value))));
    return { db, batches, read, close: () => new Promise<void>((resolve) => db.close(resolve)) };
  };

  it('applies the puts and deletes asked for in one turn as one batch, in the order asked, each acknowledged once readable', async () => {
    const s = store('order');
    const acknowledged: string[] = [];
    const seen: unknown[] = [];
    const writes = [
      written((cb) => s.db.put('a', { v: 1 }, cb)),
      written((cb) => s.db.put('b', { v: 1 }, cb)),
      written((cb) => s.db.del('a', cb)),
      written((cb) =>
        s.db.put('b', { v: 2 }, (error) => {
          acknowledged.push('b=2');
          // Acknowledged means written: a read from the callback sees it.
          void s.read('b').then((value) => seen.push(value));
          cb(error);
        }),
      ),
    ];
    expect(await Promise.all(writes)).toEqual([null, null, null, null]);
    await eventually(() => seen.length > 0);
    expect(seen).toEqual([{ v: 2 }]);
    expect(acknowledged).toEqual(['b=2']);
    expect(s.batches).toHaveLength(1);
    expect(s.batches[0]?.map((o) => `${o.type} ${o.key}`)).toEqual(['put a', 'put b', 'del a', 'put b']);
    expect(await s.read('a')).toBeUndefined();
    expect(await s.read('b')).toEqual({ v: 2 });
    await s.close();
  });

  it('starts a new batch for the writes asked for after the last one went out', async () => {
    const s = store('turns');
    await written((cb) => s.db.put('x', 1, cb));
    await written((cb) => s.db.put('x', 2, cb));
    expect(s.batches.map((b) => b.length)).toEqual([1, 1]);
    expect(await s.read('x')).toBe(2);
    await s.close();
  });

  it('fails every write of a batch that fails, with its error', async () => {
    const s = store('closed');
    await written((cb) => s.db.put('x', 1, cb));
    await s.close();
    const errors = await Promise.all([written((cb) => s.db.put('y', 1, cb)), written((cb) => s.db.del('x', cb))]);
    expect(errors.map((e) => e?.message)).toEqual(['Database is closed', 'Database is closed']);
  });

  it('leaves a write without a callback as it was: a promise of its own, outside any batch', async () => {
    const s = store('promise');
    await (s.db.put('p', { v: 1 }) as Promise<void>);
    expect(s.batches).toHaveLength(0);
    expect(await s.read('p')).toEqual({ v: 1 });
    await s.close();
  });

  describe('behind the DynamoDB API, with an index', () => {
    let dynamo: DynaliteServer;
    let client: DynamoDBClient;
    let batches: WriteOperation[][] = [];

    beforeAll(async () => {
      // The store dynalite makes here has its batches counted, then its writes gathered.
      eachNewStore(dynaliteDb, (store) => {
        batches = countBatches(store.db);
      });
      batchWrites(dynaliteDb);
      dynamo = await startDynalite({ path: join(dir, 'api') });
      client = dynamo.client;
      await client.send(
        new CreateTableCommand({
          TableName: 'rows',
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'state', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [
            { IndexName: 'byState', KeySchema: [{ AttributeName: 'state', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
          ],
        }),
      );
      await eventually(async () => (await client.send(new DescribeTableCommand({ TableName: 'rows' }))).Table?.TableStatus === 'ACTIVE');
    });

    afterAll(() => dynamo.stop());

    const inState = async (state: string) =>
      (
        await client.send(
          new QueryCommand({
            TableName: 'rows',
            IndexName: 'byState',
            KeyConditionExpression: '#s = :s',
            ExpressionAttributeNames: { '#s': 'state' },
            ExpressionAttributeValues: { ':s': { S: state } },
          }),
        )
      ).Items?.map((item) => item.id?.S).sort();

    it('keeps rows and index entries in step through concurrent puts and updates, in fewer batches than writes', async () => {
      const ids = Array.from({ length: 40 }, (_, n) => `row-${n}`);
      const before = batches.length;
      await Promise.all(
        ids.map((id) => client.send(new PutItemCommand({ TableName: 'rows', Item: { id: { S: id }, state: { S: 'QUEUED' } } }))),
      );
      await Promise.all(
        ids.slice(0, 25).map((id) =>
          client.send(
            new UpdateItemCommand({
              TableName: 'rows',
              Key: { id: { S: id } },
              UpdateExpression: 'SET #s = :done',
              ConditionExpression: '#s = :queued',
              ExpressionAttributeNames: { '#s': 'state' },
              ExpressionAttributeValues: { ':done': { S: 'COMPLETED' }, ':queued': { S: 'QUEUED' } },
            }),
          ),
        ),
      );
      expect(await inState('COMPLETED')).toEqual(ids.slice(0, 25).sort());
      expect(await inState('QUEUED')).toEqual(ids.slice(25).sort());
      const row = await client.send(new GetItemCommand({ TableName: 'rows', Key: { id: { S: 'row-3' } }, ConsistentRead: true }));
      expect(row.Item?.state?.S).toBe('COMPLETED');
      // 40 puts (row + index entry) and 25 updates (index delete, index put, row): 155 writes.
      const operations = batches.slice(before).reduce((sum, b) => sum + b.length, 0);
      expect(operations).toBe(155);
      expect(batches.length - before).toBeLessThan(operations);
    });
  });
});
