import { DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { LedgerIndexNotReadyError } from '../../adapters/index-readiness';
import { DynamoDbLedgerProgress } from '../../adapters/ledger-progress';
import { StateIndex } from '../../adapters/state-index';

// While a deployed stage is upgraded one index per deploy, an index is absent between two deploys or
// backfilling after one; DynamoDB then refuses a Query with a ValidationException. dynalite builds
// every index at once and never answers so, hence the mock (the message as
// aws-cloudformation/cloudformation-coverage-roadmap#1075 records it).
const validation = (message: string) =>
  new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message });

describe('reading a ledger index that is being built or is not there', () => {
  const dynamodb = mockClient(DynamoDBDocumentClient);
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
  );
  afterEach(() => dynamodb.reset());
  afterAll(() => dynamodb.restore());

  it('tells `npm run status --prefix` that byBatch is backfilling, and how to see where it stands', async () => {
    dynamodb.on(QueryCommand).rejects(validation('Cannot read from backfilling global secondary index: byBatch'));

    const read = new DynamoDbLedgerProgress(db, 'ledger-qa').rows({ kind: 'batch', batch: 'batch-2026-11' });

    await expect(read).rejects.toBeInstanceOf(LedgerIndexNotReadyError);
    await expect(read).rejects.toThrow(
      "the ledger's byBatch index is still being built: DynamoDB is reading every row into it (backfilling), and it can be read once " +
        'its status is ACTIVE. See where it stands: aws dynamodb describe-table --table-name ledger-qa --region eu-west-1 ' +
        '--query "Table.GlobalSecondaryIndexes[].[IndexName,IndexStatus,Backfilling]" --output table',
    );
  });

  it('tells reconcile, retry and results that byState is between the two deploys of an upgrade', async () => {
    dynamodb.on(QueryCommand).rejects(validation('The table does not have the specified index: byState'));

    const read = new DynamoDbSummaryLedger(db, 'ledger-qa').listInState('FAILED');

    await expect(read).rejects.toThrow(
      /^the ledger's byState index is not on the table: an upgrade removes it in one deploy and adds it back in the next \(docs\/aws\.md "Upgrading"\)\. /,
    );
    await expect(new StateIndex(db, 'ledger-qa').counts()).rejects.toBeInstanceOf(LedgerIndexNotReadyError);
  });

  it('passes any other error on as it is, cause and all', async () => {
    const throttled = new DynamoDBServiceException({
      name: 'ProvisionedThroughputExceededException',
      $fault: 'client',
      $metadata: {},
      message: 'slow down',
    });
    dynamodb.on(QueryCommand).rejects(throttled);

    await expect(new StateIndex(db, 'ledger-qa').latest('COMPLETED', 5)).rejects.toBe(throttled);
  });
});
