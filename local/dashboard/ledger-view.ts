import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbLedgerProgress } from '../../adapters/ledger-progress';
import { StateIndex } from '../../adapters/state-index';
import type { DashboardSource } from './routes';

/**
 * The ledger as the dashboard reads it, through the byState index (adapters/state-index.ts): counts
 * per state, the latest summaries, and every row's batch and progress fields for the batches panel
 * (one Query per state: the batches are not known in advance, and byBatch is keyed by them).
 */
export const ledgerView = (dynamo: DynamoDBDocumentClient, table: string): Required<DashboardSource['ledger']> => {
  const byState = new StateIndex(dynamo, table);
  const progress = new DynamoDbLedgerProgress(dynamo, table);
  return {
    countsByState: () => byState.counts(),
    latest: (limit) => byState.latest('COMPLETED', limit),
    progressRows: () => progress.rows({ kind: 'all' }),
  };
};
