import { attemptOnlyMs } from './cost';
import { attemptInferenceIdFor } from './ids';
import {
  bounded,
  dayOf,
  finishAttempt,
  MAX_HISTORY,
  MAX_HISTORY_REASON_CHARS,
  MAX_REASON_CHARS,
  type AttemptRecord,
  type LedgerRow,
  type RetryableState,
} from './ledger';
import type { OutputReader } from './ports';
import { carryOn } from './long-article/record-step';
import { publishBeforeReopen } from './article-events';
import { sendToEndpoint, type SubmitDeps, type Upload } from './submit-article';
import { describeError } from './errors';

/**
 * `npm run retry`: sends FAILED or EXPIRED articles to the endpoint again. Each retry is a new
 * attempt with its own inference id, so a late notification for the old attempt can no longer touch
 * the row; what the old attempt ended in moves to the row's `history`.
 */
export interface ReopenedRow {
  inferenceId: string;
  attempt: number;
  history: AttemptRecord[];
  claimedBy: string;
  claimedAt: string;
  receivedAt: string;
  day: string;
  /** A long article: the retry owns sending the current level's missing steps. */
  levelClaimedBy?: string;
}

export interface RetryLedger {
  /** Rows in a state through the byState index, oldest first. */
  listInState(state: RetryableState): Promise<LedgerRow[]>;
  /**
   * Puts a row back to QUEUED as `next` if it is still in `from` (same inference, same state), and
   * clears the old attempt's outcome. 'stale' when something else changed the row first.
   */
  reopen(articleId: string, from: Pick<LedgerRow, 'inferenceId' | 'state'>, next: ReopenedRow): Promise<'reopened' | 'stale'>;
}

/** A long article's retry may resend reduce steps, built from the level below's outputs. */
export type RetryDeps = SubmitDeps & {
  ledger: SubmitDeps['ledger'] & RetryLedger;
  outputs: OutputReader;
  settings: SubmitDeps['settings'] & { summariesPrefix: string };
};

export type RetryResult = {
  articleId: string;
  key: string;
  /** queued: back at the endpoint; failed: it refused again (the row says why); skipped: changed meanwhile. */
  outcome: 'queued' | 'rejected' | 'gone' | 'failed' | 'skipped';
  attempt: number;
  reason?: string;
};

/** The last MAX_HISTORY attempts; the endpoint time of any dropped moves to the oldest kept, so the cost still counts it. */
const keptHistory = (all: AttemptRecord[]): AttemptRecord[] => {
  const kept = all.slice(-MAX_HISTORY);
  const droppedMs = all.slice(0, -MAX_HISTORY).reduce((sum, h) => sum + (h.endpointMs ?? 0), 0);
  const oldest = kept[0];
  if (droppedMs > 0 && oldest) kept[0] = { ...oldest, endpointMs: (oldest.endpointMs ?? 0) + droppedMs };
  return kept;
};

/** The row an attempt turns into when it is retried: pure, for tests and for the ledger adapter. */
export const reopenedRow = (row: LedgerRow, now: Date, invocationId: string): ReopenedRow => {
  const previous = row.attempt ?? 1;
  const attempt = previous + 1;
  const at = now.toISOString();
  const record: AttemptRecord = {
    attempt: previous,
    inferenceId: row.inferenceId,
    state: row.state,
    ...(row.reason ? { reason: bounded(row.reason, MAX_HISTORY_REASON_CHARS) } : {}),
    ...(row.failedStage ? { failedStage: row.failedStage } : {}),
    receivedAt: row.receivedAt,
    ...(row.completedAt ? { completedAt: row.completedAt } : {}),
    retriedAt: at,
  };
  const spentMs = attemptOnlyMs(row);
  if (spentMs !== undefined) record.endpointMs = spentMs;
  return {
    inferenceId: attemptInferenceIdFor(row.bucket, row.key, row.versionId ?? row.etag, attempt),
    attempt,
    history: keptHistory([...(row.history ?? []), record]),
    claimedBy: invocationId,
    claimedAt: at,
    receivedAt: at,
    day: dayOf(at),
    ...(row.parts !== undefined ? { levelClaimedBy: invocationId } : {}),
  };
};

const uploadOf = (row: LedgerRow): Upload => ({
  bucket: row.bucket,
  key: row.key,
  bytes: row.bytes,
  etag: row.etag,
  ...(row.versionId ? { versionId: row.versionId } : {}),
  ...(row.sequencer ? { sequencer: row.sequencer } : {}),
  eventName: 'ObjectCreated:Put',
  eventTime: row.uploadedAt,
});

/** Retries one row; never throws for a refusal of the endpoint (the row records it as FAILED). */
export const retryRow = async (row: LedgerRow, deps: RetryDeps, invocationId: string): Promise<RetryResult> => {
  const next = reopenedRow(row, deps.clock.now(), invocationId);
  const result = { articleId: row.articleId, key: row.key, attempt: next.attempt };
  // The attempt's end is told before the row moves on, if its writer stopped before telling it.
  await publishBeforeReopen(row, deps);
  if ((await deps.ledger.reopen(row.articleId, row, next)) === 'stale')
    return { ...result, outcome: 'skipped', reason: 'the row changed meanwhile' };
  const ids = { articleId: row.articleId, inferenceId: next.inferenceId };
  const failAtSubmit = async (reason: string): Promise<void> => {
    // Priced with the earlier attempts it carries (their requests and usage).
    const attempt = { ...row, ...ids, attempt: next.attempt, history: next.history, submittedAt: undefined };
    await finishAttempt({ ...deps, writer: invocationId }, attempt, { state: 'FAILED', failedStage: 'submit', reason });
  };
  try {
    // A long article past its parts resends only the missing reduce steps; the article is not read again.
    const sent = (row.level ?? 0) > 0 ? await resumeLevel(ids, deps, invocationId) : await sendToEndpoint(uploadOf(row), ids, deps);
    if (row.parts !== undefined && sent.outcome === 'queued') await resumeLevel(ids, deps, invocationId);
    if (sent.outcome === 'queued') return { ...result, outcome: 'queued' };
    if (sent.outcome === 'rejected') return { ...result, outcome: 'rejected', reason: sent.reason };
    // The revision that failed is no longer in S3 (deleted, or replaced by a newer upload).
    const reason = 'the article is no longer in S3 as it was (deleted or replaced): upload it again';
    await failAtSubmit(reason);
    return { ...result, outcome: 'gone', reason };
  } catch (error) {
    const reason = bounded(`the retry could not submit the article: ${describeError(error)}`, MAX_REASON_CHARS);
    // An endpoint refusal is recorded already (FAILED, stage submit); any other error left the row QUEUED.
    const current = await deps.ledger.get(row.articleId);
    if (current?.state === 'QUEUED' && current.inferenceId === next.inferenceId) await failAtSubmit(reason);
    return { ...result, outcome: 'failed', reason: current?.reason ?? reason };
  }
};

/**
 * A long article's current level after a retry: its missing steps sent again under the new attempt,
 * or the next level started when every step is in already.
 */
const resumeLevel = async (ids: { articleId: string; inferenceId: string }, deps: RetryDeps, invocationId: string) => {
  const row = await deps.ledger.get(ids.articleId);
  if (row) await carryOn(row, ids.inferenceId, deps, invocationId);
  if (!row?.submittedAt) await deps.ledger.markSubmitted(ids.articleId, ids.inferenceId, { submittedAt: deps.clock.now().toISOString() });
  return { outcome: 'queued' as const, ...ids };
};

/** Retries every row in the given states, one at a time, reporting each. */
export const retryArticles = async (
  deps: RetryDeps,
  states: readonly RetryableState[],
  invocationId: string,
  onResult: (result: RetryResult, done: number, total: number) => void = () => undefined,
): Promise<RetryResult[]> => {
  const rows: LedgerRow[] = [];
  for (const state of states) rows.push(...(await deps.ledger.listInState(state)));
  const results: RetryResult[] = [];
  for (const row of rows) {
    const result = await retryRow(row, deps, invocationId);
    results.push(result);
    onResult(result, results.length, rows.length);
  }
  return results;
};
