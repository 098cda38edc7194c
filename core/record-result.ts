import { randomUUID } from 'node:crypto';
import { parseRequestLocation, parseStepInferenceId, type StepId } from './ids';
import { articleSpend } from './cost';
import {
  awaitsOutcome,
  bounded,
  finishAttempt,
  MAX_REASON_CHARS,
  MAX_SUMMARY_CHARS,
  msBetween,
  type AttemptOutcome,
  type LedgerRow,
  type TerminalUpdate,
} from './ledger';
import { MAX_OUTPUT_BYTES, parseSummary } from './model-output';
import type { Clock, OutputReader, SummaryLedger } from './ports';
import { carryOn, recordStepOutcome, type StepDeps, type StepOutcome } from './long-article/record-step';
import { publishOwnPending } from './article-events';

export { MAX_OUTPUT_BYTES, parseSummary } from './model-output';

/**
 * A SageMaker asynchronous inference notification, as published to the success or error topic
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-check-predictions.html).
 */
export interface InferenceNotification {
  status: 'Completed' | 'Failed';
  inferenceId: string;
  endpointName: string;
  inputLocation: string;
  receivedTime: string;
  eventTime: string;
  outputLocation?: string;
  failureLocation?: string;
  failureReason?: string;
  /** The response body, when IncludeInferenceResponseIn put it in the notification. */
  inlineResponse?: string;
}

/** Recording needs what sending needs too: the last step of a long article's level sends the next. */
export interface RecordDeps extends StepDeps {
  outputs: OutputReader;
  ledger: SummaryLedger;
  clock: Clock;
}

export type RecordOutcome =
  | { outcome: 'recorded'; articleId: string; state: TerminalUpdate['state'] }
  | { outcome: 'step recorded'; articleId: string; step: StepId }
  | { outcome: 'stale'; articleId: string }
  | { outcome: 'foreign'; reason: string };

const MAX_FAILURE_DETAIL_BYTES = 1000;

/**
 * Records the outcome of one inference on its article's ledger row. A failure is data (a FAILED or
 * EXPIRED row), not an exception; dependency errors throw so the trigger retries.
 */
export const recordOutcome = async (
  n: InferenceNotification,
  deps: RecordDeps,
  invocationId: string = randomUUID(),
): Promise<RecordOutcome> => {
  const ref = parseRequestLocation(n.inputLocation);
  if (!ref) return { outcome: 'foreign', reason: `input ${n.inputLocation} is not a research-summarizer request` };
  const { articleId } = ref;
  // The writer of whatever this invocation finishes: its retry tells what an earlier try wrote (core/article-events.ts).
  const writing = { ...deps, writer: invocationId };
  const step = parseStepInferenceId(ref.inferenceId);
  if (step) return recordStepNotification(n, { articleId, ...step, stepInferenceId: ref.inferenceId }, writing, invocationId);

  // Check before reading the output: duplicates and late notifications cost one read, nothing more.
  const row = await deps.ledger.get(articleId);
  if (!row || !awaitsOutcome(row, n.inferenceId)) {
    // This outcome is in already. If this invocation wrote it and stopped before telling users (this is its
    // retry), tell them now; another invocation's outcome is that one's to tell (or reconcile's).
    if (row?.inferenceId === n.inferenceId) await publishOwnPending(row, invocationId, deps);
    return { outcome: 'stale', articleId };
  }

  const read = n.status === 'Completed' ? await completion(n, deps.outputs) : await failure(n, deps.outputs, row.failureLocation);
  const endpointMs = msBetween(n.receivedTime, n.eventTime);
  const update = read.outcome;
  const result = await finishAttempt(writing, row, { ...update, endpointMs }, articleSpend(row, endpointMs), { dataOutBytes: read.bytes });
  return result === 'recorded' ? { outcome: 'recorded', articleId, state: update.state } : { outcome: 'stale', articleId };
};

/** One step of a long article (core/long-article/record-step.ts); the row stays QUEUED until the final reduce. */
const recordStepNotification = async (
  n: InferenceNotification,
  ref: { articleId: string; inferenceId: string; step: StepId; stepInferenceId: string },
  deps: RecordDeps,
  invocationId: string,
): Promise<RecordOutcome> => {
  const row = await deps.ledger.get(ref.articleId);
  if (!row || row.inferenceId !== ref.inferenceId || hasOutcome(row, ref.step, ref.stepInferenceId)) {
    // A duplicate, or this invocation's retry after a crash: carry on whatever the crash interrupted, and
    // tell users of the article's end if this invocation's crash came between its ledger write and its publish.
    if (row?.inferenceId === ref.inferenceId) {
      await carryOn(row, ref.inferenceId, deps, invocationId);
      await publishOwnPending(row, invocationId, deps);
    }
    return { outcome: 'stale', articleId: ref.articleId };
  }
  const read = n.status === 'Completed' ? await completion(n, deps.outputs) : await failure(n, deps.outputs, row.steps?.[ref.step]?.f);
  const update = read.outcome;
  const endpointMs = msBetween(n.receivedTime, n.eventTime);
  const outputBytes = read.bytes;
  const outcome: StepOutcome =
    update.state === 'COMPLETED'
      ? { summary: update.summary as string, outputLocation: n.outputLocation ?? row.steps?.[ref.step]?.o ?? '', endpointMs, outputBytes }
      : {
          failed: update.reason ?? 'failed',
          expired: update.state === 'EXPIRED',
          ...(update.failureLocation ? { failureLocation: update.failureLocation } : {}),
          ...(update.outputLocation ? { outputLocation: update.outputLocation } : {}),
          endpointMs,
          outputBytes,
        };
  const result = await recordStepOutcome(ref, ref.step, ref.stepInferenceId, outcome, deps, invocationId);
  return result === 'recorded'
    ? { outcome: 'step recorded', articleId: ref.articleId, step: ref.step }
    : { outcome: 'stale', articleId: ref.articleId };
};

const hasOutcome = (row: LedgerRow, step: StepId, stepInferenceId: string): boolean => {
  const record = row.steps?.[step];
  return record !== undefined && record.s !== 'sent' && record.id === stepInferenceId;
};

/** What the model returned, as the attempt's outcome, and its size (SageMaker bills it as data processed out). */
interface ReadOutcome {
  outcome: AttemptOutcome;
  bytes: number;
}

const completion = async (n: InferenceNotification, outputs: OutputReader): Promise<ReadOutcome> => {
  const location = n.outputLocation;
  const body = n.inlineResponse ?? (location ? await outputs.read(location, MAX_OUTPUT_BYTES) : undefined);
  const base = location ? { outputLocation: location } : {};
  if (body === undefined) {
    return {
      outcome: {
        ...base,
        state: 'FAILED',
        failedStage: 'inference',
        reason: `the model output is missing (${location ?? 'no output location'})`,
      },
      bytes: 0,
    };
  }
  const bytes = Buffer.byteLength(body);
  const parsed = parseSummary(body);
  if ('problem' in parsed) return { outcome: { ...base, state: 'FAILED', failedStage: 'inference', reason: parsed.problem }, bytes };
  return { outcome: { ...base, state: 'COMPLETED', summary: bounded(parsed.summary, MAX_SUMMARY_CHARS) }, bytes };
};

const failure = async (
  n: InferenceNotification,
  outputs: OutputReader,
  storedFailureLocation: string | undefined,
): Promise<ReadOutcome> => {
  const reason = n.failureReason?.trim() || 'the endpoint reported a failure without a reason';
  // The documented failure message has no responseParameters: the row keeps the FailureLocation
  // InvokeEndpointAsync answered with, which is where the failure object lands.
  const failureLocation = n.failureLocation ?? storedFailureLocation;
  // The model's own error body: inline in the notification when configured, else the failure object.
  const detail =
    n.inlineResponse?.slice(0, MAX_FAILURE_DETAIL_BYTES) ??
    (failureLocation ? await outputs.read(failureLocation, MAX_FAILURE_DETAIL_BYTES) : undefined);
  const full = detail?.trim() ? `${reason} Model said: ${detail.trim()}` : reason;
  return {
    outcome: {
      // SageMaker drops requests that outlive RequestTTLSeconds in the queue (ExpiredRequests metric).
      state: /expired|\bttl\b|time.to.live/i.test(reason) ? 'EXPIRED' : 'FAILED',
      failedStage: 'inference',
      reason: bounded(full, MAX_REASON_CHARS),
      ...(failureLocation ? { failureLocation } : {}),
    },
    bytes: detail ? Buffer.byteLength(detail) : 0,
  };
};
