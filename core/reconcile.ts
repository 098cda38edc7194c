import { randomUUID } from 'node:crypto';
import {
  bounded,
  CLAIM_LEASE_MS,
  endpointMsUntil,
  finishAttempt,
  MAX_REASON_CHARS,
  MAX_SUMMARY_CHARS,
  type AttemptOutcome,
  type LedgerRow,
  type TerminalUpdate,
} from './ledger';
import type { ArticleEvents, Clock, OutputReader, SummaryLedger } from './ports';
import { MAX_OUTPUT_BYTES, parseSummary } from './record-result';
import { carryOnFinishedLevel, reconcileSteps, type FinishedLevel, type StepsRepair } from './long-article/reconcile-steps';
import type { StepDeps } from './long-article/record-step';
import { describeError } from './errors';
import { articleSpend, type CostSettings } from './cost';
import { publishPendingEvents } from './article-events';

/**
 * Repairs rows whose outcome never arrived: SNS delivers at least once but can fail, and a stopped
 * function can leave a claim behind. SageMaker offers no status API, so the only evidence is in S3:
 * the output object, the failure object, or neither (boto/boto3#3348).
 */
export interface ReconcileSettings {
  requestTtlSeconds: number;
  invocationTimeoutSeconds: number;
  /** Extra wait past TTL + timeout before a row counts as stuck. */
  graceSeconds: number;
  /**
   * record-result's timeout (serverless.yml functions.recordResult.timeout; RECORD_RESULT_TIMEOUT_SECONDS
   * when not given): a level finished more recently may still be moving on in the invocation that
   * recorded its last step, so reconcile leaves it alone until then.
   */
  recordTimeoutSeconds?: number;
}

/** record-result's timeout in serverless.yml (a test holds the two together). */
export const RECORD_RESULT_TIMEOUT_SECONDS = 30;

export interface ReconcileDeps {
  ledger: SummaryLedger & {
    listQueuedBefore(receivedBefore: string): Promise<LedgerRow[]>;
    /** QUEUED long articles whose current level has every step in (levelDone = levelSize), whatever their age. */
    listFinishedLevels(): Promise<FinishedLevel[]>;
  };
  outputs: OutputReader;
  clock: Clock;
  settings: ReconcileSettings;
  /** What carrying on a long article needs (its next reduce step); without it long articles are left alone. */
  steps?: Omit<StepDeps, 'outputs' | 'clock' | 'ledger' | 'cost' | 'events'>;
  /** Prices each row it finishes as record-result would (core/cost.ts); without it, rows get no costUsd. */
  cost?: CostSettings;
  /** Users are told of each row it finishes, and of any finished row whose writer stopped before telling them. */
  events: ArticleEvents;
}

/** `notified`: a finished row's event that its writer never published, published now (core/article-events.ts). */
export type Repair =
  | { articleId: string; key: string; state: TerminalUpdate['state'] | StepsRepair | 'notified' }
  | { articleId: string; key: string; state: 'error'; error: string };

/** The oldest receivedAt a QUEUED row may have before it is looked at. */
export const stuckBefore = (now: Date, s: ReconcileSettings): string =>
  new Date(now.getTime() - (s.requestTtlSeconds + s.invocationTimeoutSeconds + s.graceSeconds) * 1000).toISOString();

/** The latest time a level may have finished for reconcile to carry it on: record-result's timeout ago. */
export const levelsFinishedBefore = (now: Date, s: ReconcileSettings): string =>
  new Date(now.getTime() - (s.recordTimeoutSeconds ?? RECORD_RESULT_TIMEOUT_SECONDS) * 1000).toISOString();

export const reconcile = async (deps: ReconcileDeps): Promise<Repair[]> => {
  const now = deps.clock.now();
  const repairs: Repair[] = [];
  // Events whose writer stopped between its ledger write and its publish: published now, with their id.
  for (const event of await publishPendingEvents(deps)) {
    repairs.push({ articleId: event.articleId, key: event.key, state: event.state === 'notified' ? 'notified' : 'skipped' });
  }
  const rows = await deps.ledger.listQueuedBefore(stuckBefore(now, deps.settings));
  const invocationId = `reconcile-${randomUUID()}`;
  // One row whose read or write fails (an S3 403, a throttled update) must not stop the others:
  // rows come back oldest first, so a throw would end every later run on the same row.
  const repairEach = async <T extends { articleId: string }>(items: T[], repair: (item: T) => Promise<Repair>) => {
    for (const item of items) {
      try {
        repairs.push(await repair(item));
      } catch (error) {
        // A finished level is read by its articleId alone (listFinishedLevels): the key is known once its row is.
        const key = 'key' in item && typeof item.key === 'string' ? item.key : item.articleId;
        repairs.push({ articleId: item.articleId, key, state: 'error', error: describeError(error) });
      }
    }
  };
  await repairEach(rows, (row) => repairRow(row, deps, now, invocationId));
  // A level with every step in that never moved on (the invocation that recorded its last step stopped
  // for good) carries on now, without waiting for the deadline above, once that invocation has timed
  // out (so the two do not race). Rows past the deadline were looked at already.
  const stepDeps = stepDepsOf(deps, invocationId);
  if (stepDeps) {
    const looked = new Set(rows.map((row) => row.articleId));
    const finished = (await deps.ledger.listFinishedLevels()).filter((level) => !looked.has(level.articleId));
    const finishedBefore = levelsFinishedBefore(now, deps.settings);
    await repairEach(finished, async (level) => ({
      articleId: level.articleId,
      ...(await carryOnFinishedLevel(level, stepDeps, invocationId, finishedBefore)),
    }));
  }
  return repairs;
};

/** What the long-article steps need, with this run as the writer of whatever it finishes. */
const stepDepsOf = (deps: ReconcileDeps, writer: string): StepDeps | undefined =>
  deps.steps && {
    ...deps.steps,
    outputs: deps.outputs,
    clock: deps.clock,
    ledger: deps.ledger,
    cost: deps.cost,
    events: deps.events,
    writer,
  };

const repairRow = async (row: LedgerRow, deps: ReconcileDeps, now: Date, invocationId: string): Promise<Repair> => {
  if (row.parts !== undefined) {
    const stepDeps = stepDepsOf(deps, invocationId);
    const state = stepDeps ? await reconcileSteps(row, stepDeps, stuckBefore(now, deps.settings), invocationId) : 'skipped';
    return { articleId: row.articleId, key: row.key, state };
  }
  const update = await repairOf(row, deps, now);
  if (!update) return { articleId: row.articleId, key: row.key, state: 'skipped' };
  const state = update.outcome.state;
  // Conditional on the row still waiting for this inference: a late notification wins the race.
  // Accepted by the endpoint: priced by the time until its output or failure was written, if found.
  const spend = row.submittedAt ? articleSpend(row, update.outcome.endpointMs ?? 0) : undefined;
  const result = await finishAttempt({ ...deps, writer: invocationId }, row, update.outcome, spend, { dataOutBytes: update.bytes });
  return { articleId: row.articleId, key: row.key, state: result === 'recorded' ? state : 'skipped' };
};

const RECONCILED = '(found by reconcile: the notification never arrived)';

/** The outcome found, and the bytes of the output or failure it was read from (SageMaker data processed out). */
const repairOf = async (
  row: LedgerRow,
  deps: ReconcileDeps,
  now: Date,
): Promise<{ outcome: AttemptOutcome; bytes: number } | undefined> => {
  if (!row.submittedAt) {
    // Claimed but never accepted by the endpoint: the submitting function stopped for good.
    if (row.claimedAt && now.getTime() - Date.parse(row.claimedAt) < CLAIM_LEASE_MS) return undefined;
    return {
      outcome: {
        state: 'FAILED',
        failedStage: 'submit',
        reason: 'the submission never completed: the function stopped before the endpoint accepted the request; upload the article again',
      },
      bytes: 0,
    };
  }
  const output = row.outputLocation ? await deps.outputs.readObject(row.outputLocation, MAX_OUTPUT_BYTES) : undefined;
  if (output !== undefined) {
    const parsed = parseSummary(output.body);
    const spent = endpointMsUntil(row.submittedAt, output.writtenAt);
    const outcome: AttemptOutcome =
      'summary' in parsed
        ? { state: 'COMPLETED', summary: bounded(parsed.summary, MAX_SUMMARY_CHARS), ...spent }
        : { state: 'FAILED', failedStage: 'inference', reason: bounded(`${parsed.problem} ${RECONCILED}`, MAX_REASON_CHARS), ...spent };
    return { outcome, bytes: Buffer.byteLength(output.body) };
  }
  const failure = row.failureLocation ? await deps.outputs.readObject(row.failureLocation, 1000) : undefined;
  if (failure !== undefined) {
    return {
      outcome: {
        state: 'FAILED',
        failedStage: 'inference',
        reason: bounded(`the model failed ${RECONCILED}. Model said: ${failure.body.trim()}`, MAX_REASON_CHARS),
        ...endpointMsUntil(row.submittedAt, failure.writtenAt),
      },
      bytes: Buffer.byteLength(failure.body),
    };
  }
  return {
    outcome: { state: 'EXPIRED', reason: `no output or failure after RequestTTLSeconds + InvocationTimeoutSeconds ${RECONCILED}` },
    bytes: 0,
  };
};
