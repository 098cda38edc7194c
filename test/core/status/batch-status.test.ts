import {
  batchStatus,
  etaSeconds,
  formatStatus,
  progressBar,
  type EndpointFigures,
  type ProgressRow,
  type StatusSettings,
} from '../../../core/status/batch-status';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();
const settings: StatusSettings = {
  concurrency: 2,
  instancePricePerHour: 0.23,
  provisioningSeconds: 120,
  alarmSeconds: 60,
  defaultModelSecondsPerRequest: 2,
};
const endpoint = (fields: Partial<EndpointFigures> = {}): EndpointFigures => ({
  inService: 0,
  desired: 0,
  backlog: 0,
  instanceSeconds: 0,
  ...fields,
});
const noCost = {
  instance: 0,
  sagemakerData: 0,
  lambdaRequests: 0,
  lambdaDuration: 0,
  s3Requests: 0,
  snsPublishes: 0,
  dynamodb: 0,
  logs: 0,
};
const row = (state: ProgressRow['state'], completedMinutesAgo?: number, costUsd?: number): ProgressRow => ({
  key: 'input/b/x.txt',
  state,
  receivedAt: minutesAgo(30),
  ...(completedMinutesAgo !== undefined ? { completedAt: minutesAgo(completedMinutesAgo) } : {}),
  // Half of it the instance share, half S3 requests (core/cost.ts CostItems).
  ...(costUsd !== undefined ? { costUsd, costItems: { ...noCost, instance: costUsd / 2, s3Requests: costUsd / 2 } } : {}),
});

describe("a batch's status", () => {
  it('counts by state, measures throughput over the last 5 minutes and sums the cost', () => {
    // 10 finished in the last 5 minutes, 5 earlier, 2 rejected long ago, 20 still queued.
    const rows = [
      ...Array.from({ length: 10 }, () => row('COMPLETED', 2, 0.00002)),
      ...Array.from({ length: 5 }, () => row('COMPLETED', 8, 0.00002)),
      row('REJECTED', 20),
      row('REJECTED', 20),
      ...Array.from({ length: 20 }, () => row('QUEUED')),
    ];

    const status = batchStatus('input/b/', rows, endpoint({ inService: 5, desired: 5, backlog: 20, instanceSeconds: 3600 }), settings, NOW);

    expect(status).toEqual({
      prefix: 'input/b/',
      total: 37,
      byState: { QUEUED: 20, COMPLETED: 15, FAILED: 0, REJECTED: 2, EXPIRED: 0 },
      completedPerMinute: 2,
      etaSeconds: 600,
      instances: { inService: 5, desired: 5 },
      backlog: 20,
      // The bill: the hour of instance time billed, and the rows' other items (their S3 requests).
      costUsd: { articles: 0.0003, instances: 0.23, items: { ...noCost, instance: 0.00015, s3Requests: 0.00015 }, bill: 0.23015 },
    });
    expect(Object.keys(status)).toEqual([
      'prefix',
      'total',
      'byState',
      'completedPerMinute',
      'etaSeconds',
      'instances',
      'backlog',
      'costUsd',
    ]);
  });

  it('gives an ETA of 0 when nothing is left, and a positive one while scaling from zero, counting the alarm and provisioning', () => {
    expect(etaSeconds(0, 0, endpoint(), settings)).toBe(0);
    // At zero instances nothing asked for yet: one alarm period, provisioning, then 100 × 2 s over 2 slots.
    expect(etaSeconds(100, 0, endpoint(), settings)).toBe(60 + 120 + 100);
    // Five instances asked for, none in service yet, the model measured at 1 s a request: 100 × 1 s over 10 slots.
    expect(etaSeconds(100, 0, endpoint({ desired: 5, modelSecondsPerRequest: 1 }), settings)).toBe(120 + 10);
    expect(etaSeconds(1, 0, endpoint({ inService: 5, desired: 5, modelSecondsPerRequest: 0.001 }), settings)).toBe(1);
  });

  it('measures a batch younger than the window over its own age, and trusts capacity over pace while scaling out', () => {
    // Received 30 s ago, 20 finished since: 40 a minute, not 4.
    const young = [
      ...Array.from({ length: 20 }, () => ({ ...row('COMPLETED', 0.1), receivedAt: minutesAgo(0.5) })),
      { ...row('QUEUED'), receivedAt: minutesAgo(0.5) },
    ];
    expect(batchStatus('input/y/', young, endpoint({ inService: 1, desired: 1 }), settings, NOW).completedPerMinute).toBe(40);
    // 1 of 5 instances in service: provisioning, then 600 requests × 0.1 s over 10 slots, not 600 at the pace of one instance.
    expect(etaSeconds(600, 40, endpoint({ inService: 1, desired: 5, modelSecondsPerRequest: 0.1 }), settings)).toBe(120 + 6);
  });

  it('draws a progress bar of finished rows, and prints the cost beside the instances cost', () => {
    const status = batchStatus(
      'input/',
      [row('COMPLETED', 1, 0.5), row('QUEUED'), row('QUEUED'), row('FAILED', 1)],
      endpoint({ instanceSeconds: 7200 }),
      settings,
      NOW,
    );

    expect(progressBar(status, 10)).toBe('[#####.....] 50%');
    // 2 h at $0.23 billed, plus the row's $0.25 of S3 requests; its $0.25 instance share is in the $0.46.
    expect(formatStatus(status)).toContain('cost so far: $0.7100 as the bill would show it: $0.4600 of instance time');
    expect(formatStatus(status)).toContain("the rows' items, $0.5000 in all: instance share $0.250000, SageMaker data in/out $0.000000");
    expect(formatStatus(status)).toContain('S3 requests $0.250000, SNS publishes $0.000000, DynamoDB $0.000000, CloudWatch Logs $0.000000');
    expect(formatStatus(status)).toContain('queueing included');
  });
});
