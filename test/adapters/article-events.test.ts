import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SnsArticleEventTopic } from '../../adapters/article-event-topic';
import { S3EarlierPendingEvents } from '../../adapters/pending-events';
import { articleEventOf, type ArticleEvent } from '../../core/article-events';
import type { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import type { LedgerRow } from '../../core/ledger';
import type { ArticleEvents } from '../../core/ports';
import { makeOnNotification } from '../../functions/record-result/on-notification';
import { startEmulators, type Emulators } from '../support/emulators';
import { snsEvent, successFor } from '../support/events';
import { fixedClock, RecordingInferenceQueue, silentLogger } from '../support/fakes';
import { recordDepsOn, submitArticle, uploadHandlerOn, writeOutput } from '../support/upload-handler';

const ARTICLE = 'Researchers measured river levels for ten years. They found floods arrive earlier each spring.';
const SUMMARY = 'Floods arrive earlier each spring, a ten-year study of river levels found.';

const eventOf = (overrides: Partial<ArticleEvent> = {}): ArticleEvent => ({
  eventId: 'e'.repeat(32),
  type: 'article.finished',
  articleId: 'a'.repeat(32),
  bucket: 'articles',
  key: 'input/batch-7/paper.txt',
  batch: 'batch-7',
  state: 'FAILED',
  attempt: 2,
  inferenceId: 'b'.repeat(32),
  reason: 'the model failed',
  receivedAt: '2026-11-26T10:00:00.000Z',
  ...overrides,
});

describe('article events on the local SNS and S3 (the adapters)', () => {
  let emu: Emulators;
  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(async () => emu.stop());

  const delivered = (eventId: string) =>
    emu.articleEvents.latest().filter((m) => (JSON.parse(m.Message) as ArticleEvent).eventId === eventId);

  it('publishes the event as JSON with a subject and the state, batch and eventId attributes', async () => {
    // Act
    await new SnsArticleEventTopic(emu.sns, emu.topicArn).publish(eventOf());
    // Assess: a JSON subscriber (SQS, HTTP, Lambda) receives the `default` message.
    const [message] = delivered('e'.repeat(32));
    expect(JSON.parse(message?.Message ?? '{}')).toEqual(eventOf());
    expect(message).toMatchObject({
      Subject: 'Article FAILED: paper.txt',
      MessageAttributes: {
        state: { Type: 'String', Value: 'FAILED' },
        batch: { Type: 'String', Value: 'batch-7' },
        eventId: { Type: 'String', Value: 'e'.repeat(32) },
      },
    });
  });

  it('leaves the batch attribute out for a row of an earlier version without one (an attribute may not be empty)', async () => {
    const event = eventOf({ eventId: 'f'.repeat(32) });
    delete event.batch;

    await new SnsArticleEventTopic(emu.sns, emu.topicArn).publish(event);

    expect(Object.keys(delivered('f'.repeat(32))[0]?.MessageAttributes ?? {}).sort()).toEqual(['eventId', 'state']);
  });

  it('lists and settles the pending records an earlier version left in the bucket, one per try of a writer', async () => {
    // Prepare: two tries of one transition (two writers finishing the article at once), as an earlier version wrote them.
    const pending = new S3EarlierPendingEvents(emu.s3, emu.bucket, 'events/pending/');
    const first = { eventId: '1'.repeat(32), articleId: '2'.repeat(32), finishId: '3'.repeat(32) };
    const second = { ...first, finishId: '4'.repeat(32) };
    for (const event of [first, second])
      await emu.s3.send(
        new PutObjectCommand({
          Bucket: emu.bucket,
          Key: `events/pending/${event.articleId}/${event.eventId}/${event.finishId}.json`,
          Body: JSON.stringify(event),
        }),
      );
    // Act + Assess
    expect(await pending.listBefore(new Date(Date.now() - 60_000))).toEqual([]);
    expect(await pending.listBefore(new Date(Date.now() + 60_000))).toEqual([
      { ...first, at: expect.any(Date) },
      { ...second, at: expect.any(Date) },
    ]);
    await pending.settle(first);
    expect(await pending.listBefore(new Date(Date.now() + 60_000))).toEqual([{ ...second, at: expect.any(Date) }]);
    await pending.settle(second);
    expect(await pending.listBefore(new Date(Date.now() + 60_000))).toEqual([]);
  });

  it('lists and settles a record made before tries had ids', async () => {
    const pending = new S3EarlierPendingEvents(emu.s3, emu.bucket, 'events/legacy/');
    const event = { eventId: '5'.repeat(32), articleId: '6'.repeat(32) };
    await emu.s3.send(
      new PutObjectCommand({
        Bucket: emu.bucket,
        Key: `events/legacy/${event.articleId}/${event.eventId}.json`,
        Body: JSON.stringify(event),
      }),
    );

    expect(await pending.listBefore(new Date(Date.now() + 60_000))).toEqual([{ ...event, at: expect.any(Date) }]);
    await pending.settle(event);
    expect(await pending.listBefore(new Date(Date.now() + 60_000))).toEqual([]);
  });
});

describe('record-result stopped between its ledger write and its publish (s3rver + dynalite + local SNS)', () => {
  let emu: Emulators;
  let ledger: DynamoDbSummaryLedger;
  let onUpload: (event: unknown, awsRequestId?: string) => Promise<void>;
  beforeAll(async () => {
    emu = await startEmulators();
    ({ ledger, onUpload } = uploadHandlerOn(emu, fixedClock('2026-11-26T10:00:00.000Z')));
  });
  afterAll(async () => emu.stop());

  it("publishes the article's event once when Lambda retries the invocation, and never from another delivery", async () => {
    // Prepare: the topic refuses the first publish (the invocation ends after its ledger write).
    const queued: LedgerRow = await submitArticle(emu, onUpload, 'input/crash/article.txt', ARTICLE);
    await writeOutput(emu, queued.outputLocation as string, JSON.stringify([{ summary_text: SUMMARY }]));
    let refusals = 1;
    const events: ArticleEvents = {
      earlierPending: emu.events.earlierPending,
      topic: {
        publish: async (event) => {
          if (refusals-- > 0) throw new Error('the invocation stopped here');
          await emu.events.topic.publish(event);
        },
      },
    };
    const onNotification = makeOnNotification({
      ...recordDepsOn(emu, fixedClock('2026-11-26T10:00:07.000Z'), new RecordingInferenceQueue(emu.bucket)),
      ledger,
      events,
      logger: silentLogger(),
    });
    const notification = snsEvent(successFor(queued));
    const messages = () => emu.articleEvents.latest().filter((m) => (JSON.parse(m.Message) as ArticleEvent).articleId === queued.articleId);
    const pending = async () => (await ledger.get(queued.articleId))?.eventPendingSince;
    const pendingRows = async () => (await ledger.listPendingEvents('9999-12-31T00:00:00.000Z')).map((row) => row.articleId);
    // Act: the first invocation fails after finishing the row; SNS delivers the notification again (another
    // invocation, which must not publish what the first may still be publishing); then Lambda retries the first
    // under its request id, twice.
    await expect(onNotification(notification, { awsRequestId: 'request-1' })).rejects.toThrow('the invocation stopped here');
    const finished = await ledger.get(queued.articleId);
    const pendingAfterCrash = await pending();
    const listedAfterCrash = await pendingRows();
    await onNotification(notification, { awsRequestId: 'request-2' });
    const toldByDuplicate = messages().length;
    await onNotification(notification, { awsRequestId: 'request-1' });
    await onNotification(notification, { awsRequestId: 'request-1' });
    // Assess
    expect(finished).toMatchObject({ state: 'COMPLETED', finishedBy: 'request-1', finishId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(pendingAfterCrash).toBe(finished?.completedAt);
    expect(listedAfterCrash).toEqual([queued.articleId]);
    expect(toldByDuplicate).toBe(0);
    expect(messages()).toHaveLength(1);
    expect(JSON.parse(messages()[0]?.Message ?? '{}')).toEqual(articleEventOf(finished as LedgerRow));
    expect(await pending()).toBeUndefined();
    expect(await pendingRows()).toEqual([]);
  });
});
