import type { DocumentFormat } from './documents/document';
import type { PublishedSource } from './trends/article-facts';

/**
 * The ledger: one DynamoDB row per article, queried directly by users (docs/ledger.md).
 * Attribute names here are a public interface: rename nothing without a migration.
 */
import { costOf, spendBeforeEndpoint, type CostItems, type CostSettings, type Spend } from './cost';
import { newFinishId, publishOwnPending, publishRecorded } from './article-events';
import type { ArticleEvents, Clock, FinishResult, LambdaMeter, SummaryLedger, Usage } from './ports';
import { usageOf } from './usage';

export const ArticleStates = ['QUEUED', 'COMPLETED', 'FAILED', 'REJECTED', 'EXPIRED'] as const;
export type ArticleState = (typeof ArticleStates)[number];

/** The states an article ends in; only QUEUED is still waiting for an outcome. */
export const TerminalStates: readonly ArticleState[] = ['COMPLETED', 'FAILED', 'REJECTED', 'EXPIRED'];
export const isTerminal = (state: ArticleState): boolean => TerminalStates.includes(state);

/** Which step a FAILED row failed in: before the endpoint accepted the request, or in the endpoint. */
export type FailedStage = 'submit' | 'inference';

export interface LedgerRow {
  articleId: string;
  bucket: string;
  key: string;
  etag: string;
  versionId?: string;
  /**
   * The S3 event's sequencer, left-padded to a fixed width so that string order is event order for
   * one key (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
   */
  sequencer?: string;
  bytes: number;
  contentType?: string;
  state: ArticleState;
  inferenceId: string;
  /** Every model request sent for this article: 1 for a short one; parts plus every reduce request for a long one. */
  requestCount: number;
  requestLocation?: string;
  outputLocation?: string;
  failureLocation?: string;
  summary?: string;
  modelId: string;
  reason?: string;
  failedStage?: FailedStage;
  /**
   * The invocation that is submitting this inference (Lambda's request id, which stays the same
   * across the retries of one asynchronous invocation) and when it claimed it. Another delivery of
   * the same S3 event cannot submit it too while the claim is fresh.
   */
  claimedBy?: string;
  claimedAt?: string;
  /** S3 event time of the upload. */
  uploadedAt: string;
  /** When submit-article first saw the upload; after a retry, when the retry began (reconcile counts from it). */
  receivedAt: string;
  /** When the endpoint accepted the request (InvokeEndpointAsync returned 202). */
  submittedAt?: string;
  /** When the row reached a terminal state. */
  completedAt?: string;
  /**
   * Who made the row's terminal transition (the invocation: Lambda's request id, `reconcile-…`,
   * `retry-…`), and which try of it (32 hex digits): the try that publishes the article's event
   * (core/article-events.ts). Rows finished before these existed have neither.
   */
  finishedBy?: string;
  finishId?: string;
  /**
   * Set (to completedAt) by the write that makes the terminal transition, and removed once its article
   * event is published: the row's own outbox (core/article-events.ts). Keyed by the sparse byPendingEvent
   * index, which holds only rows whose event is still to be told.
   */
  eventPendingSince?: string;
  /** Time the request spent in the endpoint: notification eventTime minus receivedTime. */
  endpointMs?: number;
  /** Upload to terminal state. */
  totalMs?: number;
  /** What the article cost in US dollars, written at completion: costItems summed (core/cost.ts). */
  costUsd?: number;
  /** The bill's items of costUsd, in US dollars (core/cost.ts CostItems). */
  costItems?: CostItems;
  /** Lambda GB-seconds spent on the article so far, every attempt (core/usage.ts). */
  lambdaGbs?: number;
  /** Bytes sent to the model and returned by it so far, every request of every attempt (SageMaker data processed). */
  dataInBytes?: number;
  dataOutBytes?: number;
  /** UTC day of receivedAt (YYYY-MM-DD), the partition key of the byDay index. */
  day: string;
  /** The key's first folder under the input prefix ("/" directly under it), the partition key of byBatch (core/status/batch.ts). */
  batch?: string;
  /** 1 for the upload's own inference; each retry adds one. Absent means 1. */
  attempt?: number;
  /** Earlier attempts of this revision, oldest first, at most MAX_HISTORY (a retry appends one). */
  history?: AttemptRecord[];
  // Long articles only (core/long-article/steps.ts); a short article has none of these.
  /** Number of parts the article was split into. */
  parts?: number;
  /** Research length (core/long-article/lengths.ts): the final summary is abstract-like rather than the model's default. */
  research?: boolean;
  /** Parts with a summary so far (progress: `partsDone` of `parts`). */
  partsDone?: number;
  /** The level being summarized: 0 the parts, 1.. the reduce levels; the last has one step. */
  level?: number;
  /** Steps in the current level, and how many of them have a summary (a top-level counter, so ADD works). */
  levelSize?: number;
  levelDone?: number;
  /**
   * When a step's outcome was last recorded: once levelDone reaches levelSize, when the level finished
   * (reconcile leaves it to the invocation moving it on until record-result's timeout has passed).
   */
  lastStepAt?: string;
  /** When the current level was started, and which invocation owns sending its steps (a Lambda retry keeps it). */
  levelStartedAt?: string;
  levelClaimedBy?: string;
  /** Every step's request and outcome, keyed by step id (`p3`, `r1-2`). */
  steps?: Record<string, StepRecord>;
  /** JSON object in S3 holding each part's summary, in order. */
  partSummariesLocation?: string;
  // Trend analysis (core/trends/article-facts.ts); rows written before it have none of these.
  /** The `published` S3 metadata, normalised; absent when there was none or it was ignored. */
  publishedAt?: string;
  /** YYYY-MM-DD: the published day, else the upload day; the partition key of the byPublishedDay index. */
  publishedDay?: string;
  /** Why a `published` value was ignored. */
  publishedIgnored?: string;
  /** The article's first line when it looks like a heading. */
  title?: string;
  /** Up to 10 lower-cased phrases of 1–3 words saying what the article is about (the author's keywords first). */
  keyphrases?: string[];
  /** Where publishedDay came from (core/trends/article-facts.ts). */
  publishedSource?: PublishedSource;
  // Research documents (core/documents); rows written before them have none of these.
  /** What the upload was read as: text, markdown, html, jats, pdf, docx or latex. */
  format?: DocumentFormat;
  /** The author's abstract, where the document has one (never summarized: the model reads the body). */
  abstract?: string;
  /** A PDF's page count. */
  pages?: number;
  /** PDF pages left out because their text layer is absent or garbage ("2–23, 40"). */
  unusablePages?: string;
  /** `s3://…/extracted/<articleId>/<inferenceId>.txt`: the body the model read, for every format but plain text. */
  extractedLocation?: string;
}

/**
 * One step of a long article, kept small (a 1 MB article has a few hundred): state, the step's
 * inference id, and where SageMaker puts its output and failure.
 */
export interface StepRecord {
  s: 'sent' | 'done' | 'failed';
  id: string;
  o?: string;
  f?: string;
  /** The step's time in the endpoint (notification eventTime minus receivedTime), for the article's cost. */
  ms?: number;
}

/** What an earlier attempt ended in, kept in the row when the article is retried. */
export interface AttemptRecord {
  attempt: number;
  inferenceId: string;
  state: ArticleState;
  reason?: string;
  failedStage?: FailedStage;
  receivedAt: string;
  completedAt?: string;
  retriedAt: string;
  /**
   * Endpoint time this attempt spent that the next one does not count again, for the article's cost:
   * a short article's whole request; a long article's steps without a summary, which the retry resends.
   */
  endpointMs?: number;
}

/** States `npm run retry` may send to the endpoint again. REJECTED input needs a new upload instead. */
export const RetryableStates = ['FAILED', 'EXPIRED'] as const;
export type RetryableState = (typeof RetryableStates)[number];
export const MAX_HISTORY = 20;
export const MAX_HISTORY_REASON_CHARS = 500;

/** Fields written when an article reaches a terminal state. */
export type TerminalUpdate = Pick<LedgerRow, 'completedAt' | 'totalMs' | 'finishId' | 'eventPendingSince'> & {
  state: Exclude<ArticleState, 'QUEUED'>;
} & Partial<
    Pick<
      LedgerRow,
      | 'summary'
      | 'reason'
      | 'failedStage'
      | 'outputLocation'
      | 'failureLocation'
      | 'endpointMs'
      | 'contentType'
      | 'costUsd'
      | 'costItems'
      | 'format'
      | 'finishedBy'
    >
  >;

/** Fields written once the endpoint accepted the request (every part of a long article). */
export type SubmittedUpdate = Required<Pick<LedgerRow, 'submittedAt'>> &
  Pick<LedgerRow, 'requestLocation' | 'outputLocation' | 'failureLocation' | 'contentType'> &
  Pick<LedgerRow, 'publishedAt' | 'publishedDay' | 'publishedIgnored' | 'publishedSource' | 'title' | 'keyphrases'> &
  Pick<LedgerRow, 'format' | 'abstract' | 'pages' | 'unusablePages' | 'extractedLocation'>;

/** What a long article's row starts with once split: the parts are level 0. */
export type PartsPlan = Required<Pick<LedgerRow, 'parts' | 'levelSize' | 'levelStartedAt' | 'requestCount'>> &
  Pick<LedgerRow, 'contentType' | 'research'>;

/** The next reduce level: its size, and the requests it adds. */
export type LevelPlan = { level: number; size: number; startedAt: string; claimedBy: string; partSummariesLocation?: string };

/**
 * Summaries and reasons are bounded so a row stays far below DynamoDB's 400 KB item limit
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
 */
export const MAX_SUMMARY_CHARS = 20_000;
export const MAX_REASON_CHARS = 2_000;
/** Abstracts run to a few hundred words; a longer one is cut here. */
export const MAX_ABSTRACT_CHARS = 10_000;

export const bounded = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export const dayOf = (iso: string): string => iso.slice(0, 10);

export const msBetween = (fromIso: string, toIso: string): number => Math.max(0, Date.parse(toIso) - Date.parse(fromIso));

/**
 * A request's time in the endpoint when its notification was lost: from its submission (≈ the
 * notification's receivedTime) to when S3 stored its output or failure (≈ its eventTime).
 */
export const endpointMsUntil = (submittedAt: string, writtenAt: Date | undefined): { endpointMs?: number } =>
  writtenAt ? { endpointMs: msBetween(submittedAt, writtenAt.toISOString()) } : {};

/** What an attempt ended in: finishAttempt adds when, how long it took and what it cost. */
export type AttemptOutcome = Omit<TerminalUpdate, 'completedAt' | 'totalMs' | 'costUsd' | 'costItems' | 'finishId' | 'eventPendingSince'>;

/**
 * What finishing an attempt needs: the ledger, the clock, the article events (every writer tells users),
 * prices when this caller prices articles, and the invocation's Lambda meter when it runs in Lambda.
 */
export interface FinishDeps {
  ledger: Pick<SummaryLedger, 'finish' | 'get' | 'settleEvent'>;
  clock: Clock;
  events: ArticleEvents;
  /** Without it the row gets no costUsd (core/cost.ts costOf). */
  cost?: CostSettings;
  meter?: LambdaMeter;
  /**
   * The invocation finishing it (Lambda's request id, the same across the retries of one invocation):
   * its retry then publishes what an earlier try wrote and did not tell. Without it, reconcile does.
   */
  writer?: string;
}

/** The attempt being finished, as its caller last read it: what its cost is counted from (core/cost.ts). */
export type AttemptRow = Pick<LedgerRow, 'articleId' | 'inferenceId' | 'uploadedAt'> & Partial<LedgerRow>;

/**
 * The one way every function ends an attempt, and so the one place users are told (core/article-events.ts):
 * moves the row of attempt `inferenceId` to its terminal state with completedAt (now), totalMs (since the
 * upload), the reason and summary bounded to the row's limits, costUsd with its costItems when this caller
 * has prices (from `spend`, the endpoint time and requests of every attempt, and the row's usage with this
 * write's), this try's finishedBy and finishId, and the event's pending mark (eventPendingSince), all in
 * one conditional write; then publishes the event and clears the mark. 'stale' when another outcome or a
 * newer revision got there first: a try that lost wrote nothing, so it publishes nothing of its own, only
 * the row's event if an earlier try of this same writer made it and stopped before telling (publishOwnPending).
 */
export const finishAttempt = async (
  deps: FinishDeps,
  attempt: AttemptRow,
  outcome: AttemptOutcome,
  spend: Spend = spendBeforeEndpoint(attempt),
  bytes: Omit<Usage, 'lambdaGbs'> = {},
): Promise<FinishResult> => {
  const completedAt = deps.clock.now().toISOString();
  const usage = usageOf(deps.meter, bytes);
  const ended = {
    ...outcome,
    ...(outcome.reason !== undefined ? { reason: bounded(outcome.reason, MAX_REASON_CHARS) } : {}),
    ...(outcome.summary !== undefined ? { summary: bounded(outcome.summary, MAX_SUMMARY_CHARS) } : {}),
    completedAt,
    totalMs: msBetween(attempt.uploadedAt, completedAt),
  };
  const priced = {
    ...attempt,
    ...ended,
    lambdaGbs: (attempt.lambdaGbs ?? 0) + (usage.lambdaGbs ?? 0),
    dataInBytes: (attempt.dataInBytes ?? 0) + (usage.dataInBytes ?? 0),
    dataOutBytes: (attempt.dataOutBytes ?? 0) + (usage.dataOutBytes ?? 0),
  };
  const written = await deps.ledger.finish(
    attempt.articleId,
    attempt.inferenceId,
    {
      ...ended,
      ...costOf(deps.cost, priced, spend),
      finishId: newFinishId(),
      eventPendingSince: completedAt,
      ...(deps.writer !== undefined ? { finishedBy: deps.writer } : {}),
    },
    usage,
  );
  if (written === 'stale') {
    const row = deps.writer !== undefined ? await deps.ledger.get(attempt.articleId) : undefined;
    if (row) await publishOwnPending(row, deps.writer, deps);
    return 'stale';
  }
  await publishRecorded(written, deps);
  return 'recorded';
};

/**
 * A row still waits for the outcome of `inferenceId` while QUEUED, or FAILED before the endpoint
 * accepted it (the call may have reached SageMaker although the client saw an error). Any other
 * state is terminal: the first outcome wins.
 */
export const awaitsOutcome = (row: Pick<LedgerRow, 'state' | 'inferenceId' | 'failedStage'>, inferenceId: string): boolean =>
  row.inferenceId === inferenceId && (row.state === 'QUEUED' || (row.state === 'FAILED' && row.failedStage === 'submit'));

const SEQUENCER_WIDTH = 32;

/** S3 sequencers differ in length; left-padding with zeros makes lexicographic order event order. */
export const normalizeSequencer = (sequencer: string | undefined): string | undefined =>
  sequencer ? sequencer.toUpperCase().padStart(SEQUENCER_WIDTH, '0') : undefined;

/**
 * How long a submission claim keeps other deliveries of the same event away. Far longer than the
 * function's timeout, so a concurrent duplicate never submits twice; a retry of the same invocation
 * carries the same claim and is never kept out.
 */
export const CLAIM_LEASE_MS = 15 * 60 * 1000;
