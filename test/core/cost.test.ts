import {
  articleSpend,
  attemptOnlyMs,
  COST_ITEMS,
  costItemsOf,
  costOf,
  instanceCostUsd,
  ledgerUnits,
  spendBeforeEndpoint,
  stepsEndpointMs,
  totalOf,
} from '../../core/cost';
import { PRICES } from '../../core/prices';

// A short article that reached the model once: 2 KiB sent, 512 bytes back, half a GB-second of Lambda.
// Its row is 116 bytes (articleId 9 + 32, state 5 + 9, attempt 7 + 2, submittedAt 11 + 1, the three
// counters 11 + 3, 12 + 3 and 9 + 5): with costItems (160 bytes) under 1 KB, so every write is 1 unit.
const shortRow = {
  articleId: 'a'.repeat(32),
  state: 'COMPLETED',
  attempt: 1,
  submittedAt: 'x',
  dataInBytes: 2048,
  dataOutBytes: 512,
  lambdaGbs: 0.5,
};
const settings = { concurrency: 2, instancePricePerHour: 0.23 };

describe('what an article costs, item by item as the bill lists it', () => {
  it('prices a short article: instance share, data, Lambda, S3, SNS, DynamoDB and logs', () => {
    // Act: 153 s in the endpoint (queueing included) at concurrency 2.
    const items = costItemsOf(shortRow, { endpointMs: 153_000, requests: 1 }, settings);
    // Assess, by hand:
    expect(items).toEqual({
      // 153 s / 2 × $0.23 / 3600 s = 76.5 × $0.0000638889
      instance: 0.0048875,
      // 2,560 bytes / 2^30 × $0.016 = $0.0000000381 (rounded to the nano-dollar)
      sagemakerData: 0.000000038,
      // submit-article and one record-result invocation × $0.20 per million
      lambdaRequests: 0.0000004,
      // 0.5 GB-s × $0.0000133334 (arm64)
      lambdaDuration: 0.000006667,
      // PUTs: the upload, the request, the output = 3 × $0.005/1000;
      // GETs: the article and the request SageMaker reads = 2 × $0.0004/1000
      s3Requests: 0.0000158,
      // the endpoint's notification and the article's event × $0.50 per million
      snsPublishes: 0.000001,
      // 15 write units (4 table writes, 11 index entries, below) × $0.625/M + 1 read × $0.125/M
      dynamodb: 0.0000095,
      // (2 invocations × 1,000 + 1 request × 1,000 bytes) / 2^30 × $0.50
      logs: 0.000001397,
    });
    expect(totalOf(items)).toBe(0.004922302);
    expect(costOf(settings, shortRow, { endpointMs: 153_000, requests: 1 })).toEqual({ costUsd: 0.004922302, costItems: items });
  });

  it('counts DynamoDB write units per KB of the row and per index entry, and reads per 4 KB', () => {
    // A row of 2,083 bytes (articleId 41, state 14, attempt 9, submittedAt 12, summary 7 + 2,000), 2,243
    // with costItems: 3 units a write. Table: the claim (1, the row is small then), the submission (3)
    // the finish (3) and the removal of its event's pending mark once published (3). Indexes: byState's
    // QUEUED entry (1), its delete (1) and the finished entry (articleId, state and summary: 2,062 + 160
    // bytes, 3), byDay (1), byPublishedDay (3), byBatch (2), byPendingEvent's entry and its delete (2).
    const row = { articleId: 'a'.repeat(32), state: 'COMPLETED', attempt: 1, submittedAt: 'x', summary: 'x'.repeat(2000) };
    expect(ledgerUnits(row, 1)).toEqual({ writes: 10 + 13, reads: 1 });
    // A retry reopens and resubmits the row (2 × 3), settles its second finish (3) and moves each index
    // entry again (2 + 2 + 2 + 3 + 2).
    expect(ledgerUnits({ ...row, attempt: 2 }, 2)).toEqual({ writes: 19 + 24, reads: 2 });
    // A rejected article never reached the endpoint: claimed, finished and settled only.
    const rejected = { articleId: 'a'.repeat(32), state: 'REJECTED', attempt: 1 };
    expect(ledgerUnits(rejected, 0)).toEqual({ writes: 3 + (1 + 1 + 1 + 1 + 2 + 2 + 2), reads: 0 });
  });

  it('charges a long article one Lambda invocation, S3 objects and a notification per request, and its part summaries', () => {
    // Act: 3 parts and a reduce = 4 requests, 4 × 100 s at concurrency 1, at $3.60 an hour ($0.001 a second).
    const row = { articleId: 'b'.repeat(32), state: 'COMPLETED', attempt: 1, submittedAt: 'x', parts: 3, steps: {} };
    const items = costItemsOf(row, { endpointMs: 400_000, requests: 4 }, { concurrency: 1, instancePricePerHour: 3.6 });
    // Assess
    expect(items.instance).toBe(0.4);
    expect(items.lambdaRequests).toBe(0.000001); // 1 + 4 invocations × $0.20/M
    // PUTs: upload 1 + 4 requests + 4 outputs + the part summaries 1 = 10; GETs: the article 1,
    // 4 requests, and the 3 summaries read again for the reduce = 8.
    expect(items.s3Requests).toBe(0.0000532); // 10 × $0.000005 + 8 × $0.0000004
    expect(items.snsPublishes).toBe(0.0000025); // 5 × $0.50/M
    expect(items.sagemakerData).toBe(0);
    expect(items.lambdaDuration).toBe(0);
  });

  it('adds the items up to costUsd, in the order the bill lists them', () => {
    expect(COST_ITEMS).toEqual([
      'instance',
      'sagemakerData',
      'lambdaRequests',
      'lambdaDuration',
      's3Requests',
      'snsPublishes',
      'dynamodb',
      'logs',
    ]);
    expect(totalOf({ instance: 0.1, dynamodb: 0.000000002, logs: 0.3 })).toBe(0.400000002);
    expect(costOf(undefined, shortRow, { endpointMs: 1, requests: 1 })).toEqual({});
  });

  it('prices every item from core/prices.ts, each with the page it comes from', () => {
    for (const price of Object.values(PRICES)) {
      expect(price.usd).toBeGreaterThan(0);
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\/[a-z0-9/-]+\/$/);
    }
    // No time in the endpoint, no instance share; the other items stay.
    const items = costItemsOf(shortRow, { endpointMs: 0, requests: 1 }, settings);
    expect(items.instance).toBe(0);
    expect(items.lambdaRequests).toBeCloseTo(2 * PRICES.lambdaRequest.usd, 12);
  });
});

describe('what an article spent across its attempts', () => {
  it("sums a long article's steps", () => {
    expect(stepsEndpointMs({ p1: { ms: 1000 }, p2: { ms: 1500 }, 'r1-1': { ms: 500 }, p3: {} })).toBe(3000);
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

  it('charges an attempt that never reached the endpoint only what earlier attempts spent there', () => {
    expect(spendBeforeEndpoint({})).toEqual({ endpointMs: 0, requests: 0 });
    expect(spendBeforeEndpoint({ history: [{ endpointMs: 400 }, {}] })).toEqual({ endpointMs: 400, requests: 1 });
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
    // 7,081 s × $0.23 / 3600 s
    expect(instanceCostUsd(7081, 0.23)).toBe(0.452397222);
  });
});
