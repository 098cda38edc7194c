import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  paginateQuery,
  paginateScan,
  type DynamoDBDocumentClient,
  type PutCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { StepId } from '../core/ids';
import type { ArticleState, LedgerRow, LevelPlan, PartsPlan, StepRecord, SubmittedUpdate, TerminalUpdate } from '../core/ledger';
import type { ClaimResult, SummaryLedger, Usage } from '../core/ports';
import type { ReopenedRow, RetryLedger } from '../core/retry';
import { DynamoItems } from './dynamo-items';
import { indexNotReady } from './index-readiness';
import { LedgerRowsByKey } from './ledger-rows';
import type { FinishedLevel } from '../core/long-article/reconcile-steps';
import { levelOfStep } from '../core/long-article/steps';
import {
  aliasesFor,
  allOf,
  anyOf,
  assignments,
  atLevelFrom,
  claimableState,
  claimedByMe,
  claimExpired,
  eachWith,
  failedAtSubmit,
  hasLevels,
  inState,
  levelComplete,
  neverSubmitted,
  noSequencer,
  notPlanned,
  olderSequencer,
  otherAttempt,
  pendingBefore,
  queued,
  rowIsNew,
  sameAttempt,
  sameFinish,
  stepFailedInEarlierAttempt,
  stepOfCurrentLevel,
  stepOnlySent,
  stepUnansweredFromEarlierRequest,
  stepUnrecorded,
  unclaimed,
  updateExpression,
  usageAdds,
  withoutSteps,
  withSteps,
} from './ledger-conditions';

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException';

/** Attributes a terminal update clears when it does not set them, so a retried row carries no stale reason. */
const CLEARED_ON_FINISH = ['summary', 'reason', 'failedStage'] as const;

/** The old attempt's outcome and submission, cleared when a row is reopened for a retry. */
const CLEARED_ON_REOPEN = [
  'summary',
  'reason',
  'failedStage',
  'submittedAt',
  'completedAt',
  'requestLocation',
  'outputLocation',
  'failureLocation',
  'endpointMs',
  'totalMs',
  // npm run retry publishes a pending event before it reopens the row (core/article-events.ts).
  'eventPendingSince',
] as const;

/** Who may claim a submission: nobody holds it, this same delivery does (a retry), or the holder's lease ran out. */
const CLAIMS = [unclaimed, claimedByMe, claimExpired];

/** One update of a row: its clauses, its condition, and the values (and names) only it uses. */
interface RowUpdate {
  set?: string[];
  add?: string[];
  remove?: string[];
  when: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
  returnNew?: boolean;
}

/**
 * The ledger on DynamoDB. The conditions below are the rules of core/ports.ts SummaryLedger, enforced
 * by conditional writes so concurrent or repeated deliveries cannot corrupt a row; each is built from
 * the named pieces of adapters/ledger-conditions.ts and sent through `conditionally`.
 */
export class DynamoDbSummaryLedger implements SummaryLedger, RetryLedger {
  /** A row's reads and writes by key, the calls made per article (adapters/dynamo-items.ts). */
  private readonly items: DynamoItems;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.items = DynamoItems.for(db);
  }

  async get(articleId: string): Promise<LedgerRow | undefined> {
    return (await this.items.get({ TableName: this.table, Key: { articleId }, ConsistentRead: true })) as LedgerRow | undefined;
  }

  /** QUEUED rows received before a time, through the byState index (oldest first). */
  listQueuedBefore(receivedBefore: string): Promise<LedgerRow[]> {
    return this.listInState('QUEUED', { before: receivedBefore });
  }

  /**
   * Rows in one state, received since or before a time if given, oldest first: their keys through the
   * byState index, which projects only a few attributes (resources/ledger-table.yml), then each whole
   * row by key, read consistently. A row that left the state since the index saw it is left out.
   */
  async listInState(state: ArticleState, received?: { since: string } | { before: string }): Promise<LedgerRow[]> {
    const bound = received && ('since' in received ? { op: '>=', value: received.since } : { op: '<', value: received.before });
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        IndexName: 'byState',
        KeyConditionExpression: bound ? `#state = :state AND receivedAt ${bound.op} :time` : '#state = :state',
        ProjectionExpression: 'articleId',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':state': state, ...(bound ? { ':time': bound.value } : {}) },
      },
    );
    return this.wholeRows(pages, 'byState', (row) => row.state === state);
  }

  /**
   * QUEUED rows whose current level has every step in (a long article whose level never moved on), in
   * one Query of the byState index: DynamoDB reads every QUEUED item the index holds and the filter
   * drops the others after the read, so it costs the QUEUED rows' index size in read units
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.FilterExpression.html).
   * It needs the index to project `level`, `levelSize` and `levelDone` (and the keys).
   */
  async listFinishedLevels(): Promise<FinishedLevel[]> {
    const levels: FinishedLevel[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        IndexName: 'byState',
        KeyConditionExpression: '#state = :queued',
        FilterExpression: allOf(hasLevels, levelComplete),
        ProjectionExpression: 'articleId, #level, levelSize, levelDone',
        ...aliasesFor(['#state = :queued', '#level']),
      },
    );
    for await (const page of pages) levels.push(...((page.Items ?? []) as FinishedLevel[]));
    return levels;
  }

  async reopen(articleId: string, from: Pick<LedgerRow, 'inferenceId' | 'state'>, next: ReopenedRow): Promise<'reopened' | 'stale'> {
    const set = assignments({ ...next, state: 'QUEUED' });
    const written = await this.update(articleId, {
      set: set.clauses,
      remove: CLEARED_ON_REOPEN.map((name) => `#${name}`),
      when: allOf(sameAttempt, inState),
      names: { ...set.names, ...Object.fromEntries(CLEARED_ON_REOPEN.map((name) => [`#${name}`, name])) },
      values: { ...set.values, ':inferenceId': from.inferenceId, ':fromState': from.state },
    });
    return written ? 'reopened' : 'stale';
  }

  async claim(row: LedgerRow, staleBefore: string): Promise<ClaimResult> {
    // Claimable: no row yet; or this revision, not yet submitted, unclaimed or claimed by this
    // delivery or by one whose lease ran out; or an older revision of the article. A long article's
    // row keeps its steps (the parts sent so far): reclaimSteps below, not a put.
    const when = anyOf(
      rowIsNew,
      eachWith(allOf(sameAttempt, neverSubmitted, withoutSteps, claimableState), CLAIMS),
      eachWith(otherAttempt, [noSequencer, ...(row.sequencer ? [olderSequencer] : [])]),
    );
    const values = {
      ':inferenceId': row.inferenceId,
      ':me': row.claimedBy ?? '',
      ':staleBefore': staleBefore,
      ':sequencer': row.sequencer,
    };
    const put: PutCommandInput = { TableName: this.table, Item: row, ConditionExpression: when, ...aliasesFor([when], { values }) };
    return (await this.conditionally({ put })) ? 'claimed' : this.reclaimSteps(row, staleBefore);
  }

  /**
   * The claim of a long article's row whose submission stopped part-way: only the claim changes. From
   * QUEUED, or FAILED at submission (a part the endpoint refused); never from FAILED in the endpoint (a
   * part's model failure is the article's outcome, and this attempt would not send that part again).
   */
  private async reclaimSteps(row: LedgerRow, staleBefore: string): Promise<ClaimResult> {
    const cleared = ['reason', 'failedStage', 'completedAt', 'totalMs'];
    const unsubmitted = allOf(sameAttempt, neverSubmitted, withSteps);
    const written = await this.update(row.articleId, {
      set: ['#state = :queued', 'claimedBy = :me', 'claimedAt = :now'],
      remove: cleared.map((name) => `#${name}`),
      when: anyOf(eachWith(allOf(unsubmitted, queued), CLAIMS), eachWith(allOf(unsubmitted, failedAtSubmit), CLAIMS)),
      names: Object.fromEntries(cleared.map((name) => [`#${name}`, name])),
      values: { ':inferenceId': row.inferenceId, ':me': row.claimedBy ?? '', ':now': row.claimedAt ?? '', ':staleBefore': staleBefore },
    });
    return written ? 'claimed' : 'taken';
  }

  async markSubmitted(articleId: string, inferenceId: string, update: SubmittedUpdate, usage: Usage = {}): Promise<void> {
    // Not written when a newer revision of the article owns the row: its own submission fills these in.
    const set = assignments(update);
    const adds = usageAdds(usage);
    await this.update(articleId, {
      set: set.clauses,
      add: adds.clauses,
      when: sameAttempt,
      names: set.names,
      values: { ...set.values, ...adds.values, ':inferenceId': inferenceId },
    });
  }

  async finish(articleId: string, inferenceId: string, update: TerminalUpdate, usage: Usage = {}): Promise<LedgerRow | 'stale'> {
    const set = assignments(update);
    const adds = usageAdds(usage);
    const cleared = CLEARED_ON_FINISH.filter((name) => update[name] === undefined);
    // The row as written (ReturnValues costs no read units): the article's event is made from it.
    const written = await this.update(articleId, {
      set: set.clauses,
      add: adds.clauses,
      remove: cleared.map((name) => `#${name}`),
      // The first outcome wins: only a row still awaiting this attempt's outcome (core/ledger.ts awaitsOutcome).
      when: eachWith(sameAttempt, [queued, failedAtSubmit]),
      names: { ...set.names, ...Object.fromEntries(cleared.map((name) => [`#${name}`, name])) },
      values: { ...set.values, ...adds.values, ':inferenceId': inferenceId },
      returnNew: true,
    });
    return written ? (written as unknown as LedgerRow) : 'stale';
  }

  async settleEvent(articleId: string, finishId: string): Promise<void> {
    // Removing the attribute takes the row out of the sparse byPendingEvent index.
    await this.update(articleId, {
      remove: ['#eventPendingSince'],
      when: sameFinish,
      names: { '#eventPendingSince': 'eventPendingSince' },
      values: { ':finishId': finishId },
    });
  }

  /**
   * The sparse byPendingEvent index holds only rows whose event is still to be told (resources/ledger-table.yml),
   * so a Scan of it reads those and nothing else
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general-sparse-indexes.html);
   * each row is then read whole, consistently, and kept if it is still pending since before `before`.
   */
  async listPendingEvents(before: string): Promise<LedgerRow[]> {
    const pages = paginateScan(
      { client: this.db },
      {
        TableName: this.table,
        IndexName: 'byPendingEvent',
        FilterExpression: pendingBefore,
        ProjectionExpression: 'articleId',
        ExpressionAttributeValues: { ':before': before },
      },
    );
    return this.wholeRows(pages, 'byPendingEvent', (row) => row.eventPendingSince !== undefined && row.eventPendingSince < before);
  }

  /**
   * The rows whose keys an index's pages name, in their order, each read whole and consistently, kept if
   * `still` holds (the index may lag the table). An index being built or missing throws in words an
   * operator can act on (index-readiness.ts).
   */
  private async wholeRows(
    pages: AsyncIterable<{ Items?: Record<string, unknown>[] }>,
    index: string,
    still: (row: LedgerRow) => boolean,
  ): Promise<LedgerRow[]> {
    const ids: string[] = [];
    try {
      for await (const page of pages) ids.push(...(page.Items ?? []).map((item) => item.articleId as string));
    } catch (error) {
      throw await indexNotReady(error, this.db, this.table, index);
    }
    const rows = await new LedgerRowsByKey(this.db, this.table).get<LedgerRow>(ids, { consistent: true });
    const byId = new Map(rows.map((row) => [row.articleId, row]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row && still(row) ? [row] : [];
    });
  }

  async planParts(articleId: string, inferenceId: string, plan: PartsPlan): Promise<void> {
    // Once: a retry of the submission splits the same revision the same way and keeps the first plan.
    const set = assignments({ ...plan, partsDone: 0, level: 0, levelDone: 0, steps: {} });
    await this.update(articleId, {
      set: set.clauses,
      when: allOf(sameAttempt, notPlanned),
      names: set.names,
      values: { ...set.values, ':inferenceId': inferenceId },
    });
  }

  async markStepSent(
    articleId: string,
    inferenceId: string,
    step: StepId,
    record: StepRecord,
    counted: boolean,
    usage: Usage = {},
  ): Promise<void> {
    const adds = usageAdds(usage);
    const own = {
      names: { '#step': step },
      values: { ':inferenceId': inferenceId, ':record': record, ':stepId': record.id, ...adds.values },
    };
    const count = [...(counted ? ['requestCount :one'] : []), ...adds.clauses];
    // Not over an outcome of this request (a fast endpoint can answer before this write).
    const marked = await this.update(articleId, {
      set: ['#steps.#step = :record'],
      add: count,
      when: eachWith(sameAttempt, [stepUnrecorded, stepUnansweredFromEarlierRequest]),
      ...own,
    });
    // The outcome came first: the request was still sent, and still counts (and so do its bytes).
    if (!marked && count.length > 0) await this.update(articleId, { add: count, when: sameAttempt, values: own.values });
  }

  async recordStep(
    articleId: string,
    inferenceId: string,
    step: StepId,
    record: StepRecord,
    usage: Usage = {},
    at?: string,
  ): Promise<LedgerRow | 'stale'> {
    // Counters are top-level attributes: ADD works on them, not on a map entry's number.
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.ADD
    const counters = record.s !== 'done' ? [] : step.startsWith('p') ? ['levelDone :one', 'partsDone :one'] : ['levelDone :one'];
    const adds = usageAdds(usage);
    const written = await this.update(articleId, {
      set: ['#steps.#step = :record', ...(at ? ['lastStepAt = :at'] : [])],
      add: [...counters, ...adds.clauses],
      // The first outcome per step wins: no outcome yet, or only a failure of an earlier attempt. Only at
      // the step's own level, so levelDone counts exactly the done steps of the row's current level.
      when: eachWith(allOf(sameAttempt, stepOfCurrentLevel), [stepUnrecorded, stepOnlySent, stepFailedInEarlierAttempt]),
      names: { '#step': step },
      values: {
        ':inferenceId': inferenceId,
        ':record': record,
        ':stepId': record.id,
        ':stepLevel': levelOfStep(step),
        ...(at ? { ':at': at } : {}),
        ...adds.values,
      },
      returnNew: true,
    });
    return written ? (written as unknown as LedgerRow) : 'stale';
  }

  async startLevel(articleId: string, inferenceId: string, from: number, plan: LevelPlan): Promise<'started' | 'stale'> {
    const set = assignments({
      level: plan.level,
      levelSize: plan.size,
      levelDone: 0,
      levelStartedAt: plan.startedAt,
      levelClaimedBy: plan.claimedBy,
      partSummariesLocation: plan.partSummariesLocation,
    });
    const written = await this.update(articleId, {
      set: set.clauses,
      add: ['requestCount :size'],
      // Exactly once per level: only from the level named, and only once all its steps are in.
      when: allOf(sameAttempt, queued, atLevelFrom, levelComplete),
      names: set.names,
      values: { ...set.values, ':inferenceId': inferenceId, ':from': from, ':size': plan.size },
    });
    return written ? 'started' : 'stale';
  }

  /** One conditional update of a row; the row after it when `returnNew`, `{}` when made, `undefined` when its condition did not hold. */
  private update(articleId: string, u: RowUpdate): Promise<Record<string, unknown> | undefined> {
    const UpdateExpression = updateExpression(u);
    return this.conditionally({
      update: {
        TableName: this.table,
        Key: { articleId },
        UpdateExpression,
        ConditionExpression: u.when,
        ...aliasesFor([UpdateExpression, u.when], u),
        ...(u.returnNew ? { ReturnValues: 'ALL_NEW' as const } : {}),
      },
    });
  }

  /**
   * The one place a condition failure becomes a result: `undefined` when the write's condition did not
   * hold (another delivery, attempt or revision got there first), else what it returned. Every other
   * error throws, so the function's invocation is retried.
   */
  private async conditionally(
    write: { put: PutCommandInput } | { update: UpdateCommandInput },
  ): Promise<Record<string, unknown> | undefined> {
    try {
      return 'put' in write ? await this.items.put(write.put) : await this.items.update(write.update);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}
