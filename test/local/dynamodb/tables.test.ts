import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { ensureTable, withBatch } from '../../../local/dynamodb/tables';
import { readStackConfig } from '../../../local/template/stack-config';
import { startEmulators, type Emulators } from '../../support/emulators';

// The release before trends and batches: byState and byDay only (test/template/previous-releases.json).
const previousRelease = (template: CreateTableCommandInput & { TableName: string }): CreateTableCommandInput & { TableName: string } => ({
  ...template,
  AttributeDefinitions: template.AttributeDefinitions?.filter((a) => !['batch', 'publishedDay'].includes(a.AttributeName as string)),
  GlobalSecondaryIndexes: template.GlobalSecondaryIndexes?.filter((i) => ['byState', 'byDay'].includes(i.IndexName as string)),
});

const row = (id: string, key: string) => ({
  articleId: { S: id },
  key: { S: key },
  state: { S: 'COMPLETED' },
  day: { S: '2026-11-30' },
  receivedAt: { S: `2026-11-30T10:00:0${id}.000Z` },
});

describe('a ledger kept from the previous release, on start', () => {
  let emu: Emulators;
  let backupDir: string;
  const spillFile = () => join(backupDir, 'ledger-upgrade.jsonl');
  const template = readStackConfig({ projectRoot: join(__dirname, '..', '..', '..') }).table;
  let n = 0;
  const name = () => `ledger-upgrade-${++n}`;

  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(async () => emu.stop());
  beforeEach(() => {
    backupDir = mkdtempSync(join(tmpdir(), 'table-upgrade-'));
  });
  afterEach(() => rmSync(backupDir, { recursive: true, force: true }));

  const batchOf = async (table: string, batch: string) =>
    (
      await emu.rawDynamo.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'byBatch',
          KeyConditionExpression: '#b = :b',
          ExpressionAttributeNames: { '#b': 'batch' },
          ExpressionAttributeValues: { ':b': { S: batch } },
        }),
      )
    ).Items?.map((item) => item.key?.S);

  it('gains the byBatch index, and its rows their batch, keeping every row', async () => {
    // Prepare
    const TableName = name();
    await emu.rawDynamo.send(new CreateTableCommand(previousRelease({ ...template, TableName })));
    for (const [id, key] of [
      ['1', 'input/batch-a/x.txt'],
      ['2', 'input/batch-a/deeper/y.txt'],
      ['3', 'input/top.txt'],
    ] as const) {
      await emu.rawDynamo.send(new PutItemCommand({ TableName, Item: row(id, key) }));
    }
    // Act
    await ensureTable(emu.rawDynamo, { ...template, TableName }, { spillFile: spillFile(), fill: withBatch('input/') });
    // Assess
    const { Table } = await emu.rawDynamo.send(new DescribeTableCommand({ TableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual([
      'byBatch',
      'byDay',
      'byPendingEvent',
      'byPublishedDay',
      'byState',
    ]);
    expect(await batchOf(TableName, 'batch-a')).toEqual(['input/batch-a/x.txt', 'input/batch-a/deeper/y.txt']);
    expect(await batchOf(TableName, '/')).toEqual(['input/top.txt']);
    expect(existsSync(spillFile())).toBe(false);
  });

  it('leaves a table that has every index alone', async () => {
    const TableName = name();
    await ensureTable(emu.rawDynamo, { ...template, TableName }, { spillFile: spillFile() });
    await emu.rawDynamo.send(new PutItemCommand({ TableName, Item: { ...row('1', 'input/b/x.txt'), batch: { S: 'b' } } }));

    await ensureTable(emu.rawDynamo, { ...template, TableName }, { spillFile: spillFile() });

    expect(await batchOf(TableName, 'b')).toEqual(['input/b/x.txt']);
  });

  it('finishes a rebuild a stopped start left half done, from its backup', async () => {
    // Prepare: the rows were saved (one JSON line each) and the table deleted when the last start stopped.
    const TableName = name();
    writeFileSync(spillFile(), `${JSON.stringify(row('1', 'input/c/x.txt'))}\n`);
    // Act
    await ensureTable(emu.rawDynamo, { ...template, TableName }, { spillFile: spillFile(), fill: withBatch('input/') });
    // Assess
    expect(await batchOf(TableName, 'c')).toEqual(['input/c/x.txt']);
    expect(existsSync(spillFile())).toBe(false);
  });
});
