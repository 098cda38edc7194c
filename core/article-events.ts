/**
 * Users are told when an article ends: one message on the ArticleEventsTopic per terminal transition
 * (COMPLETED, FAILED, REJECTED, EXPIRED), sent by whatever wrote it through the ledger's one write path
 * (core/ledger.ts finishAttempt). SNS delivers at least once, so each message carries an id a subscriber
 * de-duplicates on (eventIdFor: the same whenever the same transition is published again).
 *
 * Not lost when a writer stops between its ledger write and its publish: before the write it records
 * the event as pending (PendingEvents: an object in S3), after the publish it settles it. A retry of the
 * writer (Lambda retries the invocation) finds the row already finished and the event pending, and
 * publishes it again with the same id; anything left pending longer than PENDING_EVENT_GRACE_MS is
 * published (or dropped, when the row never made that transition) by reconcile (publishPendingEvents).
 */

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

/** How long a pending event waits for its writer (a Lambda retry) before reconcile publishes it. */
export const PENDING_EVENT_GRACE_MS = 15 * 60 * 1000;

/** An event recorded before its ledger write: enough to find the row and check the transition happened. */
export interface PendingEvent {
  eventId: string;
  articleId: string;
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
    eventId: eventIdFor(row.articleId, row.inferenceId, row.state),
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

/** The pending record of the transition `update` would make. */
export const pendingEventFor = (articleId: string, inferenceId: string, state: ArticleEvent['state']): PendingEvent => ({
  eventId: eventIdFor(articleId, inferenceId, state),
  articleId,
});

export interface EventDeps {
  events: ArticleEvents;
}

/** Publishes a pending event and settles it: the message may go out twice, always with the same id. */
const publishAndSettle = async (event: ArticleEvent, deps: EventDeps): Promise<void> => {
  await deps.events.topic.publish(event);
  await deps.events.pending.settle({ eventId: event.eventId, articleId: event.articleId });
};

/**
 * A writer found `row` finished already (its ledger write said 'stale', or a notification came again):
 * if the row's event is still pending, the writer that finished it stopped before publishing (or is
 * publishing now): publish it, with the same id. Costs one S3 request when nothing is pending.
 */
export const publishIfPending = async (row: LedgerRow, deps: EventDeps): Promise<'published' | 'none'> => {
  const event = articleEventOf(row);
  if (!event) return 'none';
  if (!(await deps.events.pending.isPending({ eventId: event.eventId, articleId: row.articleId }))) return 'none';
  await publishAndSettle(event, deps);
  return 'published';
};

/** Publishes a transition the ledger has just recorded. */
export const publishRecorded = (row: LedgerRow, deps: EventDeps): Promise<void> => {
  const event = articleEventOf(row);
  return event ? publishAndSettle(event, deps) : Promise.resolve();
};

/**
 * After a ledger write said 'stale': the pending record this writer made is published if the row holds
 * exactly that transition (an earlier try of this writer, or a concurrent one, recorded it), else
 * dropped (another outcome or revision got there first).
 */
export const resolvePending = async (pending: PendingEvent, row: LedgerRow | undefined, deps: EventDeps): Promise<void> => {
  const event = row && articleEventOf(row);
  if (event?.eventId === pending.eventId) await publishAndSettle(event, deps);
  else await deps.events.pending.settle(pending);
};

export type PendingRepair = { articleId: string; key: string; state: 'notified' | 'dropped' };

/**
 * reconcile: every event pending longer than the grace. The writer of each stopped between recording it
 * and settling it; the row says whether the transition happened (publish it) or not (drop the record:
 * the write never happened, and whoever finishes the row later records its own).
 */
export const publishPendingEvents = async (
  deps: EventDeps & { ledger: Pick<SummaryLedger, 'get'>; clock: Clock },
): Promise<PendingRepair[]> => {
  const before = new Date(deps.clock.now().getTime() - PENDING_EVENT_GRACE_MS);
  const repairs: PendingRepair[] = [];
  for (const pending of await deps.events.pending.listBefore(before)) {
    const row = await deps.ledger.get(pending.articleId);
    const event = row && articleEventOf(row);
    if (event?.eventId === pending.eventId) {
      await publishAndSettle(event, deps);
      repairs.push({ articleId: pending.articleId, key: event.key, state: 'notified' });
    } else {
      await deps.events.pending.settle(pending);
      repairs.push({ articleId: pending.articleId, key: row?.key ?? pending.articleId, state: 'dropped' });
    }
  }
  return repairs;
};
