import { randomUUID } from 'node:crypto';
import { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { articleEventOf, PENDING_EVENT_GRACE_MS, publishPendingEvents, type ArticleEvent } from '../../core/article-events';
import { articleIdFor, inferenceIdFor } from '../../core/ids';
import { finishAttempt, type AttemptOutcome, type FinishDeps, type LedgerRow } from '../../core/ledger';
import { startEmulators, type Emulators } from '../support/emulators';
import { fixedClock } from '../support/fakes';

/**
 * Two writers ending one article at once (two parts of a long article failing together; reconcile and
 * record-result on the same row), on dynalite and the local SNS. Every port call of each writer waits for
 * its turn, and every order of their calls is run: whatever the order, exactly one message reaches the
 * topic per terminal transition, and no row is left marked pending.
 */

/** One writer's try: the id it finishes under, what it ends the row with, and where (if anywhere) it stops. */
interface Writer {
  id: string;
  outcome: AttemptOutcome;
  /**
   * Where it stops, as a Lambda stopped there would: before its publish. (Stopping between a publish and
   * its settle is SNS's at-least-once: the mark stays, reconcile publishes it again, with the same event id.)
   */
  stopsAt?: 'publish';
}

/** Which writer's port call runs next, at each point where both wait; the options, for exploring the others. */
type Choice = { options: number[]; chosen: number };

class StoppedError extends Error {
  override readonly name = 'StoppedError';
}

/**
 * Runs `writers` at once, each port call waiting until the schedule picks its writer: `prefix` first, then
 * the lowest-numbered writer waiting. One call runs at a time, so the same choices give the same run.
 */
const runInterleaved = async (
  prefix: number[],
  writers: ((gate: (call: string) => Promise<void>) => Promise<unknown>)[],
): Promise<{ choices: Choice[]; results: PromiseSettledResult<unknown>[] }> => {
  const parked = new Map<number, () => void>();
  let finished = 0;
  let wake: (() => void) | undefined;
  const poke = () => {
    if (wake && parked.size + finished === writers.length) {
      const resume = wake;
      wake = undefined;
      resume();
    }
  };
  const running = writers.map((run, i) =>
    run(
      () =>
        new Promise<void>((release) => {
          parked.set(i, release);
          poke();
        }),
    ).finally(() => {
      finished += 1;
      poke();
    }),
  );
  const choices: Choice[] = [];
  for (;;) {
    await new Promise<void>((resolve) => {
      wake = resolve;
      poke();
    });
    if (parked.size === 0) break;
    const options = [...parked.keys()].sort();
    const chosen = prefix[choices.length] ?? (options[0] as number);
    choices.push({ options, chosen });
    const release = parked.get(chosen) as () => void;
    parked.delete(chosen);
    release();
  }
  return { choices, results: await Promise.allSettled(running) };
};

/** Runs `scenario` once per order of the writers' calls; returns how many orders there were. */
const everyOrder = async (scenario: (prefix: number[]) => Promise<Choice[]>): Promise<number> => {
  const todo: number[][] = [[]];
  let runs = 0;
  while (todo.length > 0) {
    const prefix = todo.pop() as number[];
    const choices = await scenario(prefix);
    runs += 1;
    for (let i = prefix.length; i < choices.length; i++) {
      const { options, chosen } = choices[i] as Choice;
      for (const other of options) if (other !== chosen) todo.push([...choices.slice(0, i).map((c) => c.chosen), other]);
    }
  }
  return runs;
};

describe('two writers finishing one article at once (dynalite + local SNS)', () => {
  let emu: Emulators;
  let ledger: DynamoDbSummaryLedger;
  let n = 0;
  beforeAll(async () => {
    emu = await startEmulators();
    ledger = new DynamoDbSummaryLedger(emu.dynamo, emu.table);
  });
  afterAll(async () => emu.stop());

  /** A QUEUED row of a fresh article, claimed as submit-article claims it. */
  const queuedRow = async (): Promise<LedgerRow> => {
    const key = `input/races/article-${++n}.txt`;
    const at = '2026-11-26T10:00:00.000Z';
    const row: LedgerRow = {
      articleId: articleIdFor(emu.bucket, key),
      bucket: emu.bucket,
      key,
      etag: `etag-${n}`,
      bytes: 120,
      state: 'QUEUED',
      inferenceId: inferenceIdFor(emu.bucket, key, `etag-${n}`),
      requestCount: 1,
      modelId: 'test-model',
      uploadedAt: at,
      receivedAt: at,
      submittedAt: at,
      day: '2026-11-26',
      batch: 'races',
    };
    expect(await ledger.claim(row, at)).toBe('claimed');
    return row;
  };

  /** A writer's port calls, each waiting for `gate` first; the one named by `stopsAt` throws instead. */
  const gated = (writer: Writer, gate: (call: string) => Promise<void>, clock = fixedClock()): FinishDeps => ({
    ledger: {
      finish: async (...args) => {
        await gate('finish');
        return ledger.finish(...args);
      },
      get: async (articleId) => {
        await gate('get');
        return ledger.get(articleId);
      },
      settleEvent: async (...args) => {
        await gate('settle');
        return ledger.settleEvent(...args);
      },
    },
    clock,
    events: {
      ...emu.events,
      topic: {
        publish: async (event) => {
          await gate('publish');
          if (writer.stopsAt === 'publish') throw new StoppedError(`${writer.id} stopped before its publish`);
          await emu.events.topic.publish(event);
        },
      },
    },
    writer: writer.id,
  });

  /** Every message the topic carried for the article: raw, not de-duplicated, so a duplicate fails. */
  const messagesOf = (articleId: string): ArticleEvent[] =>
    emu.articleEvents
      .latest()
      .map((envelope) => JSON.parse(envelope.Message) as ArticleEvent)
      .filter((event) => event.articleId === articleId);
  /** Whether the row still marks its event pending, and whether the sparse index still lists it. */
  const stillPending = async (articleId: string): Promise<boolean[]> => [
    (await ledger.get(articleId))?.eventPendingSince !== undefined,
    (await ledger.listPendingEvents('9999-12-31T00:00:00.000Z')).some((row) => row.articleId === articleId),
  ];

  const failed = (reason: string): AttemptOutcome => ({ state: 'FAILED', failedStage: 'inference', reason });
  const completed: AttemptOutcome = { state: 'COMPLETED', summary: 'Floods arrive earlier each spring.' };

  it.each([
    ['two parts failing together (the same event id)', failed('part 2 of 5: the model failed'), failed('part 4 of 5: the model failed')],
    ['reconcile and record-result with different outcomes', completed, failed('the model failed (found by reconcile)')],
  ])(
    'publishes exactly one message whatever the order of their calls: %s',
    async (_what, first, second) => {
      const orders = await everyOrder(async (prefix) => {
        // Prepare
        const row = await queuedRow();
        const writers: Writer[] = [
          { id: `request-${randomUUID()}`, outcome: first },
          { id: `reconcile-${randomUUID()}`, outcome: second },
        ];
        // Act
        const { choices, results } = await runInterleaved(
          prefix,
          writers.map((writer) => (gate) => finishAttempt(gated(writer, gate), row, writer.outcome)),
        );
        // Assess: one write won, and only its try published, the row's own event.
        const values = results.map((result) => (result.status === 'fulfilled' ? result.value : result.reason));
        expect(values.sort()).toEqual(['recorded', 'stale']);
        const finished = (await ledger.get(row.articleId)) as LedgerRow;
        expect(messagesOf(row.articleId)).toEqual([articleEventOf(finished)]);
        expect(writers.map((w) => w.id)).toContain(finished.finishedBy);
        expect(await stillPending(row.articleId)).toEqual([false, false]);
        return choices;
      });
      // The winner makes three calls (finish, publish, settle), the loser two (finish, get): whichever
      // finish runs first wins, and the other four calls interleave in 4!/(2!2!) ways, so 2 × 6 orders.
      expect(orders).toBe(12);
    },
    120_000,
  );

  it('publishes once when the winner stops after its ledger write and Lambda retries it, whatever the order', async () => {
    const orders = await everyOrder(async (prefix) => {
      // Prepare: the first writer stops before its publish; the second may win instead.
      const row = await queuedRow();
      const writers: Writer[] = [
        { id: `request-${randomUUID()}`, outcome: failed('part 1 of 3: the model failed'), stopsAt: 'publish' },
        { id: `request-${randomUUID()}`, outcome: failed('part 3 of 3: the model failed') },
      ];
      const { choices } = await runInterleaved(
        prefix,
        writers.map((writer) => (gate) => finishAttempt(gated(writer, gate), row, writer.outcome)),
      );
      // Act: Lambda retries the stopped invocation under its request id; it finds the row finished.
      const retry = { ...writers[0], stopsAt: undefined } as Writer;
      const retried = await finishAttempt(
        gated(retry, async () => undefined),
        row,
        retry.outcome,
      );
      const again = await finishAttempt(
        gated(retry, async () => undefined),
        row,
        retry.outcome,
      );
      // Assess
      expect([retried, again]).toEqual(['stale', 'stale']);
      const finished = (await ledger.get(row.articleId)) as LedgerRow;
      expect(messagesOf(row.articleId)).toEqual([articleEventOf(finished)]);
      expect(await stillPending(row.articleId)).toEqual([false, false]);
      return choices;
    });
    expect(orders).toBeGreaterThan(1);
  }, 120_000);

  it("leaves a stopped writer's event to reconcile past the grace period, which publishes it once", async () => {
    const orders = await everyOrder(async (prefix) => {
      // Prepare: both writers stop before their publish, so whichever won leaves its event pending.
      const row = await queuedRow();
      const writers: Writer[] = [
        { id: `request-${randomUUID()}`, outcome: completed, stopsAt: 'publish' },
        { id: `request-${randomUUID()}`, outcome: failed('the model failed'), stopsAt: 'publish' },
      ];
      const { choices } = await runInterleaved(
        prefix,
        writers.map((writer) => (gate) => finishAttempt(gated(writer, gate), row, writer.outcome)),
      );
      // The writers' clock says 10:00 (fixedClock), so their marks say it too.
      const finishedAt = Date.parse('2026-11-26T10:00:00.000Z');
      const sweep = (at: number) => publishPendingEvents({ events: emu.events, ledger, clock: fixedClock(new Date(at).toISOString()) });
      // Act: reconcile within the grace period (the writers may still be running), then past it.
      const early = await sweep(finishedAt + PENDING_EVENT_GRACE_MS - 60_000);
      const told = messagesOf(row.articleId).length;
      const late = await sweep(finishedAt + PENDING_EVENT_GRACE_MS + 60_000);
      // Assess: whichever writer won, its event reached the topic exactly once.
      expect(early.filter((r) => r.articleId === row.articleId)).toEqual([]);
      const finished = (await ledger.get(row.articleId)) as LedgerRow;
      expect(messagesOf(row.articleId)).toEqual([articleEventOf(finished)]);
      expect(told + late.filter((r) => r.articleId === row.articleId && r.state === 'notified').length).toBe(1);
      expect(await stillPending(row.articleId)).toEqual([false, false]);
      return choices;
    });
    expect(orders).toBeGreaterThan(1);
  }, 120_000);
});
