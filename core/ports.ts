import type { Readable } from 'node:stream';
import type { LedgerRow, SubmittedUpdate, TerminalUpdate } from './ledger';

/** The uploaded articles and the model requests made from them (S3). */
export interface ArticleStore {
  /** Opens one revision of an article; `undefined` when that revision no longer exists. */
  open(bucket: string, key: string, etag: string): Promise<OpenedArticle | undefined>;
  /** Writes a model request, streaming `body`; resolves to its `s3://` location. */
  writeRequest(key: string, body: Readable, contentType: string): Promise<string>;
}

export interface OpenedArticle {
  body: Readable;
  bytes: number;
  contentType?: string;
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
  read(location: string, maxBytes: number): Promise<string | undefined>;
}

/** 'taken' when the row belongs to this inference already (submitted) or to a newer revision. */
export type ClaimResult = 'claimed' | 'taken';
export type FinishResult = 'recorded' | 'stale';

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
  markSubmitted(articleId: string, inferenceId: string, update: SubmittedUpdate): Promise<void>;
  /**
   * Moves a row to a terminal state if it is still waiting for this inference: QUEUED, or FAILED
   * before the endpoint accepted it. 'stale' when another outcome or revision got there first.
   */
  finish(articleId: string, inferenceId: string, update: TerminalUpdate): Promise<FinishResult>;
}

export interface Clock {
  now(): Date;
}
