import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PublishedDays } from '../core/ports';
import type { TrendRow } from '../core/trends/periods';

export const PUBLISHED_DAY_INDEX = 'byPublishedDay';

/**
 * The ledger's byPublishedDay index, one published day at a time: a Query per day, followed page by
 * page (a page is at most 1 MB, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html).
 * Never a Scan, so a trend over a week reads that week's rows whatever the size of the table.
 */
export class PublishedDayIndex implements PublishedDays {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The rows published on `day`, optionally only keys starting with `keyPrefix`, page by page. */
  async *rowsOn(day: string, keyPrefix?: string): AsyncGenerator<TrendRow[]> {
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        IndexName: PUBLISHED_DAY_INDEX,
        KeyConditionExpression: 'publishedDay = :day',
        ProjectionExpression: 'articleId, publishedDay, #state, #key, title, keyphrases',
        ...(keyPrefix ? { FilterExpression: 'begins_with(#key, :prefix)' } : {}),
        ExpressionAttributeNames: { '#state': 'state', '#key': 'key' },
        ExpressionAttributeValues: { ':day': day, ...(keyPrefix ? { ':prefix': keyPrefix } : {}) },
      },
    );
    for await (const page of pages) yield (page.Items ?? []) as TrendRow[];
  }
}
