import type { StepId } from '../../../core/ids';
import { longArticlePolicy } from '../../../core/long-article/policy';
import type { InferenceQueue, SummaryLedger } from '../../../core/ports';
import { sendSteps, StepNotAcceptedError, type StepSenderDeps } from '../../../core/long-article/send-steps';

describe("sendSteps: a long article's steps, several at once", () => {
  const settings = { requestsPrefix: 'requests/', requestTtlSeconds: 3600, invocationTimeoutSeconds: 900 };
  const ids = { articleId: 'a'.repeat(32), inferenceId: 'b'.repeat(32) };
  const steps = Array.from({ length: 20 }, (_, i) => ({ step: `p${i + 1}` as StepId, input: `part ${i + 1}`, resend: false }));

  /** A queue that holds each request until released, so the test sees how many are in flight. */
  const harness = (refuse?: string) => {
    let inFlight = 0;
    let peak = 0;
    const submitted: string[] = [];
    const marked: string[] = [];
    const queue: InferenceQueue = {
      submit: async (request) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        if (request.inferenceId.endsWith(`-${refuse}`)) throw new Error('Rate exceeded');
        submitted.push(request.inferenceId);
        return { outputLocation: `s3://bucket/outputs/${request.inferenceId}.out` };
      },
    };
    const ledger = { markStepSent: async (_a: string, _i: string, step: StepId) => void marked.push(step) } as unknown as SummaryLedger;
    const deps: StepSenderDeps = {
      articles: { writeRequest: async (key) => `s3://bucket/${key}` },
      queue,
      ledger,
      policy: longArticlePolicy({ maxInputTokens: 1024 }),
      settings,
    };
    return { deps, submitted, marked, peak: () => peak };
  };

  it('sends every step once, never more than the concurrency at a time', async () => {
    const { deps, submitted, marked, peak } = harness();
    await sendSteps(deps, ids, steps, {}, 4);
    expect([...submitted].sort()).toEqual(steps.map((s) => `${ids.inferenceId}-${s.step}`).sort());
    expect([...marked].sort()).toEqual(steps.map((s) => s.step).sort());
    expect(peak()).toBe(4);
  });

  it('starts no step after the first refusal, records the ones in flight, then throws naming the refused step', async () => {
    const { deps, marked } = harness('p6');
    const error = await sendSteps(deps, ids, steps, {}, 4).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepNotAcceptedError);
    expect((error as StepNotAcceptedError).step).toBe('p6');
    // p1-p5 went before it; p7-p9 were in flight beside it; nothing after them started.
    expect([...marked].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p7', 'p8', 'p9']);
  });
});
