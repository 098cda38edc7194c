// What an article costs in DynamoDB write units, table and indexes, with the indexes of the previous
// release (byState and byDay projecting every attribute) and of this one (resources/ledger-table.yml).
// The articles go through the functions' own code (submit-article, record-result) on s3rver and
// dynalite, the endpoint's part played by this test: each request gets a summary of realistic length
// (60 words per part, 200 for a long article's final summary). Every write is recorded with the row
// before and after it, and priced by DynamoDB's rules (test/support/ledger-writes.ts). Writes
// bench-results/ledger-write-units.json; docs/ledger.md "What a write costs" shows the table.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { DynamoItems } from '../../adapters/dynamo-items';
import { articleIdFor, parseStepInferenceId } from '../../core/ids';
import { isTerminal, type LedgerRow } from '../../core/ledger';
import { makeOnNotification } from '../../functions/record-result/on-notification';
import { readStackConfig } from '../../local/template/stack-config';
import { startEmulators, type Emulators } from '../support/emulators';
import { s3PutEvent, snsEvent, successFor } from '../support/events';
import { fixedClock, RecordingInferenceQueue, silentLogger } from '../support/fakes';
import { recordWrites, writeCost, type RecordedWrite, type WriteCost } from '../support/ledger-writes';
import { generatedArticle } from '../support/long-text';
import { recordDepsOn, testSettings, uploadHandlerOn, writeOutput } from '../support/upload-handler';

const projectRoot = path.join(__dirname, '..', '..');
const ARTICLES = [
  { name: 'short (300 words, 1 request)', words: 300 },
  { name: 'long (4,000 words)', words: 4000 },
  { name: 'very long (30,000 words)', words: 30000 },
];

interface Measured {
  article: string;
  parts: number;
  requests: number;
  before: WriteCost;
  after: WriteCost;
}

describe('DynamoDB write units per article, with the previous and this release’s ledger indexes', () => {
  let emu: Emulators;
  let writes: RecordedWrite[];
  const measured: Measured[] = [];
  const previous = (
    JSON.parse(readFileSync(path.join(projectRoot, 'test', 'template', 'previous-releases.json'), 'utf8')) as Record<
      string,
      GlobalSecondaryIndex[]
    >
  )['before projections'] as GlobalSecondaryIndex[];
  const current = readStackConfig({ projectRoot }).table.GlobalSecondaryIndexes as GlobalSecondaryIndex[];

  beforeAll(async () => {
    emu = await startEmulators();
    // The ledger's per-article calls go through a client of their own (adapters/dynamo-items.ts).
    writes = recordWrites([emu.dynamo.middlewareStack, DynamoItems.for(emu.dynamo).middlewareStack], emu.rawDynamo, emu.table);
    const clock = fixedClock('2026-11-26T10:00:00.000Z');
    const queue = new RecordingInferenceQueue(emu.bucket);
    const settings = { ...testSettings, maxArticleBytes: 2 * 1024 * 1024 };
    const { onUpload, ledger } = uploadHandlerOn(emu, clock, { settings, queue });
    const onNotification = makeOnNotification({
      ...recordDepsOn(emu, clock, queue),
      cost: { concurrency: 2, instancePricePerHour: 0.23 },
      logger: silentLogger(),
    });
    const read = async (location: string) =>
      (
        await emu.s3.send(new GetObjectCommand({ Bucket: emu.bucket, Key: location.replace(`s3://${emu.bucket}/`, '') }))
      ).Body!.transformToString();

    for (const [n, article] of ARTICLES.entries()) {
      const key = `input/write-units/article-${n}.txt`;
      const articleId = articleIdFor(emu.bucket, key);
      const text = generatedArticle(article.words, n + 1);
      const reply = await emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: text }));
      const from = writes.length;
      let answered = queue.requests.length;
      await onUpload(s3PutEvent({ bucket: emu.bucket, key, size: Buffer.byteLength(text), eTag: (reply.ETag ?? '').replace(/"/g, '') }));
      // The endpoint: each request answered in order, until the article is finished.
      let row = (await ledger.get(articleId)) as LedgerRow;
      while (!isTerminal(row.state)) {
        const request = queue.requests[answered++];
        if (!request) throw new Error(`${article.name}: no request left and the row is ${row.state}`);
        const step = parseStepInferenceId(request.inferenceId)?.step;
        const output = step ? row.steps?.[step]?.o : row.outputLocation;
        const input = (JSON.parse(await read(request.inputLocation)) as { inputs: string }).inputs.split(/\s+/);
        // PEGASUS's summaries run to about 60 words; a long article's final one to longSummaryWords (200).
        const final = step !== undefined && step.startsWith('r') && row.levelSize === 1;
        await writeOutput(emu, output as string, JSON.stringify([{ summary_text: input.slice(0, final ? 200 : 60).join(' ') }]));
        await onNotification(
          snsEvent(successFor({ inferenceId: request.inferenceId, requestLocation: request.inputLocation, outputLocation: output })),
        );
        row = (await ledger.get(articleId)) as LedgerRow;
      }
      expect(row.state).toBe('COMPLETED');
      const mine = writes.slice(from);
      measured.push({
        article: article.name,
        parts: row.parts ?? 1,
        requests: row.requestCount ?? 1,
        before: writeCost(mine, previous),
        after: writeCost(mine, current),
      });
    }
    const out = path.join(projectRoot, 'bench-results');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      path.join(out, 'ledger-write-units.json'),
      `${JSON.stringify({ measuredAt: new Date().toISOString(), articles: measured }, null, 2)}\n`,
    );
  }, 120_000);
  afterAll(async () => emu.stop());

  const of = (name: string) => measured.find((m) => m.article.startsWith(name)) as Measured;

  it('writes byDay once per article, and byState one small entry per state change and per step of a long article', () => {
    for (const { after, requests } of measured) {
      // Claimed QUEUED (1 entry), then COMPLETED (the QUEUED entry deleted, the COMPLETED one put), and
      // the level counters reconcile filters on (levelDone moves with each step of a long article).
      expect(after.indexes.byState?.writes).toBeGreaterThanOrEqual(3);
      expect(after.indexes.byState?.writes).toBeLessThanOrEqual(3 + 2 * requests);
      // Each a copy of a few attributes, never the whole row: one write unit each, but for the finished
      // entry, which carries the summary.
      expect(after.indexes.byState?.units).toBeLessThanOrEqual((after.indexes.byState?.writes ?? 0) + 2);
      // Written once, when the row is created.
      expect(after.indexes.byDay?.writes).toBe(1);
    }
    expect(of('short').after.indexes.byState?.writes).toBe(3);
    expect(of('very long').requests).toBeGreaterThan(40);
  });

  it('copied every write of a row into byState and byDay before, at the size of the whole row', () => {
    for (const { before } of measured) {
      expect(before.indexes.byState?.writes).toBeGreaterThanOrEqual(before.writes - 2);
      expect(before.indexes.byDay?.writes).toBeGreaterThanOrEqual(before.writes - 2);
    }
  });

  it('costs fewer write units per article, and fewer the longer the article', () => {
    for (const { before, after } of measured) {
      expect(after.tableUnits).toBe(before.tableUnits);
      expect(after.totalUnits).toBeLessThan(before.totalUnits);
    }
    const saved = (m: Measured) => m.before.totalUnits - m.after.totalUnits;
    expect(saved(of('very long'))).toBeGreaterThan(saved(of('long')));
    expect(saved(of('long'))).toBeGreaterThan(saved(of('short')));
  });
});
