import { articleCostUsd, articleSpend, attemptOnlyMs, costOf, instanceCostUsd, requestChargesUsd, stepsEndpointMs } from '../../core/cost';

describe('what an article costs', () => {
  it('charges each model request its Lambda, S3, SNS and DynamoDB requests, and the article its claim', () => {
    // 2 Lambda ($0.20/M), 2 PUT ($0.005/k), 3 GET ($0.0004/k), 1 SNS ($0.50/M), 2 writes ($0.625/M) and
    // 1 read ($0.125/M) per request: $13.475 per million requests; the claim adds $0.625 per million.
    expect(requestChargesUsd(1)).toBeCloseTo(13.475e-6 + 0.625e-6, 12);
    expect(requestChargesUsd(37)).toBeCloseTo(37 * 13.475e-6 + 0.625e-6, 12);
  });

  it('adds the time in the endpoint divided by the concurrency, at the instance price per second', () => {
    // 153 ms at concurrency 2 on a $0.23/h instance: 0.0765 s × $0.0000638889/s = $0.0000048875.
    expect(articleCostUsd({ endpointMs: 153, requests: 1, concurrency: 2, instancePricePerHour: 0.23 })).toBe(0.000018988);
    // Twice the concurrency halves the instance share, not the request charges.
    expect(articleCostUsd({ endpointMs: 3600_000, requests: 1, concurrency: 4, instancePricePerHour: 1 })).toBeCloseTo(0.25 + 14.1e-6, 9);
  });

  it("sums a long article's steps, and prices nothing without settings (reconcile)", () => {
    const steps = { p1: { ms: 1000 }, p2: { ms: 1500 }, 'r1-1': { ms: 500 }, p3: {} };

    expect(stepsEndpointMs(steps)).toBe(3000);
    expect(costOf(undefined, { endpointMs: 3000, requests: 4 })).toEqual({});
    expect(costOf({ concurrency: 1, instancePricePerHour: 3.6 }, { endpointMs: 3000, requests: 4 })).toEqual({
      costUsd: Math.round((0.003 + requestChargesUsd(4)) * 1e9) / 1e9,
    });
  });

  it('counts the endpoint time and requests of earlier attempts: a retry pays for the failed attempt too', () => {
    // A short article: this attempt's request, plus one request and its time per earlier attempt that reached the model.
    expect(articleSpend({}, 900)).toEqual({ endpointMs: 900, requests: 1 });
    expect(articleSpend({ history: [{ endpointMs: 400 }, {}, { endpointMs: 250 }] }, 900)).toEqual({ endpointMs: 1550, requests: 3 });
    // A long article: its steps (reused ones keep their time) plus the resent steps' time of earlier attempts;
    // requestCount already counts every attempt's requests.
    const steps = { p1: { s: 'done', ms: 1000 }, p2: { s: 'done', ms: 1500 } };
    expect(articleSpend({ parts: 2, steps, requestCount: 3, history: [{ endpointMs: 700 }] })).toEqual({ endpointMs: 3200, requests: 3 });
  });

  it('keeps, when an attempt is retried, the time its retry will not count again', () => {
    expect(attemptOnlyMs({ endpointMs: 1200 })).toBe(1200);
    expect(attemptOnlyMs({})).toBeUndefined();
    // A long article: done steps are reused by the retry (and stay in steps); failed ones are resent.
    const steps = { p1: { s: 'done', ms: 1000 }, p2: { s: 'failed', ms: 300 }, p3: { s: 'failed', ms: 200 }, p4: { s: 'sent' } };
    expect(attemptOnlyMs({ parts: 4, steps })).toBe(500);
    expect(attemptOnlyMs({ parts: 1, steps: { p1: { s: 'sent' } } })).toBeUndefined();
  });

  it("prices a batch's instance-seconds, idle and provisioning included", () => {
    expect(instanceCostUsd(7081, 0.23)).toBe(0.452397222);
  });
});
