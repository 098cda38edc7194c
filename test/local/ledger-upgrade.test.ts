import { rmSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { StackConfig } from '../../local/template/stack-config';
import { runTrends } from '../../cli/read-trends';
import { startTestCloud, terminalRows, type TestCloud } from '../support/local-cloud';

/** The stack as the version before trend analysis defined it: a ledger without byPublishedDay. */
const withoutPublishedDay = (config: StackConfig): StackConfig => ({
  ...config,
  table: {
    ...config.table,
    AttributeDefinitions: config.table.AttributeDefinitions?.filter((a) => a.AttributeName !== 'publishedDay'),
    GlobalSecondaryIndexes: config.table.GlobalSecondaryIndexes?.filter((i) => i.IndexName !== 'byPublishedDay'),
  },
});

const ARTICLE =
  'Heat pumps cut heating bills\n\nHouseholds that replaced gas boilers with heat pumps paid less for heating. Installers fitted heat pumps in older houses.\n';

describe('a state folder from the version before trends, started by this version', () => {
  let cloud: TestCloud | undefined;
  let stateDir = '';
  afterAll(async () => {
    await cloud?.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('keeps its rows and gains byPublishedDay, so trends read old and new articles', async () => {
    // Prepare: the old ledger, with a summarized article in it.
    const old = await startTestCloud({ adjust: withoutPublishedDay });
    stateDir = old.stateDir;
    const put = (c: TestCloud, key: string) =>
      c.s3.send(
        new PutObjectCommand({
          Bucket: c.endpoints.bucket,
          Key: key,
          Body: ARTICLE,
          ContentType: 'text/plain',
          Metadata: { published: '2026-11-05' },
        }),
      );
    await put(old, 'input/old.txt');
    await terminalRows(old, ['input/old.txt']);
    await old.close();

    // Act
    cloud = await startTestCloud({ stateDir });
    await put(cloud, 'input/new.txt');
    const rows = await terminalRows(cloud, ['input/old.txt', 'input/new.txt']);

    // Assess
    expect(rows.get('input/old.txt')).toMatchObject({ state: 'COMPLETED', publishedDay: '2026-11-05' });
    const onDay = await cloud.dynamo.send(
      new QueryCommand({
        TableName: cloud.endpoints.table,
        IndexName: 'byPublishedDay',
        KeyConditionExpression: 'publishedDay = :d',
        ExpressionAttributeValues: { ':d': '2026-11-05' },
      }),
    );
    expect((onDay.Items ?? []).map((r) => r.key).sort()).toEqual(['input/new.txt', 'input/old.txt']);
    const [period] = await runTrends(
      { dynamo: cloud.dynamo, table: cloud.endpoints.table, inputPrefix: cloud.endpoints.inputPrefix },
      { from: '2026-11-05', to: '2026-11-05', by: 'day', top: 3 },
    );
    expect(period?.articles).toBe(2);
    expect(period?.top[0]).toEqual({ phrase: 'heat pump', count: 2 });
  }, 180_000);
});
