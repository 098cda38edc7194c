import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchGetItem reads at most 100 keys a call (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html). */
const KEYS_PER_CALL = 100;

export interface RowsRead {
  /** Strongly consistent reads: a row just written is seen. */
  consistent?: boolean;
  /** Only these attributes (each aliased, so reserved words such as `key` and `state` work). */
  attributes?: string[];
}

/**
 * Ledger rows by articleId, 100 keys a BatchGetItem; the keys DynamoDB leaves unprocessed (throttling,
 * or more than 16 MB in one answer) are asked for again. A key with no row is simply absent.
 */
export class LedgerRowsByKey {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get<T = Record<string, unknown>>(articleIds: readonly string[], read: RowsRead = {}): Promise<T[]> {
    const names = read.attributes?.map((name, i) => [`#a${i}`, name] as const);
    const shape = {
      ...(read.consistent ? { ConsistentRead: true } : {}),
      ...(names
        ? { ProjectionExpression: names.map(([alias]) => alias).join(', '), ExpressionAttributeNames: Object.fromEntries(names) }
        : {}),
    };
    const rows: T[] = [];
    for (let i = 0; i < articleIds.length; i += KEYS_PER_CALL) {
      let keys: Record<string, unknown>[] | undefined = articleIds.slice(i, i + KEYS_PER_CALL).map((articleId) => ({ articleId }));
      while (keys && keys.length > 0) {
        const reply = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ...shape } } }));
        rows.push(...((reply.Responses?.[this.table] ?? []) as T[]));
        keys = reply.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return rows;
  }
}
