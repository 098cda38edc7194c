import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describeLedgerIndexes } from '../../adapters/ledger-indexes';
import { indexLines, upgradeLedger } from '../../cli/upgrade-ledger';
import { describeTableAnswer } from '../support/describe-table';
import { startEmulators, type Emulators } from '../support/emulators';

describe('npm run upgrade-ledger on a ledger whose indexes are built (dynalite)', () => {
  let emu: Emulators;
  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(async () => emu.stop());

  it("lists the ledger's indexes as DescribeTable shows them, and gives rows of an earlier release their batch", async () => {
    // Prepare: a row written before the ledger had batch.
    await emu.dynamo.send(
      new PutCommand({
        TableName: emu.table,
        Item: {
          articleId: 'old',
          key: 'input/batch-2026-11/a.txt',
          state: 'COMPLETED',
          receivedAt: '2026-11-20T10:00:00.000Z',
          day: '2026-11-20',
        },
      }),
    );
    // Act
    const report = await upgradeLedger({ dynamo: emu.dynamo, table: emu.table, inputPrefix: 'input/' });
    // Assess
    expect(report.backfill).toEqual({ scanned: 1, updated: 1, skipped: 0 });
    expect(indexLines(report.indexes, emu.table)).toEqual([
      `the ledger's indexes (${emu.table}):`,
      '  byState         ACTIVE   INCLUDE key, batch, completedAt, costUsd, costItems, summary, reason, level, levelSize, levelDone',
      '  byDay           ACTIVE   INCLUDE key',
      '  byPublishedDay  ACTIVE   INCLUDE state, key, title, keyphrases, publishedAt',
      '  byBatch         ACTIVE   INCLUDE key, state, completedAt, costUsd, costItems',
      '  byPendingEvent  ACTIVE   KEYS_ONLY',
    ]);
  });
});

describe('npm run upgrade-ledger while an upgrade deploy builds an index', () => {
  // DynamoDB's DescribeTable while byState is backfilled after being added back; dynalite builds
  // indexes at once and never answers so (test/events/README.md: the API reference's example).
  let dynamodb: ReturnType<typeof mockClient>;
  beforeAll(() => {
    dynamodb = mockClient(DynamoDBDocumentClient);
  });
  afterAll(() => dynamodb.restore());

  it('says which index is not ACTIVE, what waits for it, and the command that returns once it is', async () => {
    // Prepare
    dynamodb.on(DescribeTableCommand).resolves(
      describeTableAnswer('ledger-qa', [
        { name: 'byState', hash: 'state', range: 'receivedAt', projection: ['key', 'batch'], status: 'CREATING', backfilling: true },
        { name: 'byPublishedDay', hash: 'publishedDay', range: 'receivedAt', projection: ['state'] },
      ]),
    );
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    );
    // Act
    const lines = indexLines(await describeLedgerIndexes(db, 'ledger-qa'), 'ledger-qa');
    // Assess
    expect(lines).toEqual([
      "the ledger's indexes (ledger-qa):",
      '  byState         CREATING backfilling: DynamoDB is reading every row into it; INCLUDE key, batch',
      '  byPublishedDay  ACTIVE   INCLUDE state',
      'byState is not ACTIVE yet: npm run status, results, retry, reconcile and the next deploy of an upgrade wait for it. This returns once every index is ACTIVE:',
      `  until [ "$(aws dynamodb describe-table --table-name ledger-qa --query "length(Table.GlobalSecondaryIndexes[?IndexStatus!='ACTIVE'])" --output text)" = "0" ]; do sleep 60; done`,
      'byDay and byBatch are not on the table: the next deploys of the upgrade add them (docs/aws.md "Upgrading").',
    ]);
  });
});
