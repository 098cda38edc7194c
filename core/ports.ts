import type { Readable } from 'node:stream';
import type { StepId } from './ids';
import type { TrendRow } from './trends/periods';
import type { LedgerRow, LevelPlan, PartsPlan, StepRecord, SubmittedUpdate, TerminalUpdate } from './ledger';
import type { ArticleEvent, PendingEvent } from './article-events';
import type { MeteredUsage } from './cost';

/** The uploaded articles and the model requests made from them (S3). */
export interface ArticleStore {
  /** Opens one revision of an article; `undefined` when that revision no longer exists. */
  open(bucket: string, key: string, etag: string): Promise<OpenedArticle | undefined>;
  /** Writes a model request (or an extracted body) in one PUT; resolves to its `s3://` location. */
  writeRequest(key: string, body: Uint8Array, contentType: string): Promise<string>;
}

export interface OpenedArticle {
  body: Readable;
  bytes: number;
  contentType?: string;
  /** The `published` user metadata (x-amz-meta-published), which comes with the object. */
  published?: string;
}

export interface InferenceRequest {
  inferenceId: string;
  inputLocation: string;
  contentType: string;
  accept: string;
  requestTtlSeconds: number;
  invocationTimeoutSeconds: number;
}

export interface AcceptedInference {
  outputLocation: string;
  failureLocation?: string;
}

/** The SageMaker asynchronous endpoint's queue (InvokeEndpointAsync). */
export interface InferenceQueue {
  submit(request: InferenceRequest): Promise<AcceptedInference>;
}

/** Reads model outputs and failure details (S3), at most `maxBytes` of each. */
export interface OutputReader {
  /** The object's first maxBytes as text; undefined when it does not exist. */
  read(location: string, maxBytes: number): Promise<string | undefined>;
  /** The same, and when S3 stored it: the time the endpoint finished the request (reconcile prices by it). */
  readObject(location: string, maxBytes: number): Promise<OutputObject | undefined>;
}

export interface OutputObject {
  body: string;
  /** S3's LastModified. */
  writtenAt?: Date;
}

/** 'taken' when the row belongs to this inference already (submitted) or to a newer revision. */
export type ClaimResult = 'claimed' | 'taken';
export type FinishResult = 'recorded' | 'stale';

/**
 * What a write adds to the row's usage counters (core/cost.ts MeteredUsage): the Lambda GB-seconds the
 * writing invocation spent since its last write, the bytes a request sent to the model or an output
 * brought back. Added (DynamoDB ADD) in the write that records the work, so every attempt counts.
 */
export type Usage = MeteredUsage;

/**
 * The DynamoDB ledger. Every write is conditional on the row's inferenceId, so an event for an older
 * revision of the article, or a duplicate notification, never overwrites a newer or terminal state.
 */
export interface SummaryLedger {
  get(articleId: string): Promise<LedgerRow | undefined>;
  /**
   * Writes the QUEUED row (with row.claimedBy/claimedAt) if there is none, if the row is for an
   * older revision of the article (smaller sequencer), or if it is for this inference, was never
   * accepted by the endpoint, and is unclaimed, claimed by this same invocation (a retry) or claimed
   * before `staleBefore`. Otherwise 'taken': a redelivered or concurrent duplicate event, or one
   * overtaken by a newer upload.
   */
  claim(row: LedgerRow, staleBefore: string): Promise<ClaimResult>;
  /** Records that the endpoint accepted the request; state is left alone (a result may be in already). */
  markSubmitted(articleId: string, inferenceId: string, update: SubmittedUpdate, usage?: Usage): Promise<void>;
  /**
   * Moves a row to a terminal state if it is still waiting for this inference: QUEUED, or FAILED
   * before the endpoint accepted it. The row as written, or 'stale' when another outcome or revision
   * got there first.
   */
  finish(articleId: string, inferenceId: string, update: TerminalUpdate, usage?: Usage): Promise<LedgerRow | 'stale'>;
  /**
   * The transition's event is published: clears the row's eventPendingSince if the row still holds the
   * try `finishId` (a row reopened or finished again since keeps its own mark).
   */
  settleEvent(articleId: string, finishId: string): Promise<void>;
  /** Rows whose event has been pending since before `before` (ISO time), through the sparse byPendingEvent index. */
  listPendingEvents(before: string): Promise<LedgerRow[]>;

  // Long articles (core/long-article/steps.ts). Every write is conditional on the row's inferenceId (the attempt).
  /** Records the split (level 0 = the parts) once; a retry of the same submission keeps the first. */
  planParts(articleId: string, inferenceId: string, plan: PartsPlan): Promise<void>;
  /**
   * Records that the endpoint accepted a step, unless its outcome for this request is in already;
   * `counted` adds the request to requestCount (a step sent again by a retry).
   */
  markStepSent(articleId: string, inferenceId: string, step: StepId, record: StepRecord, counted: boolean, usage?: Usage): Promise<void>;
  /**
   * Records a step's outcome if it has none yet for this attempt (the first outcome wins); a summary
   * also counts towards its level (and the parts). `at` (now) becomes the row's lastStepAt. The row
   * after the write, or 'stale'.
   */
  recordStep(
    articleId: string,
    inferenceId: string,
    step: StepId,
    record: StepRecord,
    usage?: Usage,
    at?: string,
  ): Promise<LedgerRow | 'stale'>;
  /**
   * Moves a QUEUED row whose level `from` is complete to the next level, claimed by `plan.claimedBy`,
   * and adds its requests to requestCount. 'stale' when another invocation moved it first.
   */
  startLevel(articleId: string, inferenceId: string, from: number, plan: LevelPlan): Promise<'started' | 'stale'>;
}

export interface Clock {
  now(): Date;
}

/** The ArticleEventsTopic (SNS): one message per finished article (core/article-events.ts). */
export interface ArticleEventTopic {
  publish(event: ArticleEvent): Promise<void>;
}

/**
 * Pending events an earlier version recorded in S3 before its ledger write (`events/pending/`), found
 * and settled by reconcile; this version keeps the pending mark on the ledger row (core/article-events.ts).
 */
export interface EarlierPendingEvents {
  settle(event: PendingEvent): Promise<void>;
  /** Every record made before `before`, with when it was made. */
  listBefore(before: Date): Promise<PendingEvent[]>;
}

/** Telling users: the topic, and the records an earlier version left pending in S3. */
export interface ArticleEvents {
  topic: ArticleEventTopic;
  earlierPending: EarlierPendingEvents;
}

/**
 * The Lambda duration an invocation spends, in GB-seconds at its memory size: each `take` returns what
 * was spent since the previous one (core/usage.ts), and the write that records the work adds it to the
 * row (Usage). Absent outside Lambda (the CLI on a laptop is not billed).
 */
export interface LambdaMeter {
  take(): number;
}

/** The ledger by published day (trend analysis), one day's rows at a time, page by page. */
export interface PublishedDays {
  rowsOn(day: string, keyPrefix?: string): AsyncIterable<TrendRow[]>;
}
