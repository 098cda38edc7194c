import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import type { LedgerRow, StepRecord } from '../../core/ledger';
import { startEmulators, type Emulators } from '../support/emulators';

/**
 * Every conditional rule of the DynamoDB ledger (core/ports.ts SummaryLedger), one case each, against
 * dynalite: what a concurrent, repeated or late write may and may not change.
 */
describe('DynamoDbSummaryLedger: one case per conditional rule (dynalite)', () => {
  let emu: Emulators;
  let ledger: DynamoDbSummaryLedger;
  beforeAll(async () => {
    emu = await startEmulators();
    ledger = new DynamoDbSummaryLedger(emu.dynamo, emu.table);
  });
  afterAll(async () => emu.stop());

  const NOW = '2026-11-26T10:00:00.000Z';
  const STALE_BEFORE = '2026-11-26T09:45:00.000Z';
  const ATTEMPT = 'a'.repeat(32);
  const OTHER = 'b'.repeat(32);

  /** A fresh QUEUED row of attempt ATTEMPT, claimed by `delivery-1` at NOW. */
  const queuedRow = (fields: Partial<LedgerRow> = {}): LedgerRow => ({
    articleId: randomUUID().replace(/-/g, ''),
    bucket: 'articles',
    key: `input/${randomUUID()}.txt`,
    etag: 'etag-1',
    sequencer: '0000000000000000000000000000000A',
    bytes: 100,
    state: 'QUEUED',
    inferenceId: ATTEMPT,
    requestCount: 1,
    modelId: 'google/pegasus-cnn_dailymail',
    claimedBy: 'delivery-1',
    claimedAt: NOW,
    uploadedAt: NOW,
    receivedAt: NOW,
    day: '2026-11-26',
    ...fields,
  });
  const stored = async (row: LedgerRow): Promise<LedgerRow> => {
    await emu.dynamo.send(new PutCommand({ TableName: emu.table, Item: row }));
    return row;
  };
  const read = async (row: Pick<LedgerRow, 'articleId'>): Promise<LedgerRow> => (await ledger.get(row.articleId)) as LedgerRow;
  /** A long article's row at `level`, with `done` of `size` steps done. */
  const longRow = (level: number, size: number, done: number, fields: Partial<LedgerRow> = {}): LedgerRow => {
    const step = (i: number) => (level === 0 ? `p${i}` : `r${level}-${i}`);
    const steps: Record<string, StepRecord> = {};
    for (let i = 1; i <= size; i++)
      steps[step(i)] = { s: i <= done ? 'done' : 'sent', id: `${ATTEMPT}-${step(i)}`, o: `s3://articles/outputs/${i}.out` };
    return queuedRow({
      parts: level === 0 ? size : 4,
      partsDone: level === 0 ? done : 4,
      level,
      levelSize: size,
      levelDone: done,
      levelStartedAt: NOW,
      requestCount: 4,
      submittedAt: NOW,
      steps,
      ...fields,
    });
  };
  const done = (id: string): StepRecord => ({ s: 'done', id, o: `s3://articles/outputs/${randomUUID()}.out`, ms: 10 });

  describe('claim', () => {
    it('claims an article that has no row yet', async () => {
      const row = queuedRow();
      expect(await ledger.claim(row, STALE_BEFORE)).toBe('claimed');
      expect(await read(row)).toEqual(row);
    });

    it('keeps a concurrent or redelivered delivery of the same upload out while the claim is fresh', async () => {
      const row = await stored(queuedRow());
      expect(await ledger.claim({ ...row, claimedBy: 'delivery-2' }, STALE_BEFORE)).toBe('taken');
      expect((await read(row)).claimedBy).toBe('delivery-1');
    });

    it('lets the same delivery claim again: a Lambda retry keeps its request id', async () => {
      const row = await stored(queuedRow({ state: 'FAILED', failedStage: 'submit', reason: 'throttled' }));
      expect(await ledger.claim({ ...row, state: 'QUEUED', failedStage: undefined, reason: undefined }, STALE_BEFORE)).toBe('claimed');
      expect(await read(row)).toMatchObject({ state: 'QUEUED', claimedBy: 'delivery-1' });
    });

    it('lets another delivery claim once the lease ran out', async () => {
      const row = await stored(queuedRow({ claimedAt: '2026-11-26T09:00:00.000Z' }));
      expect(await ledger.claim({ ...row, claimedBy: 'delivery-2', claimedAt: NOW }, STALE_BEFORE)).toBe('claimed');
      expect((await read(row)).claimedBy).toBe('delivery-2');
    });

    it('never claims an inference the endpoint accepted, even for the delivery that claimed it', async () => {
      const row = await stored(queuedRow({ submittedAt: NOW }));
      expect(await ledger.claim({ ...row, submittedAt: undefined }, STALE_BEFORE)).toBe('taken');
      expect((await read(row)).submittedAt).toBe(NOW);
    });

    it('never claims a row in a final state other than FAILED or REJECTED', async () => {
      const row = await stored(queuedRow({ state: 'COMPLETED', summary: 'kept' }));
      expect(await ledger.claim({ ...row, state: 'QUEUED', summary: undefined }, STALE_BEFORE)).toBe('taken');
      expect((await read(row)).summary).toBe('kept');
    });

    it('orders revisions by sequencer: a newer upload replaces the row, an older one never does', async () => {
      const row = await stored(queuedRow({ submittedAt: NOW }));
      const older = { ...row, inferenceId: OTHER, sequencer: '00000000000000000000000000000009', submittedAt: undefined };
      expect(await ledger.claim(older, STALE_BEFORE)).toBe('taken');
      const newer = { ...older, sequencer: '0000000000000000000000000000000B', etag: 'etag-2' };
      expect(await ledger.claim(newer, STALE_BEFORE)).toBe('claimed');
      expect(await read(row)).toEqual(newer);
    });

    it('lets another revision replace a row that has no sequencer (written before sequencers were kept)', async () => {
      const row = await stored(queuedRow({ sequencer: undefined, submittedAt: NOW }));
      expect(await ledger.claim({ ...row, inferenceId: OTHER, submittedAt: undefined }, STALE_BEFORE)).toBe('claimed');
      expect((await read(row)).inferenceId).toBe(OTHER);
    });

    it("reclaims a long article's row whose submission stopped part-way: only the claim changes, its steps stay", async () => {
      const row = await stored(
        longRow(0, 3, 1, { submittedAt: undefined, state: 'FAILED', failedStage: 'submit', reason: 'part 2: refused', totalMs: 5 }),
      );
      const again = { ...queuedRow(), articleId: row.articleId, claimedAt: '2026-11-26T10:01:00.000Z' };
      expect(await ledger.claim({ ...again, claimedBy: 'delivery-2' }, STALE_BEFORE)).toBe('taken');
      expect(await ledger.claim(again, STALE_BEFORE)).toBe('claimed');
      const reclaimed = await read(row);
      expect(reclaimed).toMatchObject({ state: 'QUEUED', claimedAt: '2026-11-26T10:01:00.000Z', steps: row.steps, levelDone: 1 });
      expect(reclaimed).not.toHaveProperty('reason');
      expect(reclaimed).not.toHaveProperty('failedStage');
      expect(reclaimed).not.toHaveProperty('totalMs');
    });

    it("never reclaims a long article's row that FAILED in the endpoint: a late retry of its submission cannot bring it back", async () => {
      const row = await stored(
        longRow(0, 3, 1, { submittedAt: undefined, state: 'FAILED', failedStage: 'inference', reason: 'part 2: model error' }),
      );
      expect(await ledger.claim({ ...queuedRow(), articleId: row.articleId }, STALE_BEFORE)).toBe('taken');
      expect(await read(row)).toMatchObject({ state: 'FAILED', failedStage: 'inference', reason: 'part 2: model error' });
    });
  });

  describe('markSubmitted', () => {
    it("records the endpoint's acceptance on the same attempt, leaves the state alone, and never touches another attempt's row", async () => {
      const row = await stored(queuedRow({ state: 'COMPLETED' }));
      await ledger.markSubmitted(row.articleId, ATTEMPT, { submittedAt: NOW, outputLocation: 's3://articles/outputs/x.out' });
      expect(await read(row)).toMatchObject({ state: 'COMPLETED', submittedAt: NOW, outputLocation: 's3://articles/outputs/x.out' });

      await ledger.markSubmitted(row.articleId, OTHER, { submittedAt: '2026-11-26T11:00:00.000Z' });
      expect((await read(row)).submittedAt).toBe(NOW);
    });
  });

  describe('finish', () => {
    it('the first outcome wins: a second outcome for the same attempt is stale', async () => {
      const row = await stored(queuedRow());
      const completed = { state: 'COMPLETED' as const, summary: 'first', completedAt: NOW, totalMs: 7 };
      // The row as written comes back: the article's event is made from it (core/article-events.ts).
      expect(await ledger.finish(row.articleId, ATTEMPT, completed)).toMatchObject({
        articleId: row.articleId,
        state: 'COMPLETED',
        summary: 'first',
      });
      expect(await ledger.finish(row.articleId, ATTEMPT, { state: 'FAILED', reason: 'second', completedAt: NOW, totalMs: 8 })).toBe(
        'stale',
      );
      expect(await read(row)).toMatchObject({ state: 'COMPLETED', summary: 'first', totalMs: 7 });
    });

    it('still records the outcome of a row FAILED at submission (the endpoint may have accepted it), not of one FAILED in the endpoint', async () => {
      const atSubmit = await stored(queuedRow({ state: 'FAILED', failedStage: 'submit', reason: 'timeout' }));
      const inference = await stored(queuedRow({ state: 'FAILED', failedStage: 'inference', reason: 'model error' }));
      const completed = { state: 'COMPLETED' as const, summary: 'late', completedAt: NOW, totalMs: 9 };
      expect(await ledger.finish(atSubmit.articleId, ATTEMPT, completed)).toMatchObject({ state: 'COMPLETED', summary: 'late' });
      expect(await ledger.finish(inference.articleId, ATTEMPT, completed)).toBe('stale');
      // What a terminal update does not set is cleared, so no stale reason stays beside a summary.
      expect(await read(atSubmit)).toMatchObject({ state: 'COMPLETED', summary: 'late' });
      expect(await read(atSubmit)).not.toHaveProperty('reason');
      expect(await read(atSubmit)).not.toHaveProperty('failedStage');
      expect(await read(inference)).toMatchObject({ state: 'FAILED', reason: 'model error' });
    });

    it("is stale for another attempt's outcome (an older revision, or a retried article's earlier attempt)", async () => {
      const row = await stored(queuedRow());
      expect(await ledger.finish(row.articleId, OTHER, { state: 'EXPIRED', completedAt: NOW, totalMs: 1 })).toBe('stale');
      expect((await read(row)).state).toBe('QUEUED');
    });
  });

  describe('reopen', () => {
    it('puts a row back to QUEUED only from the attempt and state it was read in, clearing the old outcome', async () => {
      const row = await stored(queuedRow({ state: 'EXPIRED', reason: 'no output', completedAt: NOW, submittedAt: NOW, totalMs: 3 }));
      const next = {
        inferenceId: OTHER,
        attempt: 2,
        history: [],
        claimedBy: 'retry-1',
        claimedAt: NOW,
        receivedAt: NOW,
        day: '2026-11-26',
      };
      expect(await ledger.reopen(row.articleId, { inferenceId: ATTEMPT, state: 'FAILED' }, next)).toBe('stale');
      expect(await ledger.reopen(row.articleId, { inferenceId: ATTEMPT, state: 'EXPIRED' }, next)).toBe('reopened');
      expect(await ledger.reopen(row.articleId, { inferenceId: ATTEMPT, state: 'EXPIRED' }, next)).toBe('stale');
      const reopened = await read(row);
      expect(reopened).toMatchObject({ state: 'QUEUED', inferenceId: OTHER, attempt: 2, claimedBy: 'retry-1' });
      for (const cleared of ['reason', 'completedAt', 'submittedAt', 'totalMs']) expect(reopened).not.toHaveProperty(cleared);
    });
  });

  describe('planParts', () => {
    it('records the split once: a retry of the submission keeps the first plan and its steps', async () => {
      const row = await stored(queuedRow());
      const plan = { parts: 3, levelSize: 3, levelStartedAt: NOW, requestCount: 3, research: true };
      await ledger.planParts(row.articleId, ATTEMPT, plan);
      await ledger.markStepSent(row.articleId, ATTEMPT, 'p1', { s: 'sent', id: `${ATTEMPT}-p1` }, false);
      await ledger.planParts(row.articleId, ATTEMPT, { ...plan, parts: 4, levelSize: 4, levelStartedAt: '2026-11-26T10:05:00.000Z' });
      await ledger.planParts(row.articleId, OTHER, plan);
      expect(await read(row)).toMatchObject({ parts: 3, level: 0, levelSize: 3, levelDone: 0, partsDone: 0, levelStartedAt: NOW });
      expect(Object.keys((await read(row)).steps ?? {})).toEqual(['p1']);
    });
  });

  describe('markStepSent', () => {
    it('records a sent step, but never over the outcome of the same request (the endpoint answered first); a resend still counts', async () => {
      const row = await stored(longRow(0, 2, 0, { steps: {} }));
      await ledger.markStepSent(row.articleId, ATTEMPT, 'p1', { s: 'sent', id: `${ATTEMPT}-p1`, o: 's3://articles/outputs/1.out' }, false);
      const answered = done(`${ATTEMPT}-p2`);
      await ledger.recordStep(row.articleId, ATTEMPT, 'p2', answered);
      await ledger.markStepSent(row.articleId, ATTEMPT, 'p2', { s: 'sent', id: `${ATTEMPT}-p2`, o: 's3://articles/outputs/2.out' }, true);
      const after = await read(row);
      expect(after.steps).toEqual({ p1: { s: 'sent', id: `${ATTEMPT}-p1`, o: 's3://articles/outputs/1.out' }, p2: answered });
      expect(after.requestCount).toBe(row.requestCount + 1);
    });

    it("keeps the first record of a request sent twice by one attempt (its output location), and replaces an earlier attempt's unanswered one", async () => {
      const earlier: StepRecord = { s: 'failed', id: `${OTHER}-p2`, o: 's3://articles/outputs/old.out' };
      const row = await stored(longRow(0, 2, 0, { steps: { p2: earlier } }));
      await ledger.markStepSent(
        row.articleId,
        ATTEMPT,
        'p1',
        { s: 'sent', id: `${ATTEMPT}-p1`, o: 's3://articles/outputs/first.out' },
        false,
      );
      await ledger.markStepSent(
        row.articleId,
        ATTEMPT,
        'p1',
        { s: 'sent', id: `${ATTEMPT}-p1`, o: 's3://articles/outputs/again.out' },
        false,
      );
      await ledger.markStepSent(
        row.articleId,
        ATTEMPT,
        'p2',
        { s: 'sent', id: `${ATTEMPT}-p2`, o: 's3://articles/outputs/retry.out' },
        true,
      );
      await ledger.markStepSent(row.articleId, OTHER, 'p1', { s: 'sent', id: `${OTHER}-p1`, o: 's3://articles/outputs/other.out' }, true);
      const after = await read(row);
      expect(after.steps?.p1?.o).toBe('s3://articles/outputs/first.out');
      expect(after.steps?.p2).toEqual({ s: 'sent', id: `${ATTEMPT}-p2`, o: 's3://articles/outputs/retry.out' });
      expect(after.requestCount).toBe(row.requestCount + 1);
    });
  });

  describe('recordStep', () => {
    it('the first outcome per step wins and counts once: towards its level, and a part towards the parts', async () => {
      const row = await stored(longRow(0, 3, 0));
      const first = done(`${ATTEMPT}-p2`);
      const after = await ledger.recordStep(row.articleId, ATTEMPT, 'p2', first);
      expect(after).toMatchObject({ levelDone: 1, partsDone: 1, steps: { p2: first } });
      expect(await ledger.recordStep(row.articleId, ATTEMPT, 'p2', done(`${ATTEMPT}-p2`))).toBe('stale');
      expect(await ledger.recordStep(row.articleId, ATTEMPT, 'p2', { s: 'failed', id: `${ATTEMPT}-p2` })).toBe('stale');
      expect(await read(row)).toMatchObject({ levelDone: 1, partsDone: 1, steps: { p2: first } });
    });

    it("records a failure without counting it; this attempt's failure is final, an earlier attempt's is replaced", async () => {
      const earlier: StepRecord = { s: 'failed', id: `${OTHER}-r1-2`, f: 's3://articles/failures/old.out' };
      const row = await stored(longRow(1, 2, 0, { steps: { 'r1-1': { s: 'sent', id: `${ATTEMPT}-r1-1` }, 'r1-2': earlier } }));
      expect(await ledger.recordStep(row.articleId, ATTEMPT, 'r1-1', { s: 'failed', id: `${ATTEMPT}-r1-1` })).toMatchObject({
        levelDone: 0,
      });
      expect(await ledger.recordStep(row.articleId, ATTEMPT, 'r1-1', done(`${ATTEMPT}-r1-1`))).toBe('stale');
      // A reduce step counts towards its level only.
      expect(await ledger.recordStep(row.articleId, ATTEMPT, 'r1-2', done(`${ATTEMPT}-r1-2`))).toMatchObject({
        levelDone: 1,
        partsDone: 4,
      });
    });

    it('records and counts a step only at its own level: a step of another level is stale', async () => {
      const row = await stored(longRow(1, 2, 0));
      expect(await ledger.recordStep(row.articleId, ATTEMPT, 'p3', done(`${ATTEMPT}-p3`))).toBe('stale');
      expect(await ledger.recordStep(row.articleId, ATTEMPT, 'r2-1', done(`${ATTEMPT}-r2-1`))).toBe('stale');
      expect(await ledger.recordStep(row.articleId, ATTEMPT, 'r1-1', done(`${ATTEMPT}-r1-1`))).toMatchObject({ levelDone: 1 });
      expect(Object.keys((await read(row)).steps ?? {}).sort()).toEqual(['r1-1', 'r1-2']);
    });

    it("is stale for another attempt's step", async () => {
      const row = await stored(longRow(0, 2, 0));
      expect(await ledger.recordStep(row.articleId, OTHER, 'p1', done(`${OTHER}-p1`))).toBe('stale');
      expect((await read(row)).levelDone).toBe(0);
    });
  });

  describe('listFinishedLevels', () => {
    it('finds the QUEUED rows whose current level has every step in, and only those', async () => {
      const finished = await stored(longRow(2, 3, 3));
      const running = await stored(longRow(2, 3, 2));
      const failed = await stored(longRow(2, 3, 3, { state: 'FAILED', failedStage: 'inference' }));
      const short = await stored(queuedRow());
      const found = await ledger.listFinishedLevels();
      const ours = found.filter((level) => [finished, running, failed, short].some((row) => row.articleId === level.articleId));
      expect(ours).toEqual([{ articleId: finished.articleId, level: 2, levelSize: 3, levelDone: 3 }]);
    });
  });

  describe('startLevel', () => {
    const plan = (claimedBy: string) => ({ level: 2, size: 2, startedAt: '2026-11-26T10:10:00.000Z', claimedBy });

    it('moves a complete level on exactly once, claimed by the invocation that moved it, and adds its requests', async () => {
      const row = await stored(longRow(1, 3, 3));
      const results = await Promise.all(
        ['record-1', 'record-2', 'record-3'].map((id) => ledger.startLevel(row.articleId, ATTEMPT, 1, plan(id))),
      );
      expect(results.filter((r) => r === 'started')).toHaveLength(1);
      const winner = ['record-1', 'record-2', 'record-3'][results.indexOf('started')];
      expect(await read(row)).toMatchObject({
        level: 2,
        levelSize: 2,
        levelDone: 0,
        levelClaimedBy: winner,
        requestCount: row.requestCount + 2,
      });
      expect(await ledger.startLevel(row.articleId, ATTEMPT, 1, plan('record-4'))).toBe('stale');
    });

    it('never moves a level with steps still out, a level it was not asked to move from, another attempt or a finished row', async () => {
      const incomplete = await stored(longRow(1, 3, 2));
      const complete = await stored(longRow(1, 3, 3));
      const failed = await stored(longRow(1, 3, 3, { state: 'FAILED', failedStage: 'inference' }));
      expect(await ledger.startLevel(incomplete.articleId, ATTEMPT, 1, plan('record-1'))).toBe('stale');
      expect(await ledger.startLevel(complete.articleId, ATTEMPT, 0, plan('record-1'))).toBe('stale');
      expect(await ledger.startLevel(complete.articleId, OTHER, 1, plan('record-1'))).toBe('stale');
      expect(await ledger.startLevel(failed.articleId, ATTEMPT, 1, plan('record-1'))).toBe('stale');
      for (const row of [incomplete, complete, failed]) expect((await read(row)).level).toBe(1);
    });
  });
});
