import { paginateQuery, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ArticleStates, type ArticleState, type LedgerRow } from '../core/ledger';
import { indexNotReady } from './index-readiness';
import { LedgerRowsByKey } from './ledger-rows';

/**
 * The ledger's byState index, read for people (the dashboard): how many rows each state has, and the
 * latest rows of a state. Query only, never a Scan.
 */
export class StateIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private byState(state: ArticleState) {
    return {
      TableName: this.table,
      IndexName: 'byState',
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':s': state },
    };
  }

  /**
   * Rows per state, with Select COUNT: DynamoDB still reads (and bills) every row of the state, page by
   * page, but sends none back (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-Select).
   */
  async counts(): Promise<Record<ArticleState, number>> {
    try {
      const entries = await Promise.all(
        ArticleStates.map(async (state) => {
          let count = 0;
          for await (const page of paginateQuery({ client: this.db }, { ...this.byState(state), Select: 'COUNT' }))
            count += page.Count ?? 0;
          return [state, count] as const;
        }),
      );
      return Object.fromEntries(entries) as Record<ArticleState, number>;
    } catch (error) {
      throw await indexNotReady(error, this.db, this.table, 'byState');
    }
  }

  /**
   * The most recently received rows in a state, newest first: their keys from the index (which projects
   * only a few attributes), then the whole rows by key.
   */
  async latest(state: ArticleState, limit: number): Promise<LedgerRow[]> {
    let ids: string[];
    try {
      const page = await this.db.send(
        new QueryCommand({ ...this.byState(state), ProjectionExpression: 'articleId', ScanIndexForward: false, Limit: limit }),
      );
      ids = (page.Items ?? []).map((item) => item.articleId as string);
    } catch (error) {
      throw await indexNotReady(error, this.db, this.table, 'byState');
    }
    const rows = new Map((await new LedgerRowsByKey(this.db, this.table).get<LedgerRow>(ids)).map((row) => [row.articleId, row]));
    return ids.flatMap((id) => rows.get(id) ?? []);
  }
}
