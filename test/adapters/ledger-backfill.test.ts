import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { backfillBatch } from '../../adapters/ledger-backfill';
import { startEmulators, type Emulators } from '../support/emulators';

describe('backfillBatch: rows written before the ledger had batch (dynalite)', () => {
  let emu: Emulators;
  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(async () => emu.stop());

  const put = (articleId: string, key: string, extra: Record<string, string> = {}) =>
    emu.dynamo.send(
      new PutCommand({
        TableName: emu.table,
        Item: { articleId, key, state: 'COMPLETED', receivedAt: '2026-11-20T10:00:00.000Z', day: '2026-11-20', ...extra },
      }),
    );
  const inBatch = async (batch: string) =>
    (
      await emu.dynamo.send(
        new QueryCommand({
          TableName: emu.table,
          IndexName: 'byBatch',
          KeyConditionExpression: '#batch = :batch',
          ExpressionAttributeNames: { '#batch': 'batch' },
          ExpressionAttributeValues: { ':batch': batch },
        }),
      )
    ).Items?.map((item) => item.articleId as string);

  it('gives each old row the batch of its key, once, and leaves rows that have one alone', async () => {
    // Prepare: 40 rows of the previous release (more than one page of updates at a time), one top-level
    // row, and one row of this release already in a batch.
    for (let i = 0; i < 40; i++) await put(`old-${i}`, `input/batch-2026-11/a-${i}.txt`);
    await put('top', 'input/loose.txt');
    await put('new', 'input/batch-2026-12/b.txt', { batch: 'batch-2026-12' });
    const pages: number[] = [];

    // Act
    const first = await backfillBatch(emu.dynamo, emu.table, 'input/', (report) => pages.push(report.updated));
    const second = await backfillBatch(emu.dynamo, emu.table, 'input/');

    // Assess: the byBatch index now finds them; a second run finds nothing to do.
    expect(first).toEqual({ scanned: 42, updated: 41, skipped: 0 });
    expect(pages.at(-1)).toBe(41);
    expect(second).toEqual({ scanned: 42, updated: 0, skipped: 0 });
    expect((await inBatch('batch-2026-11'))?.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `old-${i}`).sort());
    expect(await inBatch('/')).toEqual(['top']);
    expect(await inBatch('batch-2026-12')).toEqual(['new']);
  });
});
