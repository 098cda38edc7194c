import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ArticleStates, type ArticleState, type LedgerRow } from '../../core/ledger';
import type { BatchRow } from './batches';

/** Read-only views of the ledger for people (dashboard, commands), through the byState index. */
const byState = (table: string, state: ArticleState) => ({
  TableName: table,
  IndexName: 'byState',
  KeyConditionExpression: '#s = :s',
  ExpressionAttributeNames: { '#s': 'state' },
  ExpressionAttributeValues: { ':s': state },
});

export const countsByState = async (dynamo: DynamoDBDocumentClient, table: string): Promise<Record<ArticleState, number>> => {
  const entries = await Promise.all(
    ArticleStates.map(async (state) => {
      let count = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await dynamo.send(
          new QueryCommand({
            ...byState(table, state),
            Select: 'COUNT',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      return [state, count] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<ArticleState, number>;
};

/** The most recently received rows in a state (newest first). */
export const latestInState = async (
  dynamo: DynamoDBDocumentClient,
  table: string,
  state: ArticleState,
  limit: number,
): Promise<LedgerRow[]> => {
  const page = await dynamo.send(
    new QueryCommand({
      ...byState(table, state),
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (page.Items ?? []) as LedgerRow[];
};

/**
 * Every row's batch and progress fields, one Query per state on byState (the batches are not known
 * in advance, and byBatch is keyed by them), projected to what the batches panel needs.
 */
export const progressRows = async (dynamo: DynamoDBDocumentClient, table: string): Promise<BatchRow[]> => {
  const rows: BatchRow[] = [];
  for (const state of ArticleStates) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(
        new QueryCommand({
          ...byState(table, state),
          ProjectionExpression: '#k, #s, #b, receivedAt, completedAt, costUsd',
          ExpressionAttributeNames: { '#s': 'state', '#k': 'key', '#b': 'batch' },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      rows.push(...((page.Items ?? []) as BatchRow[]));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return rows;
};

/** The ledger as the dashboard reads it. */
export const ledgerView = (dynamo: DynamoDBDocumentClient, table: string) => ({
  countsByState: () => countsByState(dynamo, table),
  latest: (limit: number) => latestInState(dynamo, table, 'COMPLETED', limit),
  progressRows: () => progressRows(dynamo, table),
});
