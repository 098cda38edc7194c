import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { readStatus, statusJson, watchStatus, type StatusSource } from '../../cli/status';
import { localFigures } from '../../local/dashboard/endpoint-figures';
import type { BatchStatus } from '../../core/status/batch-status';
import type { LedgerRow } from '../../core/ledger';
import type { DashboardData } from '../../local/dashboard/data';
import { startEmulators, type Emulators } from '../support/emulators';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

const source: StatusSource = {
  settings: { concurrency: 2, instancePricePerHour: 0.23, provisioningSeconds: 12, alarmSeconds: 6, defaultModelSecondsPerRequest: 2 },
  endpoint: async () => ({ inService: 2, desired: 3, backlog: 4, instanceSeconds: 1800 }),
};

describe('npm run status against the ledger (dynalite)', () => {
  let emu: Emulators;
  let client: DynamoDBDocumentClient;
  const sent: string[] = [];

  beforeAll(async () => {
    emu = await startEmulators();
    // A client of its own, so every operation status sends is counted.
    client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: emu.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    );
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize' },
    );
    const rows: Partial<LedgerRow>[] = [
      ...Array.from({ length: 6 }, (_, i) => ({
        key: `input/physics/a${i}.txt`,
        batch: 'physics',
        state: 'COMPLETED' as const,
        completedAt: at(1),
        costUsd: 0.001,
        costItems: {
          instance: 0.0006,
          sagemakerData: 0,
          lambdaRequests: 0,
          lambdaDuration: 0.0003,
          s3Requests: 0.0001,
          snsPublishes: 0,
          dynamodb: 0,
          logs: 0,
        },
      })),
      ...Array.from({ length: 4 }, (_, i) => ({ key: `input/physics/deep/b${i}.txt`, batch: 'physics', state: 'QUEUED' as const })),
      { key: 'input/chemistry/c.txt', batch: 'chemistry', state: 'FAILED' as const, completedAt: at(2), costUsd: 0.002 },
      { key: 'input/top.txt', batch: '/', state: 'QUEUED' as const },
    ];
    for (const [i, row] of rows.entries()) {
      await emu.dynamo.send(
        new PutCommand({ TableName: emu.table, Item: { articleId: `a${i}`, receivedAt: at(10 - i / 100), day: '2026-12-01', ...row } }),
      );
    }
  });
  afterAll(async () => emu.stop());
  beforeEach(() => {
    sent.length = 0;
  });

  const target = () => ({ dynamo: client, table: emu.table, inputPrefix: 'input/' });

  it('counts a batch with one Query on byBatch, never a Scan', async () => {
    const status = await readStatus(target(), source, 'input/physics/', NOW);

    expect(status).toMatchObject({
      prefix: 'input/physics/',
      total: 10,
      byState: { QUEUED: 4, COMPLETED: 6, FAILED: 0, REJECTED: 0, EXPIRED: 0 },
      completedPerMinute: 1.2,
      instances: { inService: 2, desired: 3 },
      backlog: 4,
      costUsd: {
        articles: 0.006,
        instances: 0.115,
        // The rows' items summed (each row's costItems, projected by byBatch).
        items: {
          instance: 0.0036,
          sagemakerData: 0,
          lambdaRequests: 0,
          lambdaDuration: 0.0018,
          s3Requests: 0.0006,
          snsPublishes: 0,
          dynamodb: 0,
          logs: 0,
        },
        // The billed instance time replaces the rows' instance shares: 0.115 + 0.0018 + 0.0006.
        bill: 0.1174,
      },
    });
    expect(status.etaSeconds).toBeGreaterThan(0);
    expect(sent).toEqual(['QueryCommand']);
  });

  it('narrows to a deeper prefix with a filter on the same Query, and counts everything with one Query per state', async () => {
    expect((await readStatus(target(), source, 'physics/deep/', NOW)).total).toBe(4);
    expect(sent).toEqual(['QueryCommand']);

    sent.length = 0;
    const all = await readStatus(target(), source, undefined, NOW);
    expect(all).toMatchObject({ prefix: 'input/', total: 12, byState: { QUEUED: 5, COMPLETED: 6, FAILED: 1 } });
    expect(sent).toEqual(Array.from({ length: 5 }, () => 'QueryCommand'));
  });

  it('prints exactly the documented JSON keys', async () => {
    const json = JSON.parse(statusJson(await readStatus(target(), source, 'chemistry', NOW))) as Record<string, unknown>;

    expect(Object.keys(json)).toEqual([
      'prefix',
      'total',
      'byState',
      'completedPerMinute',
      'etaSeconds',
      'instances',
      'backlog',
      'costUsd',
    ]);
    expect(json).toMatchObject({ total: 1, etaSeconds: 0, byState: { FAILED: 1 } });
  });

  it('--watch redraws until nothing is queued', async () => {
    const readings: Array<Pick<BatchStatus, 'total' | 'byState'>> = [
      { total: 2, byState: { QUEUED: 2, COMPLETED: 0, FAILED: 0, REJECTED: 0, EXPIRED: 0 } },
      { total: 2, byState: { QUEUED: 1, COMPLETED: 1, FAILED: 0, REJECTED: 0, EXPIRED: 0 } },
      { total: 2, byState: { QUEUED: 0, COMPLETED: 2, FAILED: 0, REJECTED: 0, EXPIRED: 0 } },
    ];
    const screens: string[] = [];
    let n = 0;
    const base = await readStatus(target(), source, 'chemistry', NOW);

    const last = await watchStatus(
      async () => ({ ...base, ...readings[n++] }),
      (text) => screens.push(text),
      1,
    );

    expect(screens).toHaveLength(3);
    expect(screens.every((s) => s.startsWith('\x1b[2J\x1b[H'))).toBe(true);
    expect(last.byState.QUEUED).toBe(0);
  });
});

describe("the local cloud's endpoint figures", () => {
  it('count InService instances per simulated minute since the batch began, mapped with the time scale', () => {
    // The batch began 30 real seconds ago: 300 simulated seconds at 10×, five minutes.
    const minute = (i: number, inService: number) => ({
      timestamp: new Date(Date.parse('2026-12-01T12:00:00.000Z') + i * 60_000).toISOString(),
      InstanceCount: inService,
      ModelLatencyMs: inService ? 100 : null,
    });
    const data = {
      generatedAt: NOW.toISOString(),
      timeScale: 10,
      status: {
        time: '2026-12-01T12:10:00.000Z',
        instances: { inService: 3, pending: 0, terminating: 0 },
        desiredInstanceCount: 4,
        backlog: 7,
      },
      metrics: [minute(0, 5), minute(1, 5), minute(5, 1), minute(6, 2), minute(7, 3), minute(8, 3), minute(9, 3)],
    } as unknown as DashboardData;

    expect(localFigures(data, new Date(NOW.getTime() - 30_000), NOW)).toEqual({
      inService: 3,
      desired: 4,
      backlog: 7,
      instanceSeconds: (1 + 2 + 3 + 3 + 3) * 60,
      modelSecondsPerRequest: 0.1,
    });
  });
});
