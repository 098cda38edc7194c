import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoItems } from '../../adapters/dynamo-items';
import { startEmulators, type Emulators } from '../support/emulators';

/**
 * The ledger's per-article calls on a client of their own (adapters/dynamo-items.ts), against dynalite:
 * they read and write what the document client reads and writes, with its marshalling options, and
 * their errors are the SDK's.
 */
describe('DynamoItems: GetItem, PutItem and UpdateItem with the document client’s values (dynalite)', () => {
  let emu: Emulators;
  let items: DynamoItems;
  beforeAll(async () => {
    emu = await startEmulators();
    items = DynamoItems.for(emu.dynamo);
  });
  afterAll(async () => emu.stop());

  const row = () => ({
    articleId: randomUUID(),
    state: 'QUEUED',
    bytes: 4_680,
    keyphrases: ['glacial lake', 'outburst flood'],
    usage: { inputTokens: 812, parts: { map: 2 } },
    tags: new Set(['news', 'climate']),
    note: undefined,
  });

  it('puts a row the document client reads back the same, leaving undefined values out', async () => {
    const written = row();
    await items.put({ TableName: emu.table, Item: written, ConditionExpression: 'attribute_not_exists(articleId)' });
    const { Item } = await emu.dynamo.send(
      new GetCommand({ TableName: emu.table, Key: { articleId: written.articleId }, ConsistentRead: true }),
    );
    const { note, ...stored } = written;
    expect(note).toBeUndefined();
    expect(Item).toEqual(stored);
    expect(Item).not.toHaveProperty('note');
  });

  it('gets what the document client put, numbers as numbers and sets as sets, and nothing for a missing key', async () => {
    const { note, ...written } = row();
    expect(note).toBeUndefined();
    await emu.dynamo.send(new PutCommand({ TableName: emu.table, Item: written }));
    expect(await items.get({ TableName: emu.table, Key: { articleId: written.articleId }, ConsistentRead: true })).toEqual(written);
    expect(await items.get({ TableName: emu.table, Key: { articleId: randomUUID() }, ConsistentRead: true })).toBeUndefined();
  });

  it('updates with conditions and values, returning the row when asked and {} when not', async () => {
    const { note, ...written } = row();
    expect(note).toBeUndefined();
    await items.put({ TableName: emu.table, Item: written });
    const update = {
      TableName: emu.table,
      Key: { articleId: written.articleId },
      UpdateExpression: 'SET #state = :done, #usage.parts.#reduce = :one ADD #bytes :more',
      ConditionExpression: '#state = :queued',
      ExpressionAttributeNames: { '#state': 'state', '#usage': 'usage', '#reduce': 'reduce', '#bytes': 'bytes' },
      ExpressionAttributeValues: { ':done': 'COMPLETED', ':queued': 'QUEUED', ':one': 1, ':more': 20 },
    };
    expect(await items.update({ ...update, ReturnValues: 'ALL_NEW' })).toEqual({
      ...written,
      state: 'COMPLETED',
      bytes: 4_700,
      usage: { inputTokens: 812, parts: { map: 2, reduce: 1 } },
    });
    const again = items.update(update);
    await expect(again).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(items.update({ ...update, ConditionExpression: '#state = :done OR #state = :queued' })).resolves.toEqual({});
  });

  it('is one per document client, so the ledgers on one client share its connections', () => {
    expect(DynamoItems.for(emu.dynamo)).toBe(items);
  });

  it('talks to the document client’s endpoint with its credentials, retries and connections', async () => {
    // A document client on a port nothing listens on: the items client must fail there too, not reach dynalite.
    const raw = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    });
    const elsewhere = DynamoItems.for(DynamoDBDocumentClient.from(raw));
    await expect(elsewhere.get({ TableName: emu.table, Key: { articleId: 'a' } })).rejects.toThrow(/ECONNREFUSED/);
    raw.destroy();
  });
});
