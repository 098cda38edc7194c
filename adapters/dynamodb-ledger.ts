import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StepId } from '../core/ids';
import type { ArticleState, LedgerRow, LevelPlan, PartsPlan, StepRecord, SubmittedUpdate, TerminalUpdate } from '../core/ledger';
import type { ClaimResult, FinishResult, SummaryLedger } from '../core/ports';
import type { ReopenedRow, RetryLedger } from '../core/retry';
import { indexNotReady } from './index-readiness';
import { LedgerRowsByKey } from './ledger-rows';

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
] as const;

/**
 * The ledger on DynamoDB. The conditions below are the rules of core/ports.ts SummaryLedger, enforced
 * by conditional writes so concurrent or repeated deliveries cannot corrupt a row.
 */
export class DynamoDbSummaryLedger implements SummaryLedger, RetryLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(articleId: string): Promise<LedgerRow | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { articleId }, ConsistentRead: true }));
    return Item as LedgerRow | undefined;
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
    const ids: string[] = [];
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
    try {
      for await (const page of pages) ids.push(...(page.Items ?? []).map((item) => item.articleId as string));
    } catch (error) {
      throw await indexNotReady(error, this.db, this.table, 'byState');
    }
    const rows = await new LedgerRowsByKey(this.db, this.table).get<LedgerRow>(ids, { consistent: true });
    const byId = new Map(rows.map((row) => [row.articleId, row]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row?.state === state ? [row] : [];
    });
  }

  async reopen(articleId: string, from: Pick<LedgerRow, 'inferenceId' | 'state'>, next: ReopenedRow): Promise<'reopened' | 'stale'> {
    const set = setExpression({ ...next, state: 'QUEUED' });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { articleId },
          UpdateExpression: `${set.UpdateExpression} REMOVE ${CLEARED_ON_REOPEN.map((n) => `#${n}`).join(', ')}`,
          ConditionExpression: 'inferenceId = :from AND #state = :fromState',
          ExpressionAttributeNames: { ...set.ExpressionAttributeNames, ...Object.fromEntries(CLEARED_ON_REOPEN.map((n) => [`#${n}`, n])) },
          ExpressionAttributeValues: { ...set.ExpressionAttributeValues, ':from': from.inferenceId, ':fromState': from.state },
        }),
      );
      return 'reopened';
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  }

  async claim(row: LedgerRow, staleBefore: string): Promise<ClaimResult> {
    // Claimable: no row yet; or this revision, not yet submitted, unclaimed or claimed by this
    // delivery or by one whose lease ran out; or an older revision of the article.
    const conditions = [
      'attribute_not_exists(articleId)',
      // A long article's row keeps its steps (the parts sent so far): reclaimSteps below, not a put.
      ...andEach(
        'inferenceId = :id AND attribute_not_exists(submittedAt) AND attribute_not_exists(#steps) AND #state IN (:queued, :failed, :rejected)',
        ['attribute_not_exists(claimedBy)', 'claimedBy = :me', 'claimedAt < :stale'],
      ),
      ...andEach('inferenceId <> :id', ['attribute_not_exists(sequencer)', ...(row.sequencer ? ['sequencer < :seq'] : [])]),
    ];
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: row,
          ConditionExpression: anyOf(conditions),
          ExpressionAttributeNames: { '#state': 'state', '#steps': 'steps' },
          ExpressionAttributeValues: {
            ':id': row.inferenceId,
            ':queued': 'QUEUED',
            ':failed': 'FAILED',
            ':rejected': 'REJECTED',
            ':me': row.claimedBy ?? '',
            ':stale': staleBefore,
            ...(row.sequencer ? { ':seq': row.sequencer } : {}),
          },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (isConditionFailure(error)) return this.reclaimSteps(row, staleBefore);
      throw error;
    }
  }

  /** The claim of a long article's row whose submission stopped part-way: only the claim changes. */
  private async reclaimSteps(row: LedgerRow, staleBefore: string): Promise<ClaimResult> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { articleId: row.articleId },
          UpdateExpression: 'SET #state = :queued, claimedBy = :me, claimedAt = :now REMOVE #reason, #failedStage, #completedAt, #totalMs',
          ConditionExpression: anyOf(
            andEach(
              'inferenceId = :id AND attribute_not_exists(submittedAt) AND attribute_exists(#steps) AND #state IN (:queued, :failed)',
              ['attribute_not_exists(claimedBy)', 'claimedBy = :me', 'claimedAt < :stale'],
            ),
          ),
          ExpressionAttributeNames: {
            '#state': 'state',
            '#steps': 'steps',
            '#reason': 'reason',
            '#failedStage': 'failedStage',
            '#completedAt': 'completedAt',
            '#totalMs': 'totalMs',
          },
          ExpressionAttributeValues: {
            ':id': row.inferenceId,
            ':queued': 'QUEUED',
            ':failed': 'FAILED',
            ':me': row.claimedBy ?? '',
            ':now': row.claimedAt ?? '',
            ':stale': staleBefore,
          },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (isConditionFailure(error)) return 'taken';
      throw error;
    }
  }

  async planParts(articleId: string, inferenceId: string, plan: PartsPlan): Promise<void> {
    const set = setExpression({ ...plan, partsDone: 0, level: 0, levelDone: 0, steps: {} });
    await this.ignoringCondition(
      new UpdateCommand({
        TableName: this.table,
        Key: { articleId },
        UpdateExpression: set.UpdateExpression,
        // Once: a retry of the submission splits the same revision the same way and keeps the first plan.
        ConditionExpression: 'inferenceId = :inferenceId AND attribute_not_exists(#parts)',
        ExpressionAttributeNames: set.ExpressionAttributeNames,
        ExpressionAttributeValues: { ...set.ExpressionAttributeValues, ':inferenceId': inferenceId },
      }),
    );
  }

  async markStepSent(articleId: string, inferenceId: string, step: StepId, record: StepRecord, counted: boolean): Promise<void> {
    const count = counted ? ' ADD requestCount :one' : '';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { articleId },
          UpdateExpression: `SET #steps.#step = :record${count}`,
          // Not over an outcome of this request (a fast endpoint can answer before this write).
          ConditionExpression: anyOf(
            andEach('inferenceId = :inferenceId', [
              'attribute_not_exists(#steps.#step)',
              '#steps.#step.#s <> :done AND #steps.#step.#id <> :stepId',
            ]),
          ),
          ExpressionAttributeNames: { '#steps': 'steps', '#step': step, '#s': 's', '#id': 'id' },
          ExpressionAttributeValues: {
            ':record': record,
            ':inferenceId': inferenceId,
            ':done': 'done',
            ':stepId': record.id,
            ...(counted ? { ':one': 1 } : {}),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The outcome came first: the request was still sent, and still counts.
      if (counted) {
        await this.ignoringCondition(
          new UpdateCommand({
            TableName: this.table,
            Key: { articleId },
            UpdateExpression: 'ADD requestCount :one',
            ConditionExpression: 'inferenceId = :inferenceId',
            ExpressionAttributeValues: { ':one': 1, ':inferenceId': inferenceId },
          }),
        );
      }
    }
  }

  async recordStep(articleId: string, inferenceId: string, step: StepId, record: StepRecord): Promise<LedgerRow | 'stale'> {
    // Counters are top-level attributes: ADD works on them, not on a map entry's number.
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.ADD
    const counters = record.s !== 'done' ? '' : step.startsWith('p') ? ' ADD levelDone :one, partsDone :one' : ' ADD levelDone :one';
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { articleId },
          UpdateExpression: `SET #steps.#step = :record${counters}`,
          // The first outcome per step wins: no outcome yet, or only a failure of an earlier attempt.
          ConditionExpression: anyOf(
            andEach('inferenceId = :inferenceId', [
              'attribute_not_exists(#steps.#step)',
              '#steps.#step.#s = :sent',
              '#steps.#step.#s = :failed AND #steps.#step.#id <> :stepId',
            ]),
          ),
          ExpressionAttributeNames: { '#steps': 'steps', '#step': step, '#s': 's', '#id': 'id' },
          ExpressionAttributeValues: {
            ':record': record,
            ':inferenceId': inferenceId,
            ':sent': 'sent',
            ':failed': 'failed',
            ':stepId': record.id,
            ...(counters ? { ':one': 1 } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes as LedgerRow;
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  }

  async startLevel(articleId: string, inferenceId: string, from: number, plan: LevelPlan): Promise<'started' | 'stale'> {
    const set = setExpression({
      level: plan.level,
      levelSize: plan.size,
      levelDone: 0,
      levelStartedAt: plan.startedAt,
      levelClaimedBy: plan.claimedBy,
      partSummariesLocation: plan.partSummariesLocation,
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { articleId },
          UpdateExpression: `${set.UpdateExpression} ADD requestCount :size`,
          ConditionExpression: 'inferenceId = :inferenceId AND #state = :queued AND #level = :from AND levelDone = levelSize',
          ExpressionAttributeNames: { ...set.ExpressionAttributeNames, '#state': 'state' },
          ExpressionAttributeValues: {
            ...set.ExpressionAttributeValues,
            ':inferenceId': inferenceId,
            ':queued': 'QUEUED',
            ':from': from,
            ':size': plan.size,
          },
        }),
      );
      return 'started';
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  }

  private async ignoringCondition(command: UpdateCommand): Promise<void> {
    try {
      await this.db.send(command);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async markSubmitted(articleId: string, inferenceId: string, update: SubmittedUpdate): Promise<void> {
    const set = setExpression(update);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { articleId },
          UpdateExpression: set.UpdateExpression,
          ConditionExpression: 'inferenceId = :inferenceId',
          ExpressionAttributeNames: set.ExpressionAttributeNames,
          ExpressionAttributeValues: { ...set.ExpressionAttributeValues, ':inferenceId': inferenceId },
        }),
      );
    } catch (error) {
      // A newer revision of the article owns the row now; its own submission will fill these in.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async finish(articleId: string, inferenceId: string, update: TerminalUpdate): Promise<FinishResult> {
    const set = setExpression(update);
    const cleared = CLEARED_ON_FINISH.filter((name) => update[name] === undefined);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { articleId },
          UpdateExpression: `${set.UpdateExpression}${cleared.length ? ` REMOVE ${cleared.map((n) => `#${n}`).join(', ')}` : ''}`,
          // Awaiting an outcome: QUEUED, or FAILED at submission (core/ledger.ts awaitsOutcome).
          ConditionExpression: anyOf(
            andEach('inferenceId = :inferenceId', ['#state = :queued', '#state = :failed AND #failedStage = :submit']),
          ),
          ExpressionAttributeNames: {
            ...set.ExpressionAttributeNames,
            ...Object.fromEntries(cleared.map((n) => [`#${n}`, n])),
            '#state': 'state',
            '#failedStage': 'failedStage',
          },
          ExpressionAttributeValues: {
            ...set.ExpressionAttributeValues,
            ':inferenceId': inferenceId,
            ':queued': 'QUEUED',
            ':failed': 'FAILED',
            ':submit': 'submit',
          },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  }
}

/**
 * Conditions are written as an OR of AND-terms with no parentheses: AND binds tighter than OR in
 * DynamoDB's condition grammar, and dynalite's parser backtracks on every parenthesis (the claim
 * took 1.85 ms to parse with three levels of them, 0.2 ms flat; measured on dynalite 4.0).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Precedence
 */
const anyOf = (terms: string[]): string => terms.join(' OR ');

/** `common AND (a OR b ...)` as one AND-term per alternative, for anyOf. */
const andEach = (common: string, alternatives: string[]): string[] => alternatives.map((a) => `${common} AND ${a}`);

/** `SET #a = :a, ...` for every defined field; names are always aliased (`state` is a reserved word). */
const setExpression = (fields: object) => {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  return {
    UpdateExpression: `SET ${entries.map(([name]) => `#${name} = :${name}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([name]) => [`#${name}`, name])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([name, value]) => [`:${name}`, value])),
  };
};
