import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DescribeTableCommandOutput, GlobalSecondaryIndexDescription } from '@aws-sdk/client-dynamodb';

/** One global secondary index as a DescribeTable answer shows it. */
export interface IndexAnswer {
  name: string;
  hash: string;
  range?: string;
  /** ALL, KEYS_ONLY, or the attributes an INCLUDE projection lists. */
  projection: 'ALL' | 'KEYS_ONLY' | string[];
  status?: 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';
  backfilling?: boolean;
}

/**
 * DescribeTable's answer for a table with these indexes: the API reference's example
 * (test/events/dynamodb/describe-table.json), cloned, with the table's name and its global secondary
 * indexes in place of the example's local one.
 */
export const describeTableAnswer = (table: string, indexes: IndexAnswer[], tableStatus = 'ACTIVE'): DescribeTableCommandOutput => {
  const example = JSON.parse(readFileSync(join(__dirname, '..', 'events', 'dynamodb', 'describe-table.json'), 'utf8')) as {
    Table: Record<string, unknown> & { TableArn: string; LocalSecondaryIndexes: GlobalSecondaryIndexDescription[] };
  };
  const {
    LocalSecondaryIndexes: [shape],
    ...rest
  } = example.Table;
  const arn = rest.TableArn.replace(/table\/Thread$/, `table/${table}`);
  return {
    $metadata: {},
    Table: {
      ...rest,
      TableName: table,
      TableArn: arn,
      TableStatus: tableStatus as 'ACTIVE',
      GlobalSecondaryIndexes: indexes.map((index) => ({
        ...shape,
        IndexArn: `${arn}/index/${index.name}`,
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.hash, KeyType: 'HASH' },
          ...(index.range ? [{ AttributeName: index.range, KeyType: 'RANGE' as const }] : []),
        ],
        Projection: Array.isArray(index.projection)
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: index.projection }
          : { ProjectionType: index.projection },
        IndexStatus: index.status ?? 'ACTIVE',
        ...(index.backfilling !== undefined ? { Backfilling: index.backfilling } : {}),
      })),
    } as DescribeTableCommandOutput['Table'],
  };
};
