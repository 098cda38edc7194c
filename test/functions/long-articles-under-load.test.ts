import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { articleIdFor } from '../../core/ids';
import type { LedgerRow } from '../../core/ledger';
import type { LongArticlePolicy } from '../../core/long-article/steps';
import type { AcceptedInference, InferenceRequest } from '../../core/ports';
import { reconcile } from '../../core/reconcile';
import type { RecordDeps } from '../../core/record-result';
import { makeOnNotification } from '../../functions/record-result/on-notification';
import { startEmulators, type Emulators } from '../support/emulators';
import { s3PutEvent, sagemakerMessage, snsEvent } from '../support/events';
import { fixedClock, RecordingInferenceQueue, silentLogger } from '../support/fakes';
import { generatedArticle } from '../support/long-text';
import { recordDepsOn, testPolicy, testSettings, uploadHandlerOn, writeOutput } from '../support/upload-handler';

/** Every reduce level pairs its summaries: a tree of several levels, so every article changes level often. */
const pairingPolicy: LongArticlePolicy = {
  ...testPolicy,
  planReduce: (summaries) => Array.from({ length: Math.ceil(summaries.length / 2) }, (_, i) => summaries.slice(2 * i, 2 * i + 2)),
};

/** Park-Miller: the same seed, the same choices (which delivery goes next, which is duplicated). */
const seeded = (seed: number) => {
  let state = seed % 2147483647 || 1;
  return (n: number): number => {
    state = (state * 16807) % 2147483647;
    return state % n;
  };
};

/** InvokeEndpointAsync's contract (accepted at once, a fresh output location each), answered when the test says. */
class DeferredEndpoint extends RecordingInferenceQueue {
  readonly waiting: { request: InferenceRequest; outputLocation: string }[] = [];
  override async submit(request: InferenceRequest): Promise<AcceptedInference> {
    const accepted = await super.submit(request);
    this.waiting.push({ request, outputLocation: accepted.outputLocation });
    return accepted;
  }
}

/**
 * record-result's 30 s timeout on a simulated clock, counted in rounds: the S3, DynamoDB and SageMaker calls
 * an attempt has in flight at once all end together, one round later, so an attempt's time is its longest
 * chain of calls one after another. An attempt past TIMEOUT_ROUNDS stops at its next call, as Lambda stops a
 * timed-out invocation and retries it (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
 */
const TIMEOUT_ROUNDS = 24;
class TimedOutError extends Error {
  override readonly name = 'Sandbox.Timedout';
}
class Attempt {
  rounds = 0;
  timedOut = false;
  private inFlight = 0;
  private waiting: (() => void)[] = [];

  /** One call: it runs now, and returns when every call in flight beside it has ended too. */
  async call<T>(operation: () => Promise<T>): Promise<T> {
    if (this.rounds >= TIMEOUT_ROUNDS) {
      this.timedOut = true;
      throw new TimedOutError('Task timed out after 30.00 seconds');
    }
    this.inFlight += 1;
    let result: { value: T } | { error: unknown };
    try {
      result = { value: await operation() };
    } catch (error) {
      result = { error };
    }
    this.inFlight -= 1;
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      if (this.inFlight === 0) {
        this.rounds += 1;
        for (const release of this.waiting.splice(0)) release();
      }
    });
    if ('error' in result) throw result.error;
    return result.value;
  }

  /** `target` with every method a call of this attempt. */
  wrap<T extends object>(target: T): T {
    return new Proxy(target, {
      get: (object, name, receiver) => {
        const value = Reflect.get(object, name, receiver) as unknown;
        return typeof value === 'function' ? (...args: unknown[]) => this.call(() => Promise.resolve(value.apply(object, args))) : value;
      },
    });
  }
}

describe('long articles under load: concurrent, shuffled and duplicated notifications (s3rver + dynalite)', () => {
  let emu: Emulators;
  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(async () => emu.stop());

  it('leaves no article QUEUED with a finished level: every level moves on, whatever the order, copies and timeouts of its last steps', async () => {
    // Prepare: 8 long articles of 22 to 30 parts, uploaded at once.
    const random = seeded(20);
    const clock = fixedClock('2026-11-26T10:00:00.000Z');
    const endpoint = new DeferredEndpoint(emu.bucket);
    const settings = { ...testSettings, maxArticleBytes: 2 * 1024 * 1024 };
    const { onUpload, ledger } = uploadHandlerOn(emu, clock, { policy: pairingPolicy, settings, queue: endpoint });
    const deps: RecordDeps = recordDepsOn(emu, clock, endpoint, pairingPolicy);
    const articles = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const key = `input/under-load/article-${i}.txt`;
        const body = generatedArticle(8_000 + 1_000 * (i % 4), 500 + i);
        const reply = await emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: body }));
        return {
          articleId: articleIdFor(emu.bucket, key),
          event: s3PutEvent({ bucket: emu.bucket, key, size: Buffer.byteLength(body), eTag: (reply.ETag ?? '').replace(/"/g, '') }),
        };
      }),
    );

    // Each notification is delivered once or twice (SNS delivers at least once), each delivery its own
    // invocation; an attempt that throws is retried twice under its request id, then dead-lettered, as
    // Lambda does for asynchronous invocations.
    const deliveries: { message: object; requestId: string; attempt: number }[] = [];
    const counts = { duplicates: 0, timeouts: 0, deadLettered: 0, busiest: 0 };
    let busy = 0;
    let uploading = articles.length;
    const deliver = async (delivery: (typeof deliveries)[number]) => {
      const attempt = new Attempt();
      const handle = makeOnNotification({
        ...deps,
        ledger: attempt.wrap(deps.ledger),
        outputs: attempt.wrap(deps.outputs),
        articles: attempt.wrap(deps.articles),
        queue: attempt.wrap(deps.queue),
        logger: silentLogger(),
      });
      try {
        await handle(snsEvent(delivery.message), { awsRequestId: delivery.requestId });
      } catch (error) {
        // Whatever the code made of it (a step not accepted, say), the invocation ran out of time.
        if (!attempt.timedOut) throw error;
        counts.timeouts += 1;
        if (delivery.attempt < 3) deliveries.push({ ...delivery, attempt: delivery.attempt + 1 });
        else counts.deadLettered += 1;
      }
    };
    /** The endpoint answers one waiting request: its output written, then its notification (maybe twice). */
    const answer = async ({ request, outputLocation }: (typeof endpoint.waiting)[number]) => {
      await writeOutput(emu, outputLocation, JSON.stringify([{ summary_text: `summary of ${request.inferenceId.slice(33)}.` }]));
      const message = sagemakerMessage('inference-success-doc.json', {
        inferenceId: request.inferenceId,
        inputLocation: request.inputLocation,
        outputLocation,
      });
      const copies = random(3) === 0 ? 2 : 1;
      counts.duplicates += copies - 1;
      for (let i = 0; i < copies; i++) deliveries.push({ message, requestId: randomUUID(), attempt: 1 });
    };
    /** Sixteen invocations at a time, each taking a delivery (or the endpoint's next answer) at random. */
    const drive = () =>
      Promise.all(
        Array.from({ length: 16 }, async () => {
          for (;;) {
            const pool = deliveries.length > 0 ? deliveries : endpoint.waiting.length > 0 ? endpoint.waiting : undefined;
            if (!pool) {
              if (busy === 0 && uploading === 0) return;
              await new Promise((resolve) => setImmediate(resolve));
              continue;
            }
            const [next] = pool.splice(random(pool.length), 1);
            busy += 1;
            counts.busiest = Math.max(counts.busiest, busy);
            try {
              await (pool === deliveries
                ? deliver(next as (typeof deliveries)[number])
                : answer(next as (typeof endpoint.waiting)[number]));
            } finally {
              busy -= 1;
            }
          }
        }),
      );
    const finishedLevels = async (): Promise<LedgerRow[]> =>
      (await Promise.all(articles.map(({ articleId }) => ledger.get(articleId)))).filter(
        (row): row is LedgerRow => row?.state === 'QUEUED' && row.levelSize !== undefined && row.levelDone === row.levelSize,
      );

    // Act: the uploads and the notifications at once; then reconcile, as its schedule would (a simulated
    // minute apart), until it repairs nothing more (each repair may send another level, answered like the others).
    await Promise.all([
      ...articles.map(async ({ event }) => {
        await onUpload(event);
        uploading -= 1;
      }),
      drive(),
    ]);
    for (let run = 0; run < 20; run++) {
      // A minute apart: past record-result's 30 s timeout, so reconcile carries on what the last drive left.
      clock.set(new Date(clock.now().getTime() + 60_000).toISOString());
      const repairs = await reconcile({
        ledger,
        outputs: deps.outputs,
        clock,
        settings: { requestTtlSeconds: 3600, invocationTimeoutSeconds: 900, graceSeconds: 300 },
        steps: deps,
        events: deps.events,
      });
      if (!repairs.some((repair) => repair.state !== 'skipped')) break;
      await drive();
    }

    // Assess: nothing left with a finished level, every article summarized, each step recorded once.
    expect((await finishedLevels()).map((row) => `${row.key}: level ${row.level}, ${row.levelDone}/${row.levelSize}`)).toEqual([]);
    const rows = (await Promise.all(articles.map(({ articleId }) => ledger.get(articleId)))) as LedgerRow[];
    for (const row of rows) {
      expect(row).toMatchObject({ state: 'COMPLETED', partsDone: row.parts, levelSize: 1 });
      expect(row.parts).toBeGreaterThanOrEqual(22);
      expect(row.requestCount).toBe(Object.keys(row.steps ?? {}).length);
    }
    // The run was what it is about: copies of notifications, many invocations at once; no level change
    // outlived its invocation, so none waited for reconcile.
    expect(counts.duplicates).toBeGreaterThan(20);
    expect(counts.busiest).toBeGreaterThan(8);
    expect(counts).toMatchObject({ timeouts: 0, deadLettered: 0 });
  }, 300_000);
});
