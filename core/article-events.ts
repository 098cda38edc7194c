/**
 * Users are told when an article ends: one message on the ArticleEventsTopic per terminal transition
 * (COMPLETED, FAILED, REJECTED, EXPIRED), sent by whatever wrote it through the ledger's one write path
 * (core/ledger.ts finishAttempt). SNS delivers at least once, so each message carries an id a subscriber
 * de-duplicates on (eventIdFor: the same whenever the same transition is published again).
 *
 * The row is its own outbox: the conditional write that makes the transition also marks its event
 * pending (eventPendingSince) and names the writer (finishedBy) and its try (finishId); publishing clears
 * the mark. So exactly one writer publishes each transition, even when two finish an article at once (two
 * parts of a long article failing together, reconcile and record-result on one row): only the try whose
 * write won has anything to tell, and a try whose write lost wrote nothing.
 *
 * Not lost when a writer stops between its ledger write and its publish: the mark stays on the row. A
 * retry of the same writer (Lambda retries the invocation under the same request id) finds its own mark
 * and publishes it (publishOwnPending); a mark older than PENDING_EVENT_GRACE_MS is published by reconcile
 * (publishPendingEvents), which finds it through the sparse byPendingEvent index. Records an earlier
 * version kept in S3 (`events/pending/`) are published or dropped by reconcile as that version did.
 */

import { randomBytes } from 'node:crypto';
import { eventIdFor } from './ids';
import type { LedgerRow } from './ledger';
import type { ArticleEvents, Clock, SummaryLedger } from './ports';
import type { CostItems } from './cost';

/** What one message says (its `default` JSON, what an SQS, Lambda or HTTP subscriber receives). */
export interface ArticleEvent {
  /** The same for the same transition published again: de-duplicate on it. */
  eventId: string;
  type: 'article.finished';
  /** The ledger row's key: `aws dynamodb get-item --key '{"articleId":{"S":"<articleId>"}}'`. */
  articleId: string;
  bucket: string;
  key: string;
  /** The key's first folder under input/ (the `batch` message attribute). */
  batch?: string;
  state: Exclude<LedgerRow['state'], 'QUEUED'>;
  failedStage?: LedgerRow['failedStage'];
  attempt: number;
  inferenceId: string;
  title?: string;
  format?: LedgerRow['format'];
  /** The summary, or its first MAX_EVENT_SUMMARY_CHARS characters (`summaryTruncated`): the row has it whole. */
  summary?: string;
  summaryTruncated?: boolean;
  reason?: string;
  costUsd?: number;
  costItems?: CostItems;
  receivedAt: string;
  completedAt?: string;
  /** Long articles: parts, and model requests in all. */
  parts?: number;
  requestCount?: number;
}

/**
 * A long article's final summary runs to about 1,400 characters; 4,000 keeps a message (summary, reason
 * of at most 2,000, title of 200, key of 1,024 bytes, and the e-mail text repeating them) far below SNS's
 * 256 KB (https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html counts attributes in it).
 */
export const MAX_EVENT_SUMMARY_CHARS = 4000;

/** SNS's Subject: ASCII, no line breaks or control characters, under 100 characters (Publish API). */
const MAX_SUBJECT_CHARS = 99;

/**
 * How long a pending event waits for its writer before reconcile publishes it: Lambda's longest
 * timeout (900 s, https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html), so the try
 * that recorded it has ended, one way or the other.
 */
export const PENDING_EVENT_GRACE_MS = 15 * 60 * 1000;

/** A pending record an earlier version kept in S3 before its ledger write (adapters/pending-events.ts). */
export interface PendingEvent {
  eventId: string;
  articleId: string;
  /** The try of the writer that recorded it (LedgerRow.finishId); absent for records made before tries had ids. */
  finishId?: string;
  /** When it was recorded (S3's LastModified when listed). */
  at?: Date;
}

const startOf = (text: string, max: number): { text: string; truncated: boolean } =>
  text.length <= max ? { text, truncated: false } : { text: `${text.slice(0, max - 1)}…`, truncated: true };

/** The event of a finished row, as it is in the ledger; undefined while it is QUEUED. */
export const articleEventOf = (row: LedgerRow): ArticleEvent | undefined => {
  if (row.state === 'QUEUED') return undefined;
  const summary = row.summary !== undefined ? startOf(row.summary, MAX_EVENT_SUMMARY_CHARS) : undefined;
  return {
    eventId: eventIdFor(row.articleId, row.inferenceId, row.state, row.failedStage),
    type: 'article.finished',
    articleId: row.articleId,
    bucket: row.bucket,
    key: row.key,
    ...(row.batch !== undefined ? { batch: row.batch } : {}),
    state: row.state,
    ...(row.failedStage ? { failedStage: row.failedStage } : {}),
    attempt: row.attempt ?? 1,
    inferenceId: row.inferenceId,
    ...(row.title ? { title: row.title } : {}),
    ...(row.format ? { format: row.format } : {}),
    ...(summary ? { summary: summary.text, summaryTruncated: summary.truncated } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.costUsd !== undefined ? { costUsd: row.costUsd } : {}),
    ...(row.costItems ? { costItems: row.costItems } : {}),
    receivedAt: row.receivedAt,
    ...(row.completedAt ? { completedAt: row.completedAt } : {}),
    ...(row.parts !== undefined ? { parts: row.parts, requestCount: row.requestCount } : {}),
  };
};

/** Letters with accents as their base letter; anything else outside printable ASCII as `?`. */
const ascii = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');

/** "COMPLETED: <title or key>", as SNS accepts a Subject; e-mail subscribers see it as the subject line. */
export const eventSubject = (event: ArticleEvent): string => {
  const what = event.title ?? event.key.split('/').pop() ?? event.key;
  const subject = ascii(`Article ${event.state}: ${what}`.replace(/\s+/g, ' ').trim());
  return subject.length <= MAX_SUBJECT_CHARS ? subject : `${subject.slice(0, MAX_SUBJECT_CHARS - 3)}...`;
};

/** The message an e-mail subscriber reads: the event in words. */
export const eventText = (event: ArticleEvent): string =>
  [
    `${event.state}: s3://${event.bucket}/${event.key}`,
    ...(event.title ? [`Title: ${event.title}`] : []),
    `Batch: ${event.batch ?? '-'}   Format: ${event.format ?? '-'}   Attempt: ${event.attempt}` +
      (event.parts !== undefined ? `   Parts: ${event.parts}, ${event.requestCount} requests` : ''),
    ...(event.summary ? ['', 'Summary:', event.summary + (event.summaryTruncated ? ' [the ledger row has it whole]' : '')] : []),
    ...(event.reason ? ['', `Reason: ${event.reason}`] : []),
    '',
    ...(event.costUsd !== undefined ? [`Cost: $${event.costUsd.toFixed(6)}`] : []),
    `Ledger row: articleId ${event.articleId}`,
    `Event id: ${event.eventId} (the same if this message arrives again)`,
  ].join('\n');

/** A new try's id (32 hex digits), written on the row it finishes. */
export const newFinishId = (): string => randomBytes(16).toString('hex');

export interface EventDeps {
  events: ArticleEvents;
  ledger: Pick<SummaryLedger, 'settleEvent'>;
}

/** Publishes the row's event and clears its pending mark: the message may go out twice, always with the same id. */
const publishAndSettle = async (event: ArticleEvent, row: LedgerRow, deps: EventDeps): Promise<void> => {
  await deps.events.topic.publish(event);
  if (row.finishId) await deps.ledger.settleEvent(row.articleId, row.finishId);
};

/** Publishes a transition this try has just written (`row` as written, with this try's finishId and mark). */
export const publishRecorded = (row: LedgerRow, deps: EventDeps): Promise<void> => {
  const event = articleEventOf(row);
  return event ? publishAndSettle(event, row, deps) : Promise.resolve();
};

/**
 * A writer found `row` finished already (its ledger write lost, or its notification came again). If an
 * earlier try of this same writer made the transition and stopped before publishing it (the row still
 * marks its event pending), publish it now. A transition another writer made is never published here:
 * that writer publishes it, or reconcile does once it is pending past the grace. Costs no request: the
 * row says it all. A writer id names one invocation whose finishes run one after another (Lambda starts
 * a retry once the try before it has ended), so the earlier try is over.
 */
export const publishOwnPending = async (row: LedgerRow, writer: string | undefined, deps: EventDeps): Promise<'published' | 'none'> => {
  const event = articleEventOf(row);
  if (!event || writer === undefined || row.finishedBy !== writer || !row.eventPendingSince) return 'none';
  await publishAndSettle(event, row, deps);
  return 'published';
};

/**
 * Before `npm run retry` moves a row on: if the row's event is still pending (its writer stopped before
 * publishing it), publish it now; the reopening write clears the mark. Not proof against a writer that
 * is between its ledger write and its publish at the very moment the retry reads the row: both then send
 * the event, with the same id.
 */
export const publishBeforeReopen = async (row: LedgerRow, deps: Pick<EventDeps, 'events'>): Promise<'published' | 'none'> => {
  const event = articleEventOf(row);
  if (!event || !row.eventPendingSince) return 'none';
  await deps.events.topic.publish(event);
  return 'published';
};

export type PendingRepair = { articleId: string; key: string; state: 'notified' | 'dropped' };

/**
 * reconcile: every event pending longer than the grace. The writer of each stopped between its ledger
 * write and its publish (the row still marks it): publish it. Then the records an earlier version left in
 * S3: the row says whether that try made the transition (it holds its finishId and the event: publish it)
 * or not (drop the record: its write never happened, or lost to another writer, which published its own).
 */
export const publishPendingEvents = async (
  deps: EventDeps & { ledger: Pick<SummaryLedger, 'get' | 'listPendingEvents'>; clock: Clock },
): Promise<PendingRepair[]> => {
  const before = new Date(deps.clock.now().getTime() - PENDING_EVENT_GRACE_MS);
  const repairs: PendingRepair[] = [];
  for (const row of await deps.ledger.listPendingEvents(before.toISOString())) {
    const event = articleEventOf(row);
    if (!event) continue;
    await publishAndSettle(event, row, deps);
    repairs.push({ articleId: row.articleId, key: event.key, state: 'notified' });
  }
  for (const pending of await deps.events.earlierPending.listBefore(before)) {
    const row = await deps.ledger.get(pending.articleId);
    const event = row && articleEventOf(row);
    if (row && event?.eventId === pending.eventId && row.finishId === pending.finishId) {
      await deps.events.topic.publish(event);
      repairs.push({ articleId: pending.articleId, key: event.key, state: 'notified' });
    } else {
      repairs.push({ articleId: pending.articleId, key: row?.key ?? pending.articleId, state: 'dropped' });
    }
    await deps.events.earlierPending.settle(pending);
  }
  return repairs;
};
