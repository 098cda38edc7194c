import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A global secondary index of the ledger as DescribeTable shows it. */
export interface LedgerIndex {
  name: string;
  /** CREATING, UPDATING, DELETING or ACTIVE. */
  status: string;
  /** True while DynamoDB reads the table's rows into a new index. */
  backfilling: boolean;
  /** `ALL`, `KEYS_ONLY`, or `INCLUDE a, b, c`. */
  projection: string;
}

/** The ledger's global secondary indexes and their status (DescribeTable), in the table's order. */
export const describeLedgerIndexes = async (db: DynamoDBDocumentClient, table: string): Promise<LedgerIndex[]> => {
  const { Table } = await db.send(new DescribeTableCommand({ TableName: table }));
  return (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
    name: index.IndexName ?? '',
    status: index.IndexStatus ?? 'ACTIVE',
    backfilling: index.Backfilling === true,
    projection: [index.Projection?.ProjectionType ?? 'ALL', (index.Projection?.NonKeyAttributes ?? []).join(', ')]
      .filter(Boolean)
      .join(' '),
  }));
};
