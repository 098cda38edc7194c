import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { S3OutputReader, S3ArticleStore } from '../../adapters/s3-articles';
import { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { parseRequestLocation } from '../../core/ids';
import type { LedgerRow } from '../../core/ledger';
import { retryArticles, retryRow, type RetryDeps } from '../../core/retry';
import { makeOnNotification } from '../../functions/record-result/on-notification';
import { startEmulators, type Emulators } from '../support/emulators';
import { failureFor, snsEvent, successFor } from '../support/events';
import { fixedClock, RecordingInferenceQueue, silentLogger } from '../support/fakes';
import {
  recordDepsOn,
  submitArticle,
  testPolicy,
  testSettings,
  testSummariesPrefix,
  uploadHandlerOn,
  writeOutput,
} from '../support/upload-handler';

const ARTICLE = 'Researchers measured river levels for ten years. They found floods arrive earlier each spring.';
const SUMMARY = 'Floods arrive earlier each spring.';

describe('npm run retry: FAILED and EXPIRED articles go to the endpoint again (s3rver + dynalite)', () => {
  let emu: Emulators;
  let ledger: DynamoDbSummaryLedger;
  let clock: ReturnType<typeof fixedClock>;
  let queue: RecordingInferenceQueue;
  let deps: RetryDeps;
  let onNotification: (event: unknown) => Promise<void>;
  let n = 0;

  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(async () => emu.stop());

  beforeEach(() => {
    clock = fixedClock('2026-11-26T10:00:00.000Z');
    ledger = new DynamoDbSummaryLedger(emu.dynamo, emu.table);
    queue = new RecordingInferenceQueue(emu.bucket);
    deps = {
      articles: new S3ArticleStore(emu.s3, emu.bucket),
      outputs: new S3OutputReader(emu.s3),
      ledger,
      queue,
      clock,
      settings: { ...testSettings, summariesPrefix: testSummariesPrefix },
      policy: testPolicy,
      events: emu.events,
    };
    onNotification = makeOnNotification({
      ...recordDepsOn(emu, clock, new RecordingInferenceQueue(emu.bucket)),
      ledger,
      logger: silentLogger(),
    });
  });

  /** Uploads, submits and fails an article in the endpoint; returns its FAILED row. */
  const failedArticle = async (): Promise<LedgerRow> => {
    const queued = await submitArticle(emu, uploadHandlerOn(emu, clock).onUpload, `input/retry/article-${++n}.txt`, ARTICLE);
    await onNotification(snsEvent(failureFor(queued)));
    const failed = (await ledger.get(queued.articleId))!;
    expect(failed.state).toBe('FAILED');
    return failed;
  };

  it('queues a new attempt with its own request, keeps the failure in history, and completes on its notification', async () => {
    // Prepare
    const failed = await failedArticle();
    clock.set('2026-11-26T11:00:00.000Z');

    // Act
    const result = await retryRow(failed, deps, 'retry-1');

    // Assess: a new inference under its own request key; the old attempt is history.
    expect(result).toMatchObject({ outcome: 'queued', attempt: 2 });
    const queued = (await ledger.get(failed.articleId))!;
    expect(queued).toMatchObject({
      state: 'QUEUED',
      attempt: 2,
      receivedAt: '2026-11-26T11:00:00.000Z',
      submittedAt: '2026-11-26T11:00:00.000Z',
    });
    expect(queued.inferenceId).not.toBe(failed.inferenceId);
    expect(queued.reason).toBeUndefined();
    expect(queued.history).toEqual([
      {
        attempt: 1,
        inferenceId: failed.inferenceId,
        state: 'FAILED',
        failedStage: 'inference',
        reason: failed.reason,
        receivedAt: failed.receivedAt,
        completedAt: failed.completedAt,
        retriedAt: '2026-11-26T11:00:00.000Z',
        endpointMs: 153, // the failed attempt's time in the endpoint, still part of the article's cost
      },
    ]);
    expect(parseRequestLocation(queued.requestLocation as string)).toEqual({
      articleId: failed.articleId,
      inferenceId: queued.inferenceId,
    });
    expect(queue.requests.map((r) => r.inferenceId)).toEqual([queued.inferenceId]);
    const request = await emu.s3.send(
      new GetObjectCommand({ Bucket: emu.bucket, Key: (queued.requestLocation as string).replace(`s3://${emu.bucket}/`, '') }),
    );
    expect(JSON.parse(await request.Body!.transformToString())).toMatchObject({ inputs: ARTICLE });

    // A late duplicate of the old failure changes nothing; the new attempt's success completes the row.
    await onNotification(snsEvent(failureFor(failed)));
    expect((await ledger.get(failed.articleId))?.state).toBe('QUEUED');
    await writeOutput(emu, queued.outputLocation as string, JSON.stringify([{ summary_text: SUMMARY }]));
    const priced = makeOnNotification({
      ...recordDepsOn(emu, clock, new RecordingInferenceQueue(emu.bucket)),
      cost: { concurrency: 1, instancePricePerHour: 3.6 },
      ledger,
      logger: silentLogger(),
    });
    await priced(snsEvent(successFor(queued)));
    // Its cost counts both attempts: 2 × 153 ms in the endpoint at $0.001 per second, and 2 requests
    // (each a Lambda invocation of record-result, beside the submission's).
    expect(await ledger.get(failed.articleId)).toMatchObject({
      state: 'COMPLETED',
      summary: SUMMARY,
      attempt: 2,
      endpointMs: 153,
      costItems: expect.objectContaining({ instance: 0.000306, lambdaRequests: 3 * 0.0000002 }),
      history: [expect.objectContaining({ state: 'FAILED' })],
    });
  });

  it('retries each listed row once: a row retried meanwhile is skipped, completed rows are never listed', async () => {
    const failed = await failedArticle();
    await retryRow(failed, deps, 'retry-a');

    // The same (now stale) FAILED row again, as a second retry run that listed it earlier would see it.
    const again = await retryRow(failed, deps, 'retry-b');

    expect(again).toMatchObject({ outcome: 'skipped' });
    expect(queue.requests).toHaveLength(1);
    expect((await ledger.get(failed.articleId))?.attempt).toBe(2);
  });

  it('selects rows by state, and records an article that is gone from S3 as FAILED with the reason', async () => {
    const gone = await failedArticle();
    await emu.s3.send(new DeleteObjectCommand({ Bucket: emu.bucket, Key: gone.key }));

    const results = await retryArticles(deps, ['FAILED'], 'retry-c');

    expect(results.find((r) => r.key === gone.key)).toMatchObject({ outcome: 'gone', attempt: 2 });
    expect(await ledger.get(gone.articleId)).toMatchObject({
      state: 'FAILED',
      failedStage: 'submit',
      reason: 'the article is no longer in S3 as it was (deleted or replaced): upload it again',
      history: [expect.objectContaining({ attempt: 1, state: 'FAILED' })],
    });
    expect(await retryArticles(deps, ['EXPIRED'], 'retry-d')).toEqual([]);
  });

  it('records the endpoint refusing the retry as FAILED (submit) and goes on', async () => {
    const failed = await failedArticle();
    queue.failWith = Object.assign(new Error('Endpoint research-summarizer-dev not found.'), { name: 'ValidationError' });

    const result = await retryRow(failed, deps, 'retry-e');

    expect(result).toMatchObject({ outcome: 'failed', attempt: 2 });
    expect(await ledger.get(failed.articleId)).toMatchObject({
      state: 'FAILED',
      failedStage: 'submit',
      reason: 'the endpoint did not accept the request: Endpoint research-summarizer-dev not found. (ValidationError)',
      attempt: 2,
    });
  });
});
