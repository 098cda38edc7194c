import { paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { PrefixSelection } from '../core/status/batch';
import type { ProgressRow } from '../core/status/batch-status';
import { ArticleStates } from '../core/ledger';

/**
 * The rows of a batch (byBatch) or of the whole ledger (byState, one Query per state), with only
 * what progress needs. Always Query, never Scan: a Scan reads every row of every batch.
 */
export class DynamoDbLedgerProgress {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async rows(selection: PrefixSelection): Promise<ProgressRow[]> {
    const projection = {
      ProjectionExpression: '#key, #state, receivedAt, completedAt, costUsd',
      ExpressionAttributeNames: { '#key': 'key', '#state': 'state' } as Record<string, string>,
    };
    if (selection.kind === 'all') {
      const rows: ProgressRow[] = [];
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
    // `batch` is a DynamoDB reserved word, so it is aliased too.
    return this.query({
      IndexName: 'byBatch',
      KeyConditionExpression: '#batch = :batch',
      ...projection,
      ExpressionAttributeNames: { ...projection.ExpressionAttributeNames, '#batch': 'batch' },
      ExpressionAttributeValues: { ':batch': selection.batch, ...(selection.keyPrefix ? { ':prefix': selection.keyPrefix } : {}) },
      ...(selection.keyPrefix ? { FilterExpression: 'begins_with(#key, :prefix)' } : {}),
    });
  }

  private async query(input: Omit<QueryCommandInput, 'TableName'>): Promise<ProgressRow[]> {
    const rows: ProgressRow[] = [];
    for await (const page of paginateQuery({ client: this.db }, { TableName: this.table, ...input }))
      rows.push(...((page.Items ?? []) as ProgressRow[]));
    return rows;
  }
}
