import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
  type CreateTableCommandInput,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ensureTable } from '../../../local/dynamodb/tables';
import { readStackConfig } from '../../../local/template/stack-config';
import { startDynalite, type DynaliteServer } from '../../support/dynalite-server';
import { projectRoot } from '../../support/local-cloud';

/** The ledger as the template defines it now, and as earlier releases created it (test/template/previous-releases.json). */
const current = { ...readStackConfig({ projectRoot }).table, TableName: 'ledger' };
const releases = JSON.parse(readFileSync(join(projectRoot, 'test', 'template', 'previous-releases.json'), 'utf8')) as Record<
  string,
  GlobalSecondaryIndex[]
>;
const previous: CreateTableCommandInput = {
  ...current,
  AttributeDefinitions: current.AttributeDefinitions?.filter((a) => !['publishedDay', 'batch'].includes(a.AttributeName as string)),
  GlobalSecondaryIndexes: releases['before trends and batches'],
};
const beforeProjections: CreateTableCommandInput = { ...current, GlobalSecondaryIndexes: releases['before projections'] };

const row = (i: number) => ({
  articleId: `articles/input/a-${i}.txt`,
  state: 'COMPLETED',
  key: `input/a-${i}.txt`,
  receivedAt: `2026-11-0${1 + (i % 3)}T10:00:${String(i % 60).padStart(2, '0')}.000Z`,
  day: `2026-11-0${1 + (i % 3)}`,
  summary: `summary ${i}`,
  // Rows written before trends have no publishedDay; newer ones do.
  ...(i % 2 === 0 ? { publishedDay: `2026-10-0${1 + (i % 3)}`, keyphrases: ['heat pump', `topic ${i}`] } : {}),
});

describe("a local ledger created by an earlier version gains the template's new index on start", () => {
  let dynamo: DynaliteServer;
  let raw: DynamoDBClient;
  let db: DynamoDBDocumentClient;
  let dir: string;

  beforeEach(async () => {
    dynamo = await startDynalite();
    raw = dynamo.client;
    db = DynamoDBDocumentClient.from(raw);
    dir = mkdtempSync(join(tmpdir(), 'rs-upgrade-'));
  });
  afterEach(async () => {
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const indexNames = async () =>
    ((await raw.send(new DescribeTableCommand({ TableName: 'ledger' }))).Table?.GlobalSecondaryIndexes ?? [])
      .map((i) => i.IndexName)
      .sort();
  const allItems = async () => ((await raw.send(new ScanCommand({ TableName: 'ledger' }))).Items ?? []).length;
  const publishedOn = async (day: string) =>
    (
      await db.send(
        new QueryCommand({
          TableName: 'ledger',
          IndexName: 'byPublishedDay',
          KeyConditionExpression: 'publishedDay = :d',
          ExpressionAttributeValues: { ':d': day },
        }),
      )
    ).Items ?? [];

  it('adds byPublishedDay, keeps every row, and indexes the rows that have a publishedDay', async () => {
    // Prepare: the old table with 60 rows.
    await ensureTable(raw, previous);
    for (let i = 0; i < 60; i += 25) {
      await db.send(
        new BatchWriteCommand({
          RequestItems: { ledger: Array.from({ length: Math.min(25, 60 - i) }, (_, j) => ({ PutRequest: { Item: row(i + j) } })) },
        }),
      );
    }
    const spillFile = join(dir, 'ledger-upgrade.jsonl');
    // Act
    await ensureTable(raw, current, { spillFile });
    // Assess
    expect(await indexNames()).toEqual(['byBatch', 'byDay', 'byPendingEvent', 'byPublishedDay', 'byState']);
    expect(await allItems()).toBe(60);
    const day1 = await publishedOn('2026-10-01');
    expect(day1.length).toBe(10);
    expect(day1[0]).toMatchObject({ state: 'COMPLETED', keyphrases: ['heat pump', expect.any(String)] });
    expect(existsSync(spillFile)).toBe(false);
  });

  it('rebuilds a ledger whose byState and byDay project every attribute with the projections of this release, keeping every row', async () => {
    // Prepare: the release before projections, 30 rows.
    await ensureTable(raw, beforeProjections);
    await db.send(
      new BatchWriteCommand({ RequestItems: { ledger: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: row(i) } })) } }),
    );
    await db.send(new BatchWriteCommand({ RequestItems: { ledger: [25, 26, 27, 28, 29].map((i) => ({ PutRequest: { Item: row(i) } })) } }));
    const spillFile = join(dir, 'ledger-upgrade.jsonl');
    // Act
    await ensureTable(raw, current, { spillFile });
    // Assess: the indexes as the template has them now; byState answers with what it projects.
    const { Table } = await raw.send(new DescribeTableCommand({ TableName: 'ledger' }));
    const projections = Object.fromEntries((Table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.Projection]));
    expect(projections.byState).toEqual({
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: ['key', 'batch', 'completedAt', 'costUsd', 'costItems', 'summary', 'reason', 'level', 'levelSize', 'levelDone'],
    });
    expect(projections.byDay).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['key'] });
    expect(await allItems()).toBe(30);
    const completed = await db.send(
      new QueryCommand({
        TableName: 'ledger',
        IndexName: 'byState',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':s': 'COMPLETED' },
      }),
    );
    expect(completed.Items).toHaveLength(30);
    expect(Object.keys(completed.Items?.[0] ?? {}).sort()).toEqual(['articleId', 'key', 'receivedAt', 'state', 'summary']);
    expect(existsSync(spillFile)).toBe(false);
  });

  it('leaves a table that has every index alone, and writes no spill file', async () => {
    await ensureTable(raw, current);
    await db.send(new BatchWriteCommand({ RequestItems: { ledger: [{ PutRequest: { Item: row(0) } }] } }));
    const spillFile = join(dir, 'ledger-upgrade.jsonl');

    await ensureTable(raw, current, { spillFile });

    expect(await allItems()).toBe(1);
    expect(existsSync(spillFile)).toBe(false);
  });

  it('finishes an upgrade interrupted after the old table was deleted, from the spill file', async () => {
    // Prepare: the spill file of an upgrade that stopped once the old table was gone.
    const spillFile = join(dir, 'ledger-upgrade.jsonl');
    writeFileSync(spillFile, [0, 1, 2, 3].map((i) => `${JSON.stringify(marshall(row(i)))}\n`).join(''));
    // Act
    await ensureTable(raw, current, { spillFile });
    // Assess
    expect(await allItems()).toBe(4);
    expect((await publishedOn('2026-10-01')).map((r) => r.articleId)).toEqual(['articles/input/a-0.txt']);
    expect(existsSync(spillFile)).toBe(false);
  });

  it('finishes an upgrade interrupted before the old table was deleted', async () => {
    await ensureTable(raw, previous);
    await db.send(new BatchWriteCommand({ RequestItems: { ledger: [0, 2].map((i) => ({ PutRequest: { Item: row(i) } })) } }));
    const spillFile = join(dir, 'ledger-upgrade.jsonl');
    writeFileSync(spillFile, [0, 2].map((i) => `${JSON.stringify(marshall(row(i)))}\n`).join(''));

    await ensureTable(raw, current, { spillFile });

    expect(await indexNames()).toEqual(['byBatch', 'byDay', 'byPendingEvent', 'byPublishedDay', 'byState']);
    expect(await allItems()).toBe(2);
    expect(existsSync(spillFile)).toBe(false);
  });
});
