import { paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { PrefixSelection } from '../core/status/batch';
import type { ProgressRow } from '../core/status/batch-status';
import { ArticleStates } from '../core/ledger';
import { indexNotReady } from './index-readiness';

/** A row's progress fields and its batch (absent on rows of an earlier version, until upgrade-ledger). */
type Row = ProgressRow & { batch?: string };

/**
 * The rows of a batch (byBatch) or of the whole ledger (byState, one Query per state), with only
 * what progress needs: `npm run status` and the dashboard's batches panel. Always Query, never Scan:
 * a Scan reads every row of every batch.
 */
export class DynamoDbLedgerProgress {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async rows(selection: PrefixSelection): Promise<Row[]> {
    const projection = {
      // `batch` is a DynamoDB reserved word, so it is aliased too.
      ProjectionExpression: '#key, #state, #batch, receivedAt, completedAt, costUsd, costItems',
      ExpressionAttributeNames: { '#key': 'key', '#state': 'state', '#batch': 'batch' },
    };
    if (selection.kind === 'all') {
      const rows: Row[] = [];
      for (const state of ArticleStates) {
        rows.push(
          ...(await this.query({
            IndexName: 'byState',
            KeyConditionExpression: '#state = :state',
            ...projection,
            ExpressionAttributeValues: { ':state': state },
          })),
        );
      }
      return rows;
    }
    return this.query({
      IndexName: 'byBatch',
      KeyConditionExpression: '#batch = :batch',
      ...projection,
      ExpressionAttributeValues: { ':batch': selection.batch, ...(selection.keyPrefix ? { ':prefix': selection.keyPrefix } : {}) },
      ...(selection.keyPrefix ? { FilterExpression: 'begins_with(#key, :prefix)' } : {}),
    });
  }

  private async query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Row[]> {
    const rows: Row[] = [];
    try {
      for await (const page of paginateQuery({ client: this.db }, { TableName: this.table, ...input }))
        rows.push(...((page.Items ?? []) as Row[]));
    } catch (error) {
      throw await indexNotReady(error, this.db, this.table, input.IndexName ?? 'the index');
    }
    return rows;
  }
}
