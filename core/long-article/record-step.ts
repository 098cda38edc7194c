import { partSummariesKeyFor, s3Url, type StepId } from '../ids';
import { articleSpend, type CostSettings } from '../cost';
import { awaitsOutcome, finishAttempt, type LedgerRow, type StepRecord } from '../ledger';
import type { ArticleEvents } from '../ports';
import { usageOf } from '../usage';
import { describeStep, isFinalLevel, joinSummaries, stepsOfLevel, unsentSteps } from './steps';
import { MAX_OUTPUT_BYTES, parseSummary } from '../model-output';
import type { Clock, OutputReader } from '../ports';
import { sendSteps, STEP_SEND_CONCURRENCY, type StepSenderDeps } from './send-steps';
import { eachAtMost } from './at-most';

/**
 * The collect and reduce half of a long article (core/long-article/steps.ts): each step's outcome is
 * recorded once; the invocation whose record completes a level reads that level's summaries and
 * sends the next level (or completes the row when the level was the final reduce).
 */
export interface StepDeps extends StepSenderDeps {
  outputs: OutputReader;
  clock: Clock;
  settings: StepSenderDeps['settings'] & { summariesPrefix: string };
  /** Prices each finished article (record-result, reconcile). */
  cost?: CostSettings;
  /** Users are told when the article ends (core/article-events.ts). */
  events: ArticleEvents;
  /** The invocation recording or carrying on (core/ledger.ts FinishDeps.writer). */
  writer?: string;
}

/** A tree deeper than this means the planner does not shrink its input: fail rather than loop. */
export const MAX_REDUCE_LEVELS = 12;

export type StepOutcome = (
  { summary: string; outputLocation: string } | { failed: string; failureLocation?: string; outputLocation?: string; expired: boolean }
) & {
  /** The step's time in the endpoint, from its notification. */
  endpointMs?: number;
  /** The bytes of the output or failure the model returned (SageMaker data processed out). */
  outputBytes?: number;
};

export type StepResult = 'recorded' | 'stale';

/**
 * Records one step's outcome on the row of attempt `inferenceId`, then moves the article on.
 * `invocationId` is the recording invocation (Lambda's request id, kept across its retries).
 */
export const recordStepOutcome = async (
  ids: { articleId: string; inferenceId: string },
  step: StepId,
  stepInferenceId: string,
  outcome: StepOutcome,
  deps: StepDeps,
  invocationId: string,
): Promise<StepResult> => {
  const { articleId, inferenceId } = ids;
  const record: StepRecord =
    'summary' in outcome
      ? {
          s: 'done',
          id: stepInferenceId,
          o: outcome.outputLocation,
          ...(outcome.endpointMs !== undefined ? { ms: outcome.endpointMs } : {}),
        }
      : {
          s: 'failed',
          id: stepInferenceId,
          ...(outcome.outputLocation ? { o: outcome.outputLocation } : {}),
          ...(outcome.failureLocation ? { f: outcome.failureLocation } : {}),
          ...(outcome.endpointMs !== undefined ? { ms: outcome.endpointMs } : {}),
        };
  const row = await deps.ledger.recordStep(
    articleId,
    inferenceId,
    step,
    record,
    usageOf(deps.meter, { dataOutBytes: outcome.outputBytes }),
    deps.clock.now().toISOString(),
  );
  if (row === 'stale') {
    // A duplicate, or this invocation's retry after a crash: carry on whatever the crash interrupted.
    const current = await deps.ledger.get(articleId);
    if (current) await carryOn(current, inferenceId, deps, invocationId);
    return 'stale';
  }
  if ('failed' in outcome) {
    // Another step's failure ended the article already: that end was written, and told, once. Finishing
    // again would only be refused by the ledger, and publish the same event a second time.
    if (!awaitsOutcome(row, inferenceId)) return 'recorded';
    const failed = {
      state: outcome.expired ? ('EXPIRED' as const) : ('FAILED' as const),
      failedStage: 'inference' as const,
      reason: `${describeStep(step, row)}: ${outcome.failed}`,
      ...(outcome.failureLocation ? { failureLocation: outcome.failureLocation } : {}),
    };
    await finishAttempt(deps, row, failed, articleSpend(row));
    return 'recorded';
  }
  await carryOn(row, inferenceId, deps, invocationId);
  return 'recorded';
};

/**
 * Moves a QUEUED row on: a complete level goes to the next (at most one invocation wins the
 * conditional level change), and the owner of the current level sends any of its steps not sent yet.
 */
export const carryOn = async (row: LedgerRow, inferenceId: string, deps: StepDeps, invocationId: string): Promise<void> => {
  if (row.state !== 'QUEUED' || row.inferenceId !== inferenceId || row.levelSize === undefined) return;
  if (row.levelDone === row.levelSize) return completeLevel(row, deps, invocationId);
  if ((row.level ?? 0) > 0 && row.levelClaimedBy === invocationId && unsentSteps(row, inferenceId).length > 0) {
    await sendReduceLevel(row, deps);
  }
};

const completeLevel = async (row: LedgerRow, deps: StepDeps, invocationId: string): Promise<void> => {
  const level = row.level ?? 0;
  const summaries = await levelSummaries(row, level, deps.outputs);
  if (typeof summaries === 'string') return failRow(row, summaries, deps);
  const ids = { articleId: row.articleId, inferenceId: row.inferenceId };

  if (isFinalLevel(row)) {
    const outputLocation = row.steps?.[stepsOfLevel(level, 1)[0] as StepId]?.o;
    await finishAttempt(deps, row, { state: 'COMPLETED', summary: summaries[0] as string, outputLocation }, articleSpend(row));
    return;
  }
  if (level >= MAX_REDUCE_LEVELS) return failRow(row, `the reduce did not converge within ${MAX_REDUCE_LEVELS} levels`, deps);

  const partSummariesLocation = level === 0 ? await writePartSummaries(row, summaries, deps) : undefined;
  const groups = deps.policy.planReduce(summaries);
  const started = await deps.ledger.startLevel(row.articleId, row.inferenceId, level, {
    level: level + 1,
    size: groups.length,
    startedAt: deps.clock.now().toISOString(),
    claimedBy: invocationId,
    ...(partSummariesLocation ? { partSummariesLocation } : {}),
  });
  const current = await deps.ledger.get(row.articleId);
  // Another invocation started the level (and sends it), unless it was this one before a crash.
  if (started === 'stale' && (current?.level !== level + 1 || current.levelClaimedBy !== invocationId)) return;
  if (current) await sendGroups(current, groups, ids, deps);
};

/** Sends the current reduce level's unsent steps, planning its groups again from the level below. */
export const sendReduceLevel = async (row: LedgerRow, deps: StepDeps): Promise<void> => {
  const summaries = await levelSummaries(row, (row.level ?? 1) - 1, deps.outputs);
  if (typeof summaries === 'string') return failRow(row, summaries, deps);
  await sendGroups(row, deps.policy.planReduce(summaries), { articleId: row.articleId, inferenceId: row.inferenceId }, deps);
};

const sendGroups = async (
  row: LedgerRow,
  groups: string[][],
  ids: { articleId: string; inferenceId: string },
  deps: StepDeps,
): Promise<void> => {
  const kind = groups.length === 1 ? 'final' : 'reduce';
  // Rows split before `research` was kept were sized as research articles.
  const generation = deps.policy.generation(kind, { research: row.research ?? true, count: groups.length });
  const steps = unsentSteps(row, ids.inferenceId).flatMap((step) => {
    const group = groups[Number(step.split('-')[1]) - 1];
    return group ? [{ step, input: joinSummaries(group), resend: row.steps?.[step] !== undefined }] : [];
  });
  await sendSteps(deps, ids, steps, generation);
};

/**
 * Each step's summary of a finished level, in order, or why one cannot be read. Read STEP_SEND_CONCURRENCY
 * at a time: this runs in the invocation that recorded the level's last step, and it must move the level on
 * well within record-result's timeout (one by one, the 56 summaries of a 124-part article's first reduce
 * level are 56 round trips in a row).
 */
const levelSummaries = async (row: LedgerRow, level: number, outputs: OutputReader): Promise<string[] | string> => {
  const size = level === 0 ? (row.parts ?? 0) : Object.keys(row.steps ?? {}).filter((step) => step.startsWith(`r${level}-`)).length;
  const steps = stepsOfLevel(level, size);
  const summaries: string[] = [];
  const problems: string[] = [];
  await eachAtMost(steps, STEP_SEND_CONCURRENCY, async (step, i) => {
    if (problems.length > 0) return;
    const location = row.steps?.[step]?.o;
    const body = location ? await outputs.read(location, MAX_OUTPUT_BYTES) : undefined;
    const parsed = body === undefined ? undefined : parseSummary(body);
    if (parsed && 'summary' in parsed) summaries[i] = parsed.summary;
    else
      problems[i] =
        `${describeStep(step, row)}: its summary cannot be read (${parsed?.problem ?? `missing: ${location ?? 'no output location'}`})`;
  });
  // The first unreadable step in order names the failure, as reading them one by one did.
  return problems.find((problem) => problem !== undefined) ?? summaries;
};

const writePartSummaries = async (row: LedgerRow, summaries: string[], deps: StepDeps): Promise<string> => {
  const key = partSummariesKeyFor(deps.settings.summariesPrefix, row.articleId, row.inferenceId);
  const body = JSON.stringify(
    { article: s3Url(row.bucket, row.key), parts: summaries.map((summary, i) => ({ part: i + 1, summary })) },
    null,
    2,
  );
  return deps.articles.writeRequest(key, Buffer.from(body), 'application/json');
};

const failRow = async (row: LedgerRow, reason: string, deps: StepDeps): Promise<void> => {
  await finishAttempt(deps, row, { state: 'FAILED', failedStage: 'inference', reason });
};
