import { batchesOf, type BatchRow } from '../../../local/dashboard/batches';
import type { DashboardData } from '../../../local/dashboard/data';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
const settings = { concurrency: 2, instancePricePerHour: 3.6, provisioningSeconds: 12, alarmSeconds: 6, defaultModelSecondsPerRequest: 2 };
// The endpoint at 10× time: 2 instances in service for the last 5 simulated minutes.
const endpoint = {
  timeScale: 10,
  status: {
    time: '2026-12-01T12:00:00.000Z',
    instances: { inService: 2, pending: 0, terminating: 0 },
    desiredInstanceCount: 2,
    backlog: 3,
  },
  metrics: Array.from({ length: 5 }, (_, i) => ({
    timestamp: new Date(Date.parse('2026-12-01T11:55:00.000Z') + i * 60_000).toISOString(),
    InstanceCount: 2,
    ModelLatencyMs: 100,
  })),
} as unknown as Pick<DashboardData, 'status' | 'metrics' | 'timeScale'>;

describe('the batches panel', () => {
  it('shows one status per batch, the most recently started first, each with its own counts, ETA and cost', () => {
    const rows: BatchRow[] = [
      { key: 'input/old/a.txt', batch: 'old', state: 'COMPLETED', receivedAt: at(50), completedAt: at(40), costUsd: 0.01 },
      { key: 'input/new/a.txt', batch: 'new', state: 'COMPLETED', receivedAt: at(0.5), completedAt: at(0.1), costUsd: 0.02 },
      { key: 'input/new/b.txt', batch: 'new', state: 'QUEUED', receivedAt: at(0.4) },
    ];

    const batches = batchesOf(rows, endpoint, settings, NOW);

    expect(batches.map((b) => [b.prefix, b.total, b.byState.QUEUED, b.etaSeconds > 0])).toEqual([
      ['new', 2, 1, true],
      ['old', 1, 0, false],
    ]);
    // "new" began 30 real seconds ago: 5 simulated minutes at 10×, 2 instances × 300 s at $0.001 a second.
    expect(batches[0]?.costUsd).toMatchObject({ articles: 0.02, instances: 0.6, bill: 0.6 });
  });
});
