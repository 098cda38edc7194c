import {
  articleEventOf,
  eventSubject,
  eventText,
  MAX_EVENT_SUMMARY_CHARS,
  publishBeforeReopen,
  publishOwnPending,
  publishPendingEvents,
  type ArticleEvent,
  type PendingEvent,
} from '../../core/article-events';
import { eventIdFor } from '../../core/ids';
import type { LedgerRow } from '../../core/ledger';
import type { ArticleEvents } from '../../core/ports';
import { fixedClock } from '../support/fakes';

const completedRow = (overrides: Partial<LedgerRow> = {}): LedgerRow =>
  ({
    articleId: 'a'.repeat(32),
    bucket: 'articles',
    key: 'input/batch-7/Floods in spring.txt',
    etag: 'etag-1',
    sequencer: '0A',
    bytes: 120,
    state: 'COMPLETED',
    inferenceId: 'b'.repeat(32),
    receivedAt: '2026-11-26T10:00:00.000Z',
    uploadedAt: '2026-11-26T10:00:00.000Z',
    completedAt: '2026-11-26T10:00:07.000Z',
    summary: 'Floods arrive earlier each spring.',
    costUsd: 0.000025,
    costItems: {
      instance: 0.00001,
      sagemakerData: 0,
      lambdaRequests: 0.000004,
      lambdaDuration: 0,
      s3Requests: 0.000011,
      snsPublishes: 0,
      dynamodb: 0,
      logs: 0,
    },
    day: '2026-11-26',
    batch: 'batch-7',
    attempt: 1,
    ...overrides,
  }) as LedgerRow;

/** The topic, a ledger of rows and the records an earlier version left in S3, in memory. */
const memoryEvents = (rowsAtStart: LedgerRow[] = []) => {
  const published: ArticleEvent[] = [];
  const earlier = new Map<string, PendingEvent>();
  const keyOf = (event: PendingEvent) => `${event.eventId}/${event.finishId ?? ''}`;
  const events: ArticleEvents = {
    topic: { publish: async (event) => void published.push(event) },
    earlierPending: {
      settle: async (event) => void earlier.delete(keyOf(event)),
      listBefore: async (before) => [...earlier.values()].filter((event) => (event.at as Date) < before),
    },
  };
  const rows = new Map(rowsAtStart.map((row) => [row.articleId, { ...row }]));
  const ledger = {
    get: async (articleId: string) => rows.get(articleId),
    settleEvent: async (articleId: string, finishId: string) => {
      const row = rows.get(articleId);
      if (row?.finishId === finishId) delete row.eventPendingSince;
    },
    listPendingEvents: async (before: string) =>
      [...rows.values()].filter((row) => row.eventPendingSince !== undefined && row.eventPendingSince < before),
  };
  const recordEarlier = (event: PendingEvent) => earlier.set(keyOf(event), { ...event, at: new Date('2026-11-26T10:00:00.000Z') });
  return { events, ledger, rows, published, earlier, recordEarlier };
};

describe('the message of a finished article', () => {
  it('carries key, state, title, summary, cost, the articleId and attempt, and an id to de-duplicate on', () => {
    // Act
    const event = articleEventOf(completedRow({ title: 'Floods in spring' }));
    // Assess
    expect(event).toEqual({
      eventId: eventIdFor('a'.repeat(32), 'b'.repeat(32), 'COMPLETED'),
      type: 'article.finished',
      articleId: 'a'.repeat(32),
      bucket: 'articles',
      key: 'input/batch-7/Floods in spring.txt',
      batch: 'batch-7',
      state: 'COMPLETED',
      attempt: 1,
      inferenceId: 'b'.repeat(32),
      title: 'Floods in spring',
      summary: 'Floods arrive earlier each spring.',
      summaryTruncated: false,
      costUsd: 0.000025,
      costItems: completedRow().costItems,
      receivedAt: '2026-11-26T10:00:00.000Z',
      completedAt: '2026-11-26T10:00:07.000Z',
    });
  });

  it('has none while the article is QUEUED, and a reason instead of a summary when it failed', () => {
    expect(articleEventOf(completedRow({ state: 'QUEUED', summary: undefined }))).toBeUndefined();
    const rejected = articleEventOf(completedRow({ state: 'REJECTED', summary: undefined, reason: 'empty article (0 bytes)' }));
    expect(rejected).toMatchObject({ state: 'REJECTED', reason: 'empty article (0 bytes)' });
    expect(rejected).not.toHaveProperty('summary');
  });

  it('carries the start of a long summary, and says the row has it whole', () => {
    const event = articleEventOf(completedRow({ summary: 'x'.repeat(MAX_EVENT_SUMMARY_CHARS + 500) }));

    expect(event?.summary).toHaveLength(MAX_EVENT_SUMMARY_CHARS);
    expect(event?.summary?.endsWith('…')).toBe(true);
    expect(event?.summaryTruncated).toBe(true);
    expect(eventText(event as ArticleEvent)).toContain('[the ledger row has it whole]');
  });

  it('names the same transition with the same id, and a retry (a new attempt) or another state with a new one', () => {
    const first = eventIdFor('a'.repeat(32), 'b'.repeat(32), 'FAILED');

    expect(eventIdFor('a'.repeat(32), 'b'.repeat(32), 'FAILED')).toBe(first);
    expect(eventIdFor('a'.repeat(32), 'c'.repeat(32), 'FAILED')).not.toBe(first);
    expect(eventIdFor('a'.repeat(32), 'b'.repeat(32), 'EXPIRED')).not.toBe(first);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
  });

  it('names a failure at submission and the same attempt failing in the endpoint apart', () => {
    const atSubmit = eventIdFor('a'.repeat(32), 'b'.repeat(32), 'FAILED', 'submit');

    expect(eventIdFor('a'.repeat(32), 'b'.repeat(32), 'FAILED', 'inference')).not.toBe(atSubmit);
    expect(eventIdFor('a'.repeat(32), 'b'.repeat(32), 'FAILED', 'submit')).toBe(atSubmit);
    expect(eventIdFor('a'.repeat(32), 'b'.repeat(32), 'COMPLETED', 'submit')).toBe(eventIdFor('a'.repeat(32), 'b'.repeat(32), 'COMPLETED'));
  });

  it("gives a failed row's event the id of the transition its stage names", () => {
    const row = completedRow({ state: 'FAILED', failedStage: 'inference', reason: 'model error' });

    expect(articleEventOf(row)?.eventId).toBe(eventIdFor(row.articleId, row.inferenceId, 'FAILED', 'inference'));
  });
});

describe('the subject, as SNS accepts one (ASCII, no line breaks, under 100 characters)', () => {
  const subjectOf = (overrides: Partial<LedgerRow>) => eventSubject(articleEventOf(completedRow(overrides)) as ArticleEvent);

  it('names the state and the title, or else the file name', () => {
    expect(subjectOf({ title: 'Floods in spring' })).toBe('Article COMPLETED: Floods in spring');
    expect(subjectOf({})).toBe('Article COMPLETED: Floods in spring.txt');
  });

  it('turns accents into their letters, other characters into ?, and line breaks into spaces', () => {
    expect(subjectOf({ title: 'Étude des crues\nau printemps — 北' })).toBe('Article COMPLETED: Etude des crues au printemps ? ?');
  });

  it('shortens a long title to 99 characters', () => {
    const subject = subjectOf({ title: 'word '.repeat(60) });

    expect(subject).toHaveLength(99);
    expect(subject.endsWith('...')).toBe(true);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('an event is not lost when its writer stops between the ledger write and the publish', () => {
  const WRITER = 'request-1';
  const FINISH = 'f'.repeat(32);
  /** A row its writer finished (the write marked its event pending) and then stopped. */
  const stoppedAfterWrite = (overrides: Partial<LedgerRow> = {}) =>
    completedRow({ finishedBy: WRITER, finishId: FINISH, eventPendingSince: '2026-11-26T10:00:07.000Z', ...overrides });

  it('publishes a pending event found by a retry of the writer that made the transition, once, with its id', async () => {
    // Prepare
    const { ledger, events, published, rows } = memoryEvents([stoppedAfterWrite()]);
    const articleId = 'a'.repeat(32);
    // Act: the retry (same request id) finds the row finished; then it comes once more.
    const first = await publishOwnPending((await ledger.get(articleId)) as LedgerRow, WRITER, { events, ledger });
    const second = await publishOwnPending((await ledger.get(articleId)) as LedgerRow, WRITER, { events, ledger });
    // Assess
    expect([first, second]).toEqual(['published', 'none']);
    expect(published.map((e) => e.eventId)).toEqual([eventIdFor(articleId, 'b'.repeat(32), 'COMPLETED')]);
    expect(rows.get(articleId)?.eventPendingSince).toBeUndefined();
  });

  it('never publishes a transition another writer made, even while its event is pending (that writer is telling it)', async () => {
    // Prepare: request-1 wrote the row and is between its ledger write and its publish.
    const row = stoppedAfterWrite();
    const { ledger, events, published, rows } = memoryEvents([row]);
    // Act: a duplicate notification (another invocation), and a caller that names no writer.
    const other = await publishOwnPending(row, 'request-2', { events, ledger });
    const anonymous = await publishOwnPending(row, undefined, { events, ledger });
    // Assess
    expect([other, anonymous]).toEqual(['none', 'none']);
    expect(published).toEqual([]);
    expect(rows.get(row.articleId)?.eventPendingSince).toBe(row.eventPendingSince);
  });

  it("publishes a row's pending event before a retry reopens it, and nothing when it was told", async () => {
    const pendingRow = stoppedAfterWrite({ state: 'FAILED', summary: undefined, reason: 'the model failed' });
    const toldRow = { ...pendingRow, eventPendingSince: undefined };
    const { events, published } = memoryEvents();

    const pending = await publishBeforeReopen(pendingRow, { events });
    const told = await publishBeforeReopen(toldRow, { events });

    expect([pending, told]).toEqual(['published', 'none']);
    expect(published.map((e) => e.eventId)).toEqual([articleEventOf(pendingRow)?.eventId]);
  });

  it('lets reconcile publish the events pending past the grace period, and leave a writer still within it alone', async () => {
    // Prepare: one row whose writer stopped at 10:00:07, one finished at 10:12 whose writer may still be telling it.
    const stopped = stoppedAfterWrite();
    const recent = stoppedAfterWrite({ articleId: 'c'.repeat(32), eventPendingSince: '2026-11-26T10:12:00.000Z' });
    const { events, ledger, rows, published } = memoryEvents([stopped, recent]);
    // Act: 10 minutes after the first stopped (within the grace), then 20.
    const early = await publishPendingEvents({ events, ledger, clock: fixedClock('2026-11-26T10:10:00.000Z') });
    const late = await publishPendingEvents({ events, ledger, clock: fixedClock('2026-11-26T10:20:00.000Z') });
    // Assess
    expect(early).toEqual([]);
    expect(late).toEqual([{ articleId: stopped.articleId, key: stopped.key, state: 'notified' }]);
    expect(published.map((e) => e.articleId)).toEqual([stopped.articleId]);
    expect(rows.get(stopped.articleId)?.eventPendingSince).toBeUndefined();
    expect(rows.get(recent.articleId)?.eventPendingSince).toBe(recent.eventPendingSince);
  });

  it('lets reconcile publish the records an earlier version left in S3 whose try the row holds, and drop the others', async () => {
    // Prepare: one row finished by the try that stopped; one never finished; one finished by another try
    // (the stopped writer's write lost) with the same event id; and a record from before tries had ids.
    const done = completedRow({ finishId: FINISH });
    const stillQueued = completedRow({ articleId: 'd'.repeat(32), state: 'QUEUED', summary: undefined });
    const wonByOther = completedRow({ articleId: 'c'.repeat(32), finishId: '1'.repeat(32) });
    const legacy = completedRow({ articleId: 'e'.repeat(32) });
    const { events, ledger, published, earlier, recordEarlier } = memoryEvents([done, stillQueued, wonByOther, legacy]);
    const eventOf = (row: LedgerRow, state: ArticleEvent['state']) => eventIdFor(row.articleId, row.inferenceId, state);
    recordEarlier({ eventId: eventOf(done, 'COMPLETED'), articleId: done.articleId, finishId: FINISH });
    recordEarlier({ eventId: eventOf(stillQueued, 'FAILED'), articleId: stillQueued.articleId, finishId: FINISH });
    recordEarlier({ eventId: eventOf(wonByOther, 'COMPLETED'), articleId: wonByOther.articleId, finishId: FINISH });
    recordEarlier({ eventId: eventOf(legacy, 'COMPLETED'), articleId: legacy.articleId });
    // Act: 10 minutes after they were recorded (within the grace), then 20.
    const early = await publishPendingEvents({ events, ledger, clock: fixedClock('2026-11-26T10:10:00.000Z') });
    const late = await publishPendingEvents({ events, ledger, clock: fixedClock('2026-11-26T10:20:00.000Z') });
    // Assess
    expect(early).toEqual([]);
    expect(late).toEqual([
      { articleId: done.articleId, key: done.key, state: 'notified' },
      { articleId: stillQueued.articleId, key: stillQueued.key, state: 'dropped' },
      { articleId: wonByOther.articleId, key: wonByOther.key, state: 'dropped' },
      { articleId: legacy.articleId, key: legacy.key, state: 'notified' },
    ]);
    expect(published.map((e) => e.articleId)).toEqual([done.articleId, legacy.articleId]);
    expect(earlier.size).toBe(0);
  });
});
