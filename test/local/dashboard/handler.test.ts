import { createServer, type Server } from 'node:http';
import type { ArticleState, LedgerRow } from '../../../core/ledger';
import { makeDashboardHandler, type DashboardSource } from '../../../local/dashboard/routes';
import type { DashboardData } from '../../../local/dashboard/data';
import { cachedLedger, MAX_POINTS } from '../../../local/dashboard/data';
import { eventually } from '../../support/eventually';
import type { EndpointStatus, MetricDatapoint } from '../../../local/sagemaker-async/types';

const COUNTS: Record<ArticleState, number> = { QUEUED: 1, COMPLETED: 2, FAILED: 0, REJECTED: 0, EXPIRED: 0 };

const datapoint = (minute: number): MetricDatapoint => ({
  timestamp: new Date(Date.UTC(2026, 10, 26, 12, minute)).toISOString(),
  ApproximateBacklogSize: minute,
  ApproximateBacklogSizePerInstance: minute,
  ApproximateAgeOfOldestRequest: 0,
  HasBacklogWithoutCapacity: 0,
  InvocationsProcessed: 1,
  InvocationFailures: 0,
  ExpiredRequests: 0,
  NotificationFailures: 0,
  RequestDownloadFailures: 0,
  ResponseUploadFailures: 0,
  TotalProcessingTimeMs: null,
  TimeInBacklogMs: null,
  ModelLatencyMs: null,
  InstanceCount: 1,
  DesiredInstanceCount: 1,
});

const row = (key: string, summary: string): LedgerRow =>
  ({
    articleId: 'a'.repeat(32),
    bucket: 'b',
    key,
    state: 'COMPLETED',
    summary,
    receivedAt: '2026-11-26T12:00:00.000Z',
    totalMs: 1200,
  }) as LedgerRow;

/** A source whose ledger counts its reads, and whose reads can be held open. */
const fakeSource = () => {
  const reads = { counts: 0, latest: 0 };
  let release: (() => void) | undefined;
  let hold = false;
  const gate = () => (hold ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve());
  const source: DashboardSource = {
    status: () => ({ endpointName: 'e', variantName: 'AllTraffic', time: new Date().toISOString() }) as EndpointStatus,
    metrics: () => Array.from({ length: 300 }, (_, i) => datapoint(i)),
    scalingActivities: () => [
      { time: '2026-11-26T12:01:00.000Z', from: 0, to: 1, cause: 'first', policyName: 'p', description: 'd' },
      { time: '2026-11-26T12:05:00.000Z', from: 1, to: 2, cause: 'second', policyName: 'p', description: 'd' },
    ],
    ledger: {
      countsByState: async () => {
        reads.counts += 1;
        await gate();
        return COUNTS;
      },
      latest: async (limit) => {
        reads.latest += 1;
        const long = {
          ...row('input/long/paper.txt', ''),
          state: 'QUEUED',
          parts: 7,
          partsDone: 3,
          level: 0,
          levelSize: 7,
          requestCount: 7,
        } as LedgerRow;
        return [row('input/<b>bold</b>.txt', 'x'.repeat(1000)), long].slice(0, limit);
      },
    },
  };
  return { source, reads, holdReads: () => (hold = true), releaseReads: () => release?.() };
};

describe('the dashboard handler', () => {
  let server: Server;
  let base: string;
  let fake: ReturnType<typeof fakeSource>;
  let arrived: number;

  beforeEach(async () => {
    fake = fakeSource();
    arrived = 0;
    const handle = makeDashboardHandler(fake.source, { ledgerTtlMs: 60_000 });
    server = createServer((req, res) => {
      arrived += 1;
      void handle(req, res).then((handled) => {
        if (!handled) res.writeHead(418).end('not mine');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves the page, its script and uPlot from node_modules with their content types, and a strict CSP', async () => {
    const page = await fetch(`${base}/_dashboard`);
    const expected: Array<[string, string]> = [
      ['/_dashboard/', 'text/html; charset=utf-8'],
      ['/_dashboard/dashboard.js', 'text/javascript; charset=utf-8'],
      ['/_dashboard/dashboard.css', 'text/css; charset=utf-8'],
      ['/_dashboard/vendor/uPlot.iife.min.js', 'text/javascript; charset=utf-8'],
      ['/_dashboard/vendor/uPlot.min.css', 'text/css; charset=utf-8'],
    ];

    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script src="/_dashboard/vendor/uPlot.iife.min.js" defer></script>');
    for (const [path, type] of expected) {
      const res = await fetch(`${base}${path}`);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 200, type]);
    }
  });

  it('leaves /_localcloud/* to the stack and answers 404 and 405 for what it does not serve', async () => {
    expect((await fetch(`${base}/_localcloud/health`)).status).toBe(418);
    expect((await fetch(`${base}/_dashboardx`)).status).toBe(418);
    expect((await fetch(`${base}/_dashboard/nothing.js`)).status).toBe(404);
    expect((await fetch(`${base}/_dashboard/data.json`, { method: 'POST' })).status).toBe(405);
  });

  it('answers the last 180 simulated minutes, then only what is newer than `since`', async () => {
    const first = (await (await fetch(`${base}/_dashboard/data.json`)).json()) as DashboardData;
    const since = first.metrics.at(-3)?.timestamp ?? '';
    const next = (await (await fetch(`${base}/_dashboard/data.json?since=${encodeURIComponent(since)}`)).json()) as DashboardData;

    expect(first.metrics).toHaveLength(180);
    expect(first.metrics.at(-1)?.ApproximateBacklogSize).toBe(299);
    expect(first.periodMs).toBe(60_000);
    expect(next.metrics.map((d) => d.ApproximateBacklogSize)).toEqual([298, 299]);
    expect(first.scalingActivities.map((a) => a.cause)).toEqual(['second', 'first']);
    expect(first.ledger.counts).toEqual(COUNTS);
    expect(first.ledger.latest[0]?.key).toBe('input/<b>bold</b>.txt');
    expect(first.ledger.latest[0]?.summary).toHaveLength(400);
    expect(first.ledger.latest[0]?.progress).toBeUndefined();
    // A long article shows its parts progress.
    expect(first.ledger.latest[1]).toMatchObject({ key: 'input/long/paper.txt', state: 'QUEUED', progress: '3/7 parts' });
  });

  it('rejects a malformed since or points with 400 and the reason', async () => {
    const badSince = await fetch(`${base}/_dashboard/data.json?since=yesterday`);
    const badPoints = await fetch(`${base}/_dashboard/data.json?points=${MAX_POINTS + 1}`);

    expect([badSince.status, ((await badSince.json()) as { message: string }).message]).toEqual([
      400,
      'since must be an ISO timestamp; got "yesterday"',
    ]);
    expect(badPoints.status).toBe(400);
  });

  it('reads the ledger once for many tabs polling at the same time', async () => {
    fake.holdReads();
    const polls = Array.from({ length: 5 }, () => fetch(`${base}/_dashboard/data.json`).then((r) => r.status));
    await eventually(() => arrived === 5 && fake.reads.counts === 1, { what: 'five polls waiting on one ledger read' });
    fake.releaseReads();

    expect(await Promise.all(polls)).toEqual([200, 200, 200, 200, 200]);
    expect((await fetch(`${base}/_dashboard/data.json`)).status).toBe(200);
    expect(fake.reads).toEqual({ counts: 1, latest: 1 });
  });
});

describe('the dashboard data of supervised processes', () => {
  it('carries each process the local cloud supervises, and none when the source has none', async () => {
    // Prepare
    const dynamo = { name: 'DynamoDB (dynalite)', state: 'running' as const, pid: 42, restarts: 1, crashesInARow: 1 };
    const withProcesses = makeDashboardHandler({ ...fakeSource().source, processes: () => [dynamo] });
    const without = makeDashboardHandler(fakeSource().source);
    const server = createServer((req, res) => void (req.url?.includes('without') ? without : withProcesses)(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/_dashboard/data.json`;

    // Act
    const data = (await (await fetch(base)).json()) as DashboardData;
    const none = (await (await fetch(`${base}?without`)).json()) as DashboardData;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));

    // Assess
    expect(data.processes).toEqual([dynamo]);
    expect(none.processes).toEqual([]);
  });
});

describe('cachedLedger', () => {
  it('reads again after the TTL, or, when reads are slow, twice the read time after the last one ended', async () => {
    let now = 0;
    let reads = 0;
    const ledger = {
      countsByState: async () => {
        reads += 1;
        now += 800; // a slow read: 800 ms on a large ledger
        return COUNTS;
      },
      latest: async () => [],
    };
    const read = cachedLedger(ledger, { ttlMs: 1_000, now: () => now });

    await read(); // from 0 to 800: fresh until 800 + 2 × 800
    now = 2_300;
    await read();
    const cachedReads = reads;
    now = 2_500;
    await read();

    expect(cachedReads).toBe(1);
    expect(reads).toBe(2);
  });

  it('does not keep a failed read: the next poll tries again', async () => {
    let fail = true;
    const ledger = {
      countsByState: async () => {
        if (fail) throw new Error('dynamo down');
        return COUNTS;
      },
      latest: async () => [],
    };
    const read = cachedLedger(ledger, { ttlMs: 60_000 });

    await expect(read()).rejects.toThrow('dynamo down');
    fail = false;
    await expect(read()).resolves.toMatchObject({ counts: COUNTS });
  });
});
