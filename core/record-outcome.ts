import { parseRequestLocation } from './ids';
import { awaitsOutcome, bounded, MAX_REASON_CHARS, MAX_SUMMARY_CHARS, msBetween, type TerminalUpdate } from './ledger';
import type { Clock, OutputReader, SummaryLedger } from './ports';

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

export interface RecordDeps {
  outputs: OutputReader;
  ledger: SummaryLedger;
  clock: Clock;
}

export type RecordOutcome =
  | { outcome: 'recorded'; articleId: string; state: TerminalUpdate['state'] }
  | { outcome: 'stale'; articleId: string }
  | { outcome: 'foreign'; reason: string };

/** Model outputs above this are not summaries of one article; reading stops there. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;
const MAX_FAILURE_DETAIL_BYTES = 1000;

/**
 * Records the outcome of one inference on its article's ledger row. A failure is data (a FAILED or
 * EXPIRED row), not an exception; dependency errors throw so the trigger retries.
 */
export const recordOutcome = async (n: InferenceNotification, deps: RecordDeps): Promise<RecordOutcome> => {
  const ref = parseRequestLocation(n.inputLocation);
  if (!ref) return { outcome: 'foreign', reason: `input ${n.inputLocation} is not a research-summarizer request` };
  const { articleId } = ref;

  // Check before reading the output: duplicates and late notifications cost one read, nothing more.
  const row = await deps.ledger.get(articleId);
  if (!row || !awaitsOutcome(row, n.inferenceId)) return { outcome: 'stale', articleId };

  const update = n.status === 'Completed' ? await completion(n, deps.outputs) : await failure(n, deps.outputs, row.failureLocation);
  const completedAt = deps.clock.now().toISOString();
  const result = await deps.ledger.finish(articleId, n.inferenceId, {
    ...update,
    completedAt,
    totalMs: msBetween(row.uploadedAt, completedAt),
    endpointMs: msBetween(n.receivedTime, n.eventTime),
  });
  return result === 'recorded' ? { outcome: 'recorded', articleId, state: update.state } : { outcome: 'stale', articleId };
};

type Outcome = Omit<TerminalUpdate, 'completedAt' | 'totalMs'>;

const completion = async (n: InferenceNotification, outputs: OutputReader): Promise<Outcome> => {
  const location = n.outputLocation;
  const body = n.inlineResponse ?? (location ? await outputs.read(location, MAX_OUTPUT_BYTES) : undefined);
  const base = location ? { outputLocation: location } : {};
  if (body === undefined) {
    return { ...base, state: 'FAILED', failedStage: 'inference', reason: `the model output is missing (${location ?? 'no output location'})` };
  }
  const parsed = parseSummary(body);
  if ('problem' in parsed) return { ...base, state: 'FAILED', failedStage: 'inference', reason: parsed.problem };
  return { ...base, state: 'COMPLETED', summary: bounded(parsed.summary, MAX_SUMMARY_CHARS) };
};

const failure = async (n: InferenceNotification, outputs: OutputReader, storedFailureLocation: string | undefined): Promise<Outcome> => {
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
    // SageMaker drops requests that outlive RequestTTLSeconds in the queue (ExpiredRequests metric).
    state: /expired|\bttl\b|time.to.live/i.test(reason) ? 'EXPIRED' : 'FAILED',
    failedStage: 'inference',
    reason: bounded(full, MAX_REASON_CHARS),
    ...(failureLocation ? { failureLocation } : {}),
  };
};

/**
 * The Hugging Face summarization pipeline answers `[{"summary_text": "..."}]`, one entry per input
 * (sagemaker-huggingface-inference-toolkit handler_service.py). Several entries are joined by lines.
 */
export const parseSummary = (body: string): { summary: string } | { problem: string } => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { problem: `the model output is not JSON: ${bounded(body.trim(), 200)}` };
  }
  const entries = Array.isArray(json) ? json : [json];
  const texts = entries.map((entry) =>
    entry && typeof entry === 'object' && typeof (entry as { summary_text?: unknown }).summary_text === 'string'
      ? ((entry as { summary_text: string }).summary_text.trim())
      : undefined,
  );
  if (texts.length === 0 || texts.some((t) => t === undefined)) {
    return { problem: `the model output is not [{"summary_text": ...}]: ${bounded(body.trim(), 200)}` };
  }
  const summary = texts.join('\n').trim();
  return summary ? { summary } : { problem: 'the model returned an empty summary' };
};
