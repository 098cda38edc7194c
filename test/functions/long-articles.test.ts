import { stepsEndpointMs, totalOf } from '../../core/cost';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { S3ArticleStore } from '../../adapters/s3-articles';
import { articleIdFor, parseStepInferenceId, requestKeyFor, s3Url, type StepId } from '../../core/ids';
import { estimateTokens } from '../../core/long-article/token-estimate';
import type { LedgerRow } from '../../core/ledger';
import type { LongArticlePolicy } from '../../core/long-article/steps';
import { reconcile } from '../../core/reconcile';
import { retryRow } from '../../core/retry';
import { makeOnNotification } from '../../functions/record-result/on-notification';
import { startEmulators, type Emulators } from '../support/emulators';
import { failureFor, s3PutEvent, snsEvent, successFor } from '../support/events';
import { fixedClock, RecordingInferenceQueue, silentLogger } from '../support/fakes';
import { generatedArticle } from '../support/long-text';
import { itemSizeBytes } from '../support/item-size';
import { recordDepsOn, testPolicy, testSettings, testSummariesPrefix, uploadHandlerOn, writeOutput } from '../support/upload-handler';

const settings = { ...testSettings, maxArticleBytes: 2 * 1024 * 1024 };
/** The same policy, but every reduce level pairs its summaries: a tree for a handful of parts. */
const pairingPolicy: LongArticlePolicy = {
  ...testPolicy,
  planReduce: (summaries) => Array.from({ length: Math.ceil(summaries.length / 2) }, (_, i) => summaries.slice(2 * i, 2 * i + 2)),
};

describe('long articles: split, map, collect and reduce on the ledger (s3rver + dynalite)', () => {
  let emu: Emulators;
  let clock: ReturnType<typeof fixedClock>;
  let queue: RecordingInferenceQueue;
  let ledger: DynamoDbSummaryLedger;
  let n = 0;

  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(async () => emu.stop());

  beforeEach(() => {
    clock = fixedClock('2026-11-26T10:00:00.000Z');
    queue = new RecordingInferenceQueue(emu.bucket);
  });

  const handlers = (policy: LongArticlePolicy = testPolicy) => {
    const upload = uploadHandlerOn(emu, clock, { policy, settings, queue });
    ledger = upload.ledger;
    const deps = recordDepsOn(emu, clock, queue, policy);
    // $3.60 an hour is $0.001 a second, at one request per instance.
    const onNotification = makeOnNotification({ ...deps, cost: { concurrency: 1, instancePricePerHour: 3.6 }, logger: silentLogger() });
    return { onUpload: upload.onUpload, onNotification, deps };
  };

  const put = async (text: string) => {
    const key = `input/long/article-${++n}.txt`;
    const reply = await emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: text }));
    return {
      event: s3PutEvent({ bucket: emu.bucket, key, size: Buffer.byteLength(text), eTag: (reply.ETag ?? '').replace(/"/g, '') }),
      articleId: articleIdFor(emu.bucket, key),
    };
  };
  const row = async (articleId: string): Promise<LedgerRow> => (await ledger.get(articleId)) as LedgerRow;
  const read = async (location: string): Promise<string> =>
    (
      await emu.s3.send(new GetObjectCommand({ Bucket: emu.bucket, Key: location.replace(`s3://${emu.bucket}/`, '') }))
    ).Body!.transformToString();

  /** The endpoint's answer for one step: its output written, then the success notification. */
  const succeed = async (current: LedgerRow, step: string, summary = `summary of ${step}.`) => {
    const record = current.steps?.[step];
    if (!record?.o) throw new Error(`${step} was not sent`);
    await writeOutput(emu, record.o, JSON.stringify([{ summary_text: summary }]));
    return successFor({
      inferenceId: record.id,
      requestLocation: s3Url(emu.bucket, requestKeyFor('requests/', current.articleId, record.id)),
      outputLocation: record.o,
    });
  };
  const fail = (current: LedgerRow, step: string, reason: string) => {
    const record = current.steps?.[step];
    if (!record) throw new Error(`${step} was not sent`);
    return failureFor(
      { inferenceId: record.id, requestLocation: s3Url(emu.bucket, requestKeyFor('requests/', current.articleId, record.id)) },
      reason,
    );
  };
  const parts = (current: LedgerRow): StepId[] => Array.from({ length: current.parts ?? 0 }, (_, i) => `p${i + 1}` as StepId);
  // Parts are sent several at once (core/long-article/send-steps.ts), so they reach the endpoint in any order.
  const partNumber = (inferenceId: string): number => Number(/-p(\d+)$/.exec(inferenceId)?.[1]);
  const inPartOrder = <T extends { inferenceId: string }>(requests: readonly T[]): T[] =>
    [...requests].sort((a, b) => partNumber(a.inferenceId) - partNumber(b.inferenceId));

  it('splits an article over the input limit into parts, each its own request within the limit, with deterministic ids', async () => {
    // Prepare
    const text = generatedArticle(4000);
    const { onUpload } = handlers();
    const { event, articleId } = await put(text);
    // Act
    await onUpload(event);
    // Assess
    const queued = await row(articleId);
    const count = queued.parts as number;
    expect(count).toBeGreaterThan(4);
    expect(queued).toMatchObject({
      state: 'QUEUED',
      parts: count,
      partsDone: 0,
      level: 0,
      levelSize: count,
      levelDone: 0,
      requestCount: count,
      submittedAt: '2026-11-26T10:00:00.000Z',
    });
    expect(inPartOrder(queue.requests).map((r) => r.inferenceId)).toEqual(parts(queued).map((p) => `${queued.inferenceId}-${p}`));
    expect(
      queue.requests.every((r) => r.inferenceId.length <= 64 && parseStepInferenceId(r.inferenceId)?.inferenceId === queued.inferenceId),
    ).toBe(true);
    const inputs: string[] = [];
    for (const request of inPartOrder(queue.requests)) {
      const body = JSON.parse(await read(request.inputLocation)) as { inputs: string; parameters: Record<string, unknown> };
      expect(estimateTokens(body.inputs)).toBeLessThanOrEqual(1024);
      expect(body.parameters).toMatchObject({ truncation: true, max_length: expect.any(Number) });
      inputs.push(body.inputs);
    }
    // Every word of the article is in exactly one part, in order.
    expect(inputs.join(' ').split(/\s+/)).toEqual(text.split(/\s+/));
    expect(Object.values(queued.steps ?? {}).every((s) => s.s === 'sent' && s.o?.startsWith(`s3://${emu.bucket}/outputs/`))).toBe(true);
  });

  it('sends each part once: a redelivered event sends nothing, and a retried invocation sends only the parts the endpoint did not accept', async () => {
    const { onUpload } = handlers();
    const { event, articleId } = await put(generatedArticle(3000, 2));
    // The endpoint refuses the third part once: the row is FAILED naming it, and the invocation throws.
    let refused = false;
    const submit = queue.submit.bind(queue);
    queue.submit = async (request) => {
      if (!refused && request.inferenceId.endsWith('-p3')) {
        refused = true;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      return submit(request);
    };
    await expect(onUpload(event, 'delivery-1')).rejects.toThrow('part 3');
    const failed = await row(articleId);
    expect(failed).toMatchObject({ state: 'FAILED', failedStage: 'submit' });
    expect(failed.reason).toMatch(/^part 3 of \d+: the endpoint did not accept the request: Rate exceeded \(ThrottlingException\)/);

    // Act: Lambda retries the same invocation; then another delivery of the same event arrives.
    await onUpload(event, 'delivery-1');
    await onUpload(event, 'delivery-2');

    // Assess
    const queued = await row(articleId);
    expect(queued).toMatchObject({ state: 'QUEUED', requestCount: queued.parts });
    expect(inPartOrder(queue.requests).map((r) => r.inferenceId)).toEqual(parts(queued).map((p) => `${queued.inferenceId}-${p}`));
  });

  it('records each part once, sends exactly one final reduce when the last part is in, and completes with every request counted', async () => {
    // Prepare
    const { onUpload, onNotification } = handlers();
    const { event, articleId } = await put(generatedArticle(4000, 3));
    await onUpload(event);
    const queued = await row(articleId);
    const count = queued.parts as number;
    const [first, ...rest] = parts(queued);

    // Act: the first part twice (a duplicate), then the others, the last one twice in one batch.
    await onNotification(snsEvent(await succeed(queued, first as string)));
    const afterFirst = await row(articleId);
    await onNotification(snsEvent(await succeed(queued, first as string)));
    expect(await row(articleId)).toEqual(afterFirst);
    for (const step of rest.slice(0, -1)) await onNotification(snsEvent(await succeed(queued, step)));
    // The last part twice: in one batch, and concurrently from another invocation.
    const last = await succeed(queued, rest.at(-1) as string);
    await Promise.all([onNotification(snsEvent(last, last)), onNotification(snsEvent(last))]);

    // Assess: one reduce request, final, over the part summaries in order.
    const reducing = await row(articleId);
    expect(reducing).toMatchObject({ state: 'QUEUED', partsDone: count, level: 1, levelSize: 1, levelDone: 0, requestCount: count + 1 });
    expect(queue.requests).toHaveLength(count + 1);
    const reduce = queue.requests.at(-1)!;
    expect(reduce.inferenceId).toBe(`${queued.inferenceId}-r1-1`);
    const body = JSON.parse(await read(reduce.inputLocation)) as { inputs: string; parameters: Record<string, number> };
    expect(body.inputs).toBe(
      parts(queued)
        .map((p) => `summary of ${p}.`)
        .join('\n\n'),
    );
    expect(typeof reducing.research).toBe('boolean');
    expect(body.parameters).toEqual({
      truncation: true,
      ...testPolicy.generation('final', { research: reducing.research as boolean, count: 1 }),
    });
    const summaries = JSON.parse(await read(reducing.partSummariesLocation as string)) as { parts: { part: number; summary: string }[] };
    expect(reducing.partSummariesLocation).toBe(`s3://${emu.bucket}/${testSummariesPrefix}${articleId}/${queued.inferenceId}.json`);
    expect(summaries.parts.map((p) => p.summary)).toEqual(parts(queued).map((p) => `summary of ${p}.`));

    // Act: the final reduce answers.
    clock.set('2026-11-26T10:05:00.000Z');
    await onNotification(snsEvent(await succeed(reducing, 'r1-1', 'The whole article, summarized.')));
    // Assess
    const completed = await row(articleId);
    expect(completed).toMatchObject({
      state: 'COMPLETED',
      summary: 'The whole article, summarized.',
      requestCount: count + 1,
      parts: count,
      partsDone: count,
      completedAt: '2026-11-26T10:05:00.000Z',
    });
    // Its cost sums every part and the reduce: each notification says 153 ms in the endpoint.
    expect(Object.values(completed.steps ?? {}).map((step) => step.ms)).toEqual(Array.from({ length: count + 1 }, () => 153));
    expect(completed.costItems?.instance).toBeCloseTo((count + 1) * 0.153 * 0.001, 9);
    expect(completed.costUsd).toBe(totalOf(completed.costItems ?? {}));
    expect(queue.requests).toHaveLength(count + 1);
  });

  it('a Lambda retry of the invocation that completed the parts sends the reduce the endpoint refused; another delivery does not', async () => {
    // Prepare: every part answered; the endpoint refuses the reduce request once.
    const { onUpload, onNotification } = handlers();
    const { event, articleId } = await put(generatedArticle(3000, 10));
    await onUpload(event);
    const queued = await row(articleId);
    const [first, ...rest] = parts(queued);
    for (const step of rest) await onNotification(snsEvent(await succeed(queued, step)));
    const submit = queue.submit.bind(queue);
    let refused = false;
    queue.submit = async (request) => {
      if (!refused && request.inferenceId.endsWith('-r1-1')) {
        refused = true;
        throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
      }
      return submit(request);
    };
    const last = snsEvent(await succeed(queued, first as string));

    // Act: the last part's invocation throws (Lambda retries it); meanwhile SNS delivers it again elsewhere.
    await expect(onNotification(last, { awsRequestId: 'notification-1' })).rejects.toThrow('the endpoint did not accept the request');
    await onNotification(last, { awsRequestId: 'notification-2' });
    const count = queue.requests.length;
    await onNotification(last, { awsRequestId: 'notification-1' });

    // Assess: the other delivery sent nothing; the retry sent the reduce, once.
    expect(count).toBe(queued.parts);
    expect(queue.requests.slice(count).map((r) => r.inferenceId)).toEqual([`${queued.inferenceId}-r1-1`]);
    expect(await row(articleId)).toMatchObject({
      state: 'QUEUED',
      level: 1,
      levelClaimedBy: 'notification-1',
      requestCount: (queued.parts as number) + 1,
    });
    await onNotification(last, { awsRequestId: 'notification-1' });
    expect(queue.requests).toHaveLength(count + 1);
  });

  it('tells users once when several parts fail: the first failure ends the article, the others are only recorded', async () => {
    // Prepare
    const { onUpload, onNotification } = handlers();
    const { event, articleId } = await put(generatedArticle(3000, 5));
    await onUpload(event);
    const queued = await row(articleId);
    // Act: the endpoint fails parts 1 and 2, one after the other.
    await onNotification(snsEvent(fail(queued, 'p1', 'model crashed')));
    await onNotification(snsEvent(fail(queued, 'p2', 'model crashed again')));
    // Assess: one event, for the first failure; the second part's failure is on the row.
    const ended = await row(articleId);
    expect(ended).toMatchObject({ state: 'FAILED', failedStage: 'inference' });
    expect(ended.reason).toMatch(/^part 1 of \d+: model crashed/);
    expect(ended.steps?.p2).toMatchObject({ s: 'failed' });
    const told = emu.articleEvents.latest().filter((m) => (JSON.parse(m.Message) as { articleId: string }).articleId === articleId);
    expect(told.map((m) => (JSON.parse(m.Message) as { state: string }).state)).toEqual(['FAILED']);
  });

  it('reduces in a tree when the part summaries do not fit one request', async () => {
    const { onUpload, onNotification } = handlers(pairingPolicy);
    const { event, articleId } = await put(generatedArticle(3500, 4));
    await onUpload(event);
    let current = await row(articleId);
    const count = current.parts as number;
    expect(count).toBeGreaterThan(4);

    // Act: answer every step of every level until the row finishes.
    const levels: number[] = [];
    while (current.state === 'QUEUED') {
      const level = current.level as number;
      levels.push(current.levelSize as number);
      const steps = Object.keys(current.steps ?? {}).filter((s) => (level === 0 ? s.startsWith('p') : s.startsWith(`r${level}-`)));
      for (const step of steps) await onNotification(snsEvent(await succeed(current, step, `summary of ${step}.`)));
      current = await row(articleId);
    }

    // Assess: each level pairs the one below until one request is left.
    const expected = [count];
    while ((expected.at(-1) as number) > 1) expected.push(Math.ceil((expected.at(-1) as number) / 2));
    expect(levels).toEqual(expected);
    const reduces = expected.slice(1).reduce((a, b) => a + b, 0);
    expect(current).toMatchObject({ state: 'COMPLETED', requestCount: count + reduces, summary: `summary of r${expected.length - 1}-1.` });
    expect(queue.requests).toHaveLength(count + reduces);
    expect(new Set(queue.requests.map((r) => r.inferenceId)).size).toBe(count + reduces);
  });

  it('fails the article naming the part, records the other parts, and a retry sends that part alone, then carries on', async () => {
    // Prepare
    const { onUpload, onNotification, deps } = handlers();
    const { event, articleId } = await put(generatedArticle(3000, 5));
    await onUpload(event);
    const queued = await row(articleId);
    const count = queued.parts as number;
    const [first, second, ...rest] = parts(queued);
    await onNotification(snsEvent(await succeed(queued, first as string)));

    // Act: part 2 fails in the model; the others still answer.
    await onNotification(snsEvent(fail(queued, second as string, 'Received server error (500) from model.')));
    for (const step of rest) await onNotification(snsEvent(await succeed(queued, step)));

    // Assess
    const failed = await row(articleId);
    expect(failed).toMatchObject({ state: 'FAILED', failedStage: 'inference', partsDone: count - 1, requestCount: count });
    expect(failed.reason).toBe(`part 2 of ${count}: Received server error (500) from model.`);
    expect(failed.steps?.[second as string]?.s).toBe('failed');

    // Act: npm run retry.
    clock.set('2026-11-26T11:00:00.000Z');
    const retryDeps = {
      ...deps,
      articles: new S3ArticleStore(emu.s3, emu.bucket),
      ledger,
      settings: { ...settings, summariesPrefix: testSummariesPrefix },
    };
    const result = await retryRow(failed, retryDeps, 'retry-1');

    // Assess: one new request, for part 2 under the new attempt's id.
    expect(result).toMatchObject({ outcome: 'queued', attempt: 2 });
    const retried = await row(articleId);
    expect(retried).toMatchObject({ state: 'QUEUED', attempt: 2, requestCount: count + 1, partsDone: count - 1 });
    expect(queue.requests.slice(count).map((r) => r.inferenceId)).toEqual([`${retried.inferenceId}-p2`]);
    // A late answer for the old attempt's part 2 changes nothing.
    await onNotification(snsEvent(await succeed(queued, second as string, 'late.')));
    expect(await row(articleId)).toEqual(retried);

    // Act: the retried part answers, then the final reduce.
    await onNotification(snsEvent(await succeed(retried, second as string)));
    const reducing = await row(articleId);
    expect(queue.requests.at(-1)?.inferenceId).toBe(`${retried.inferenceId}-r1-1`);
    await onNotification(snsEvent(await succeed(reducing, 'r1-1', 'Done.')));

    // Assess: its cost counts the failed part 2 of attempt 1 (kept in history) beside every step it holds now.
    const completed = await row(articleId);
    expect(completed).toMatchObject({ state: 'COMPLETED', summary: 'Done.', requestCount: count + 2, partsDone: count });
    expect(retried.history?.[0]?.endpointMs).toBe(153);
    expect(completed.costItems?.instance).toBeCloseTo((count + 2) * 0.153 * 0.001, 9);
    expect(completed.costUsd).toBe(totalOf(completed.costItems ?? {}));
  });

  it('reconcile records parts whose notification never arrived from their outputs, sends the reduce once, and expires a part that never answered', async () => {
    // Prepare: two articles queued two hours ago (past TTL 1 h + timeout 15 min + grace 5 min).
    clock.set('2026-11-26T08:00:00.000Z');
    const { onUpload, onNotification, deps } = handlers();
    const lost = await put(generatedArticle(3000, 8));
    const silent = await put(generatedArticle(3000, 9));
    await onUpload(lost.event);
    await onUpload(silent.event);
    const queued = await row(lost.articleId);
    const count = queued.parts as number;
    // Every part of the first answered in S3 but only part 1 was notified; the second's last part never answered.
    await onNotification(snsEvent(await succeed(queued, 'p1')));
    for (const step of parts(queued).slice(1)) await succeed(queued, step);
    const silentRow = await row(silent.articleId);
    for (const step of parts(silentRow).slice(0, -1)) await succeed(silentRow, step);
    clock.set('2026-11-26T10:00:00.000Z');
    const reconcileDeps = {
      ledger,
      outputs: deps.outputs,
      clock,
      settings: { requestTtlSeconds: 3600, invocationTimeoutSeconds: 900, graceSeconds: 300 },
      steps: deps,
      cost: { concurrency: 1, instancePricePerHour: 3.6 },
      events: deps.events,
    };
    const sentBefore = queue.requests.length;

    // Act
    const repairs = await reconcile(reconcileDeps);

    // Assess: the first moved on to its final reduce (one request, no part sent again); the second expired naming its part.
    expect(
      repairs
        .filter((r) => r.articleId === lost.articleId || r.articleId === silent.articleId)
        .map((r) => [r.articleId, r.state])
        .sort(),
    ).toEqual(
      [
        [lost.articleId, 'resumed'],
        [silent.articleId, 'EXPIRED'],
      ].sort(),
    );
    const reducing = await row(lost.articleId);
    expect(reducing).toMatchObject({
      state: 'QUEUED',
      partsDone: count,
      level: 1,
      levelSize: 1,
      requestCount: count + 1,
      levelStartedAt: '2026-11-26T10:00:00.000Z',
    });
    expect(queue.requests.slice(sentBefore).map((r) => r.inferenceId)).toEqual([`${queued.inferenceId}-r1-1`]);
    const expired = await row(silent.articleId);
    expect(expired.state).toBe('EXPIRED');
    expect(expired.reason).toMatch(new RegExp(`^part ${silentRow.parts} of ${silentRow.parts}: no output or failure`));

    // Act: the reduce answered in S3 but its notification was lost too; reconcile runs again later.
    await succeed(reducing, 'r1-1', 'Found by reconcile.');
    clock.set('2026-11-26T12:00:00.000Z');
    await reconcile(reconcileDeps);

    // Assess
    const completed = await row(lost.articleId);
    expect(completed).toMatchObject({ state: 'COMPLETED', summary: 'Found by reconcile.', requestCount: count + 1 });
    expect(queue.requests).toHaveLength(sentBefore + 1);
    // Steps found in S3 are timed from their level's start to their object's LastModified (S3's clock,
    // not this test's), and the article is priced on every step as record-result would price it.
    const found = Object.entries(completed.steps ?? {}).filter(([step]) => step !== 'p1');
    expect(found.map(([, record]) => record.ms)).toEqual(found.map(() => expect.any(Number)));
    expect(completed.costItems?.instance).toBeCloseTo(stepsEndpointMs(completed.steps) * 0.000001, 9);
    expect(completed.costUsd).toBe(totalOf(completed.costItems ?? {}));
    expect(expired.costItems?.instance).toBeCloseTo(stepsEndpointMs(expired.steps) * 0.000001, 9);
    expect(expired.costUsd).toBe(totalOf(expired.costItems ?? {}));
  });

  it("reconcile carries on a level whose every step is in but that never moved on, once record-result's timeout has passed", async () => {
    // Prepare: every part answered and recorded by 10:00:05, but the invocations that recorded them stopped
    // before the level change (as a Lambda whose level change outlives its timeout three times does).
    const { onUpload, deps } = handlers();
    const { event, articleId } = await put(generatedArticle(3000, 12));
    await onUpload(event);
    const queued = await row(articleId);
    for (const step of parts(queued)) {
      await succeed(queued, step);
      await ledger.recordStep(
        articleId,
        queued.inferenceId,
        step,
        { s: 'done', id: `${queued.inferenceId}-${step}`, o: queued.steps?.[step]?.o },
        {},
        '2026-11-26T10:00:05.000Z',
      );
    }
    expect(await row(articleId)).toMatchObject({
      state: 'QUEUED',
      level: 0,
      levelDone: queued.parts,
      levelSize: queued.parts,
      lastStepAt: '2026-11-26T10:00:05.000Z',
    });
    const sentBefore = queue.requests.length;
    const reconcileDeps = {
      ledger,
      outputs: deps.outputs,
      clock,
      settings: { requestTtlSeconds: 3600, invocationTimeoutSeconds: 900, graceSeconds: 300, recordTimeoutSeconds: 30 },
      steps: deps,
      events: deps.events,
    };

    // Act: reconcile within record-result's 30 s timeout of the last step (that invocation may still be
    // moving the level on), then past it, then again.
    clock.set('2026-11-26T10:00:35.000Z');
    const early = await reconcile(reconcileDeps);
    const sentEarly = queue.requests.length;
    clock.set('2026-11-26T10:00:35.001Z');
    const repairs = await reconcile(reconcileDeps);
    const again = await reconcile(reconcileDeps);

    // Assess: left alone at first; then the final reduce sent once, hours before the deadline; the third run had nothing to do.
    expect(early.filter((r) => r.articleId === articleId)).toEqual([{ articleId, key: queued.key, state: 'skipped' }]);
    expect(sentEarly).toBe(sentBefore);
    expect(repairs.filter((r) => r.articleId === articleId)).toEqual([{ articleId, key: queued.key, state: 'resumed' }]);
    expect(again.filter((r) => r.articleId === articleId)).toEqual([]);
    expect(await row(articleId)).toMatchObject({
      state: 'QUEUED',
      level: 1,
      levelSize: 1,
      levelDone: 0,
      requestCount: (queued.parts as number) + 1,
    });
    expect(queue.requests.slice(sentBefore).map((r) => r.inferenceId)).toEqual([`${queued.inferenceId}-r1-1`]);
  });

  it('keeps the row of a 1 MB article far below the 400 KB item limit', async () => {
    const { onUpload } = handlers();
    const text = generatedArticle(150_000, 6).slice(0, 1024 * 1024);
    const { event, articleId } = await put(text);

    await onUpload(event);

    const queued = await row(articleId);
    expect(queued.parts).toBeGreaterThan(200);
    // A quarter of DynamoDB's 400 KB item limit, counted the way DynamoDB counts it.
    expect(itemSizeBytes(queued as unknown as Record<string, unknown>)).toBeLessThan(100_000);
  }, 120_000);
});
