import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { paginateScan, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchOf } from '../core/status/batch';

/** What one backfill did: rows read by the Scan, rows given their batch, rows that gained one meanwhile. */
export interface BackfillReport {
  scanned: number;
  updated: number;
  skipped: number;
}

/** Updates in flight at once: enough to keep a large table's backfill short, few enough not to throttle on-demand writes. */
const CONCURRENCY = 16;

/**
 * Gives rows written before the ledger had `batch` (core/status/batch.ts) their batch, so the byBatch index,
 * and `npm run status --prefix`, find them. A one-time migration after an upgrade, so it is the one
 * place that Scans: it reads only the rows still without a batch (key and id projected), and each
 * update is conditional on the row existing and still having none, so a run beside live traffic, or a
 * second run, changes nothing twice. The local cloud does the same on start (local/dynamodb/table-upgrade.ts).
 */
export const backfillBatch = async (
  db: DynamoDBDocumentClient,
  table: string,
  inputPrefix: string,
  onPage: (report: BackfillReport) => void = () => undefined,
): Promise<BackfillReport> => {
  const report: BackfillReport = { scanned: 0, updated: 0, skipped: 0 };
  const pages = paginateScan(
    { client: db },
    {
      TableName: table,
      ProjectionExpression: 'articleId, #key',
      FilterExpression: 'attribute_not_exists(#batch) AND attribute_exists(#key)',
      ExpressionAttributeNames: { '#key': 'key', '#batch': 'batch' },
    },
  );
  for await (const page of pages) {
    report.scanned += page.ScannedCount ?? 0;
    const rows = (page.Items ?? []) as { articleId: string; key: string }[];
    for (let i = 0; i < rows.length; i += CONCURRENCY) {
      const results = await Promise.all(
        rows.slice(i, i + CONCURRENCY).map((row) => setBatch(db, table, row, batchOf(row.key, inputPrefix))),
      );
      for (const result of results) report[result] += 1;
    }
    onPage({ ...report });
  }
  return report;
};

const setBatch = async (
  db: DynamoDBDocumentClient,
  table: string,
  row: { articleId: string },
  batch: string,
): Promise<'updated' | 'skipped'> => {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { articleId: row.articleId },
        UpdateExpression: 'SET #batch = :batch',
        ConditionExpression: 'attribute_exists(articleId) AND attribute_not_exists(#batch)',
        ExpressionAttributeNames: { '#batch': 'batch' },
        ExpressionAttributeValues: { ':batch': batch },
      }),
    );
    return 'updated';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'skipped';
    throw error;
  }
};
