import type { StepId } from '../ids';
import { endpointMsUntil, finishAttempt, type LedgerRow } from '../ledger';
import { describeStep, stepsOfLevel } from './steps';
import { MAX_OUTPUT_BYTES, parseSummary } from '../model-output';
import { carryOn, recordStepOutcome, type StepDeps, type StepOutcome } from './record-step';
import { articleSpend } from '../cost';

/**
 * reconcile for a long article (core/long-article/steps.ts): the steps of its current level whose
 * notification never arrived are recorded from the output or failure object SageMaker wrote, as
 * record-result would have (the first outcome per step wins, so no step is recorded twice), and the
 * article carries on. A level still missing steps past the deadline ends EXPIRED, naming the step.
 */
export type StepsRepair = 'COMPLETED' | 'FAILED' | 'EXPIRED' | 'resumed' | 'skipped';

const RECONCILED = '(found by reconcile: the notification never arrived)';

export const reconcileSteps = async (row: LedgerRow, deps: StepDeps, stuckBefore: string, invocationId: string): Promise<StepsRepair> => {
  // Each level has its own deadline: a tree of levels may rightly take longer than one request.
  if (!row.submittedAt || (row.levelStartedAt ?? row.receivedAt) >= stuckBefore) return 'skipped';
  const ids = { articleId: row.articleId, inferenceId: row.inferenceId };
  let found = 0;
  for (const step of stepsOfLevel(row.level ?? 0, row.levelSize ?? 0)) {
    const record = row.steps?.[step];
    if (record?.s !== 'sent' || !record.id.startsWith(`${row.inferenceId}-`)) continue;
    const outcome = await outcomeInS3(record, row.levelStartedAt ?? row.submittedAt, deps);
    if (!outcome) continue;
    found += 1;
    await recordStepOutcome(ids, step, record.id, outcome, deps, invocationId);
  }
  const current = await deps.ledger.get(row.articleId);
  if (!current || current.inferenceId !== row.inferenceId) return 'skipped';
  // A level complete but never moved on (the recording function stopped for good) moves on now.
  if (current.state === 'QUEUED') await carryOn(current, row.inferenceId, deps, invocationId);
  const after = (await deps.ledger.get(row.articleId)) ?? current;
  if (after.state !== 'QUEUED') return after.state === 'REJECTED' ? 'skipped' : after.state;
  if (after.level !== row.level) return 'resumed';

  const missing = stepsOfLevel(after.level ?? 0, after.levelSize ?? 0).filter((step) => after.steps?.[step]?.s !== 'done');
  if (missing.length === 0) return found > 0 ? 'resumed' : 'skipped';
  const step = missing[0] as StepId;
  const more = missing.length > 1 ? ` (and ${missing.length - 1} more step(s))` : '';
  const sent = after.steps?.[step]?.id.startsWith(`${row.inferenceId}-`);
  const why = sent
    ? `no output or failure after RequestTTLSeconds + InvocationTimeoutSeconds ${RECONCILED}`
    : 'never sent to the endpoint: the sending function stopped for good (found by reconcile)';
  const result = await finishAttempt(
    deps,
    row,
    { state: 'EXPIRED', reason: `${describeStep(step, after)}${more}: ${why}` },
    articleSpend(after),
  );
  return result === 'recorded' ? 'EXPIRED' : 'skipped';
};

/** What reconcile's query of finished levels reads: the row's key and its level's counters (byState). */
export type FinishedLevel = Pick<LedgerRow, 'articleId' | 'level' | 'levelSize' | 'levelDone'>;

/**
 * A QUEUED long article whose current level has every step in, finished before `finishedBefore`
 * (record-result's timeout ago): the invocation that recorded the level's last step stopped without moving
 * it on, so it moves on now, as that invocation would have. A level finished later is left to that
 * invocation (the level change is conditional, so only one of two would move it, but both would read
 * the level's summaries, and both would try to finish a final level). Read again first: the index may
 * be behind the table. A row from before lastStepAt was kept counts from its level's start.
 */
export const carryOnFinishedLevel = async (
  level: FinishedLevel,
  deps: StepDeps,
  invocationId: string,
  finishedBefore: string,
): Promise<{ key: string; state: StepsRepair }> => {
  const row = await deps.ledger.get(level.articleId);
  if (!row || row.state !== 'QUEUED' || row.levelSize === undefined || row.levelDone !== row.levelSize) {
    return { key: row?.key ?? level.articleId, state: 'skipped' };
  }
  const finishedAt = row.lastStepAt ?? row.levelStartedAt ?? row.receivedAt;
  if (finishedAt >= finishedBefore) return { key: row.key, state: 'skipped' };
  await carryOn(row, row.inferenceId, deps, invocationId);
  const after = (await deps.ledger.get(row.articleId)) ?? row;
  const state = after.state !== 'QUEUED' ? after.state : after.level !== row.level ? 'resumed' : 'skipped';
  return { key: row.key, state: state === 'REJECTED' ? 'skipped' : state };
};

/** `sentAt`: when the level's steps were sent; a step's time in the endpoint runs from there to its object. */
const outcomeInS3 = async (record: { o?: string; f?: string }, sentAt: string, deps: StepDeps): Promise<StepOutcome | undefined> => {
  const output = record.o ? await deps.outputs.readObject(record.o, MAX_OUTPUT_BYTES) : undefined;
  if (output !== undefined && record.o) {
    const parsed = parseSummary(output.body);
    const spent = { ...endpointMsUntil(sentAt, output.writtenAt), outputBytes: Buffer.byteLength(output.body) };
    return 'summary' in parsed
      ? { summary: parsed.summary, outputLocation: record.o, ...spent }
      : { failed: `${parsed.problem} ${RECONCILED}`, expired: false, outputLocation: record.o, ...spent };
  }
  const failure = record.f ? await deps.outputs.readObject(record.f, 1000) : undefined;
  if (failure === undefined) return undefined;
  return {
    failed: `the model failed ${RECONCILED}. Model said: ${failure.body.trim()}`,
    expired: false,
    ...(record.f ? { failureLocation: record.f } : {}),
    ...endpointMsUntil(sentAt, failure.writtenAt),
    outputBytes: Buffer.byteLength(failure.body),
  };
};
