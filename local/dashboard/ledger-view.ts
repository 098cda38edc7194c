import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ArticleStates, type ArticleState, type LedgerRow } from '../../core/ledger';

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
export const latestInState = async (dynamo: DynamoDBDocumentClient, table: string, state: ArticleState, limit: number): Promise<LedgerRow[]> => {
  const page = await dynamo.send(
    new QueryCommand({
      ...byState(table, state),
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (page.Items ?? []) as LedgerRow[];
};

/** The ledger as the dashboard reads it. */
export const ledgerView = (dynamo: DynamoDBDocumentClient, table: string) => ({
  countsByState: () => countsByState(dynamo, table),
  latest: (limit: number) => latestInState(dynamo, table, 'COMPLETED', limit),
});
