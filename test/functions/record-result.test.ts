import { totalOf } from '../../core/cost';
import { makeOnNotification } from '../../functions/record-result/on-notification';
import type { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { InvalidEventError } from '../../core/errors';
import type { LedgerRow } from '../../core/ledger';
import { startEmulators, type Emulators } from '../support/emulators';
import { failureFor, sagemakerMessage, snsEvent, successFor } from '../support/events';
import { fixedClock, RecordingInferenceQueue, silentLogger } from '../support/fakes';
import { recordDepsOn, submitArticle, uploadHandlerOn, writeOutput } from '../support/upload-handler';

const ARTICLE = 'Researchers measured river levels for ten years. They found floods arrive earlier each spring.';
const SUMMARY = 'Floods arrive earlier each spring, a ten-year study of river levels found.';

describe('record-result on SageMaker notifications (s3rver + dynalite)', () => {
  let emu: Emulators;
  let ledger: DynamoDbSummaryLedger;
  let clock: ReturnType<typeof fixedClock>;
  let onNotification: (event: unknown) => Promise<void>;
  let onUpload: (event: unknown, awsRequestId?: string) => Promise<void>;
  let n = 0;

  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(async () => emu.stop());

  beforeEach(() => {
    clock = fixedClock('2026-11-26T10:00:00.000Z');
    ({ ledger, onUpload } = uploadHandlerOn(emu, clock));
    onNotification = makeOnNotification({
      ...recordDepsOn(emu, clock, new RecordingInferenceQueue(emu.bucket)),
      ledger,
      logger: silentLogger(),
    });
  });

  const queuedArticle = (): Promise<LedgerRow> => submitArticle(emu, onUpload, `input/article-${++n}.txt`, ARTICLE);

  it('records the summary from the output object and completes the row', async () => {
    // Prepare
    const queued = await queuedArticle();
    await writeOutput(emu, queued.outputLocation as string, JSON.stringify([{ summary_text: SUMMARY }]));
    clock.set('2026-11-26T10:00:07.000Z');
    // Act
    await onNotification(snsEvent(successFor(queued)));
    // Assess
    expect(await ledger.get(queued.articleId)).toMatchObject({
      state: 'COMPLETED',
      summary: SUMMARY,
      outputLocation: queued.outputLocation,
      completedAt: '2026-11-26T10:00:07.000Z',
      endpointMs: 153, // the documented message: eventTime - receivedTime
      modelId: 'google/pegasus-cnn_dailymail',
    });
  });

  it('prices the completed article: its time in the endpoint over the concurrency, plus its request charges', async () => {
    // Prepare
    const priced = makeOnNotification({
      ...recordDepsOn(emu, clock, new RecordingInferenceQueue(emu.bucket)),
      cost: { concurrency: 2, instancePricePerHour: 0.23 },
      ledger,
      logger: silentLogger(),
    });
    const queued = await queuedArticle();
    await writeOutput(emu, queued.outputLocation as string, JSON.stringify([{ summary_text: SUMMARY }]));
    // Act
    await priced(snsEvent(successFor(queued)));
    // Assess: the bill's items (core/cost.ts): 153 ms / 2 at $0.23 per hour = $0.0000048875; the submission's
    // and this invocation ($0.20 per million each); 3 S3 PUTs (upload, request, output) and 2 GETs (the
    // article, the request); the endpoint's notification and the article's event.
    const row = await ledger.get(queued.articleId);
    expect(row).toMatchObject({
      state: 'COMPLETED',
      endpointMs: 153,
      costItems: expect.objectContaining({
        instance: 0.000004888,
        lambdaRequests: 0.0000004,
        s3Requests: 0.0000158,
        snsPublishes: 0.000001,
        // No Lambda context with a memory size here, so no duration is metered.
        lambdaDuration: 0,
      }),
    });
    // Bytes sent to the model and returned by it are counted on the row and priced at $0.016 per GB each.
    expect(row?.dataInBytes).toBeGreaterThan(0);
    expect(row?.dataOutBytes).toBe(Buffer.byteLength(JSON.stringify([{ summary_text: SUMMARY }])));
    expect(row?.costItems?.sagemakerData).toBe(
      Math.round((((row?.dataInBytes ?? 0) + (row?.dataOutBytes ?? 0)) / 1024 ** 3) * 0.016 * 1e9) / 1e9,
    );
    expect(row?.costUsd).toBe(totalOf(row?.costItems ?? {}));
  });

  it('reads the inline response when the notification carries one', async () => {
    const queued = await queuedArticle();
    const message = sagemakerMessage('inference-success-captured.json', {
      inferenceId: queued.inferenceId,
      inputLocation: queued.requestLocation as string,
    });
    message.responseBody = {
      content: Buffer.from(JSON.stringify([{ summary_text: SUMMARY }])).toString('base64'),
      message: 'Check S3 path location(if configured) or Cloudwatch for additional details.',
      encoding: 'BASE64',
    };

    await onNotification(snsEvent(message));

    expect(await ledger.get(queued.articleId)).toMatchObject({ state: 'COMPLETED', summary: SUMMARY });
  });

  it("records a model failure with SageMaker's reason and the detail from the failure object", async () => {
    const queued = await queuedArticle();
    const message = failureFor(queued);
    message.responseParameters = { failureLocation: queued.failureLocation };
    await writeOutput(emu, queued.failureLocation as string, '{"code":400,"message":"index out of range in self"}');

    await onNotification(snsEvent(message));

    const row = await ledger.get(queued.articleId);
    expect(row).toMatchObject({ state: 'FAILED', failedStage: 'inference', failureLocation: queued.failureLocation });
    expect(row?.reason).toBe(
      'ClientError: Received server error (500) from model. See the SageMaker Endpoint logs in your account for more information.' +
        ' Model said: {"code":400,"message":"index out of range in self"}',
    );
    expect(row?.summary).toBeUndefined();
  });

  it("reads the failure object at the row's stored failure location when the notification names none", async () => {
    // Prepare: the documented failure message has no responseParameters at all.
    const queued = await queuedArticle();
    const message = failureFor(queued);
    expect(message.responseParameters).toBeUndefined();
    await writeOutput(emu, queued.failureLocation as string, '{"code":400,"message":"index out of range in self"}');
    // Act
    await onNotification(snsEvent(message));
    // Assess
    const row = await ledger.get(queued.articleId);
    expect(row).toMatchObject({ state: 'FAILED', failedStage: 'inference', failureLocation: queued.failureLocation });
    expect(row?.reason).toMatch(/ Model said: \{"code":400,"message":"index out of range in self"\}$/);
  });

  it("reads the output object when the notification's responseBody has no content (a response over 128 KB)", async () => {
    // Prepare: SageMaker inlines a response only up to 128 KB; above that responseBody keeps its
    // message but carries no content.
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceNotificationConfig.html
    const queued = await queuedArticle();
    await writeOutput(emu, queued.outputLocation as string, JSON.stringify([{ summary_text: SUMMARY }]));
    const message = successFor(queued);
    message.responseBody = { message: 'Check S3 path location(if configured) or Cloudwatch for additional details.' };
    // Act
    await onNotification(snsEvent(message));
    // Assess
    expect(await ledger.get(queued.articleId)).toMatchObject({ state: 'COMPLETED', summary: SUMMARY });
  });

  it('marks a request that outlived its TTL as EXPIRED', async () => {
    const queued = await queuedArticle();

    await onNotification(snsEvent(failureFor(queued, 'Request expired: RequestTTLSeconds elapsed before processing')));

    expect((await ledger.get(queued.articleId))?.state).toBe('EXPIRED');
  });

  it('keeps the first outcome: a duplicate success and a later failure change nothing', async () => {
    const queued = await queuedArticle();
    await writeOutput(emu, queued.outputLocation as string, JSON.stringify([{ summary_text: SUMMARY }]));
    await onNotification(snsEvent(successFor(queued)));
    const completed = await ledger.get(queued.articleId);

    clock.set('2026-11-26T11:00:00.000Z');
    await onNotification(snsEvent(successFor(queued), failureFor(queued)));

    expect(await ledger.get(queued.articleId)).toEqual(completed);
  });

  it('records the outcome on a row failed at submission (the endpoint had accepted it after all), not on one failed by the model', async () => {
    // Prepare: one row failed at submit, as submit-article leaves it when InvokeEndpointAsync errors;
    // another already failed by the model.
    const [acceptedAfterAll, failedByModel] = [await queuedArticle(), await queuedArticle()];
    const failed = { state: 'FAILED', completedAt: '2026-11-26T10:00:01.000Z', totalMs: 1000 } as const;
    await ledger.finish(acceptedAfterAll.articleId, acceptedAfterAll.inferenceId, {
      ...failed,
      failedStage: 'submit',
      reason: 'the endpoint did not accept the request: timeout',
    });
    await ledger.finish(failedByModel.articleId, failedByModel.inferenceId, { ...failed, failedStage: 'inference', reason: 'model error' });
    for (const row of [acceptedAfterAll, failedByModel])
      await writeOutput(emu, row.outputLocation as string, JSON.stringify([{ summary_text: SUMMARY }]));

    // Act
    await onNotification(snsEvent(successFor(acceptedAfterAll), successFor(failedByModel)));

    // Assess
    expect(await ledger.get(acceptedAfterAll.articleId)).toMatchObject({ state: 'COMPLETED', summary: SUMMARY });
    expect(await ledger.get(failedByModel.articleId)).toMatchObject({ state: 'FAILED', failedStage: 'inference', reason: 'model error' });
  });

  it('fails the row with a clear reason when the model output is not a summary', async () => {
    const queued = await queuedArticle();
    await writeOutput(emu, queued.outputLocation as string, '[{"label":"POSITIVE","score":0.99}]');

    await onNotification(snsEvent(successFor(queued)));

    const row = await ledger.get(queued.articleId);
    expect(row?.state).toBe('FAILED');
    expect(row?.reason).toBe('the model output is not [{"summary_text": ...}]: [{"label":"POSITIVE","score":0.99}]');
  });

  it('fails the row when the output object is missing', async () => {
    const queued = await queuedArticle();

    await onNotification(snsEvent(successFor(queued)));

    const row = await ledger.get(queued.articleId);
    expect(row?.state).toBe('FAILED');
    expect(row?.reason).toBe(`the model output is missing (${queued.outputLocation})`);
  });

  it('ignores notifications for requests this product did not make', async () => {
    const foreign = sagemakerMessage('inference-success-captured.json', {
      inferenceId: '03a98604-cf1f-44d1-b9c4-801dcbbe792b',
      inputLocation: 's3://ecomragdev/models/embed/inputs/item.json',
    });

    await expect(onNotification(snsEvent(foreign))).resolves.toBeUndefined();
  });

  it('throws InvalidEventError for a message that is not a SageMaker notification, so it dead-letters', async () => {
    const event = snsEvent({ hello: 'world' });

    await expect(onNotification(event)).rejects.toBeInstanceOf(InvalidEventError);
  });
});
