import { runFaults } from '../../bench/faults';
import { projectRoot } from '../support/local-cloud';

describe('bench:faults logic, small', () => {
  it('drives a burst with every fault on to one terminal row per article and reports it', async () => {
    const report = await runFaults({
      projectRoot,
      articles: 100,
      timeScale: 60,
      badInputRate: 0.1,
      edge: { s3: 0.05, dynamodb: 0.05, duplicates: 0.2 },
      model: { latencyMs: 20, errorRate: 0.1, crashAfter: 10, slowRate: 0.05, failStartRate: 0.2 },
      invocationTimeoutSeconds: 1,
      requestTtlSeconds: 21600,
      timeoutMs: 150_000,
    });

    expect(report).toMatchObject({ articles: 100, terminal: 100, lost: 0 });
    expect(Object.values(report.byState).reduce((a, b) => a + b, 0)).toBe(100);
    // Every fifth body of ten is bad; each of the five kinds ends REJECTED with its own reason.
    expect(report.byState.REJECTED).toBe(10);
    expect(Object.keys(report.reasons).filter((r) => r.startsWith('REJECTED')).length).toBe(5);
    expect(report.byState.FAILED).toBeGreaterThan(0);
    expect(report.injected.duplicates).toBeGreaterThan(0);
    expect((report.injected.s3 ?? 0) + (report.injected.dynamodb ?? 0)).toBeGreaterThan(0);
    expect(report.instanceEvents['instance died mid-request, retrying the request']).toBeGreaterThan(0);
  }, 200_000);
});
