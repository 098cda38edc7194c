import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { burstChart } from '../../bench/burst-chart';
import { uploadBurst, uploaderProgram } from '../../bench/burst-uploader';
import { runBurst, type BurstOptions } from '../../bench/burst';
import { instanceSeconds, percentile, saturatedThroughput, simAt, type Sample } from '../../bench/burst-stats';
import { projectRoot } from '../support/local-cloud';

const sample = (real: number, fields: Partial<Sample> = {}): Sample => ({
  real,
  sim: real * 10,
  inService: 0,
  pending: 0,
  terminating: 0,
  desired: 0,
  backlog: 0,
  queued: 0,
  completed: 0,
  submitPending: 0,
  ...fields,
});

describe('burst figures', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99), percentile([], 50)]).toEqual([50, 95, 99, 0]);
  });

  it('measures throughput only while every instance is busy and requests wait', () => {
    const samples = [
      sample(0, { inService: 1, queued: 5, completed: 0 }),
      sample(1000, { inService: 2, queued: 5, completed: 10 }),
      sample(2000, { inService: 2, queued: 4, completed: 30 }),
      sample(3000, { inService: 2, queued: 0, completed: 50 }),
    ];
    expect(saturatedThroughput(samples, 2)).toEqual({ perSecond: 20, seconds: 1 });
    expect(saturatedThroughput(samples, 3)).toBeUndefined();
  });

  it('counts instance-seconds in simulated time, and interpolates simulated time', () => {
    const samples = [sample(0, { inService: 1 }), sample(1000, { inService: 3 }), sample(2000)];
    expect(instanceSeconds(samples, 0, 20_000)).toBe(10 + 30);
    expect(simAt(samples, 1500)).toBe(15_000);
  });
});

describe('the burst uploader', () => {
  it('starts no upload before its turn when an upload rate is set', async () => {
    const server = createServer((req, res) => req.resume().on('end', () => res.writeHead(200, { etag: '"0"' }).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const keys = Array.from({ length: 20 }, (_, i) => `input/k${i}.txt`);
      const started = await uploadBurst(uploaderProgram(projectRoot), {
        edgeUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        region: 'us-east-1',
        bucket: 'b',
        keys,
        texts: ['Text {i}.'],
        concurrency: 8,
        rate: 100,
      });

      const first = started.get('input/k0.txt') as number;
      const early = keys.filter((key, i) => (started.get(key) as number) - first < i * 10 - 2);
      expect(early).toEqual([]);
    } finally {
      server.close();
    }
  });
});

describe('bench:burst, small', () => {
  const options: Omit<BurstOptions, 'targetTrackingOnly'> = {
    projectRoot,
    articles: 200,
    model: 'fixed',
    latencyMs: 20,
    maxInstances: 3,
    concurrencyPerInstance: 2,
    targetBacklogPerInstance: 5,
    // Slow enough that event-loop hiccups on a busy 2-core machine stay small in simulated time.
    timeScale: 120,
    provisioningDelayS: 30,
    timeoutMs: 120_000,
  };

  it('loses nothing, summarizes nothing twice, and reports every figure, for both scaling configurations', async () => {
    const ours = await runBurst({ ...options, targetTrackingOnly: false });
    const trackingOnly = await runBurst({ ...options, targetTrackingOnly: true });

    // Ours leaves zero on HasBacklogWithoutCapacity, so it finishes everything however slowly the machine
    // feeds it. Target tracking alone does not: when a loaded machine stalls submit-article long enough for
    // the endpoint to scale in to zero (15 simulated minutes are 7.5 s at 120x), requests that arrive after
    // it wait at zero instances while their backlog is at or below the target, as on AWS
    // (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html). So for it: every
    // article is COMPLETED or still queued in the endpoint, which is at zero with a backlog within the target.
    expect(ours.figures).toMatchObject({ articles: 200, lost: 0, duplicates: 0, byState: { COMPLETED: 200 } });
    const left = trackingOnly.samples.at(-1) as Sample;
    expect((trackingOnly.figures.byState.COMPLETED ?? 0) + left.backlog).toBe(200);
    expect(trackingOnly.figures.lost).toBe(left.backlog);
    // One model request per article: the endpoint accepted 200, no more.
    expect(trackingOnly.figures.duplicates).toBe(left.backlog);
    if (left.backlog > 0) {
      expect(left.backlog).toBeLessThanOrEqual(options.targetBacklogPerInstance);
      expect(left.inService + left.pending).toBe(0);
      expect(trackingOnly.figures.scalingActivities.some((a) => a.to === 0)).toBe(true);
    }

    for (const { figures } of [ours, trackingOnly]) {
      // How far a 200-article burst scales out depends on how fast this machine drains it (a busy one can
      // finish on the first instance), so: at least one instance, never more than the maximum, and never
      // more than the endpoint's own scaling activities asked for.
      const asked = figures.scalingActivities.map((a) => a.to);
      expect(figures.peakInstances).toBeGreaterThanOrEqual(1);
      expect(figures.peakInstances).toBeLessThanOrEqual(Math.max(...asked));
      expect(Math.max(...asked)).toBeLessThanOrEqual(3);
      expect(figures.overheadMs.p50).toBeGreaterThan(0);
      expect(figures.overheadMs.p50).toBeLessThanOrEqual(figures.overheadMs.p95);
      expect(figures.overheadMs.p95).toBeLessThanOrEqual(figures.overheadMs.p99);
      expect(figures.backToZeroS).toBeGreaterThan(0);
      expect(figures.costRatio).toBeGreaterThan(0);
      expect(figures.costRatio).toBeLessThanOrEqual(1);
      expect(figures.modelBoundPerSecond).toBe(300);
      // Every article holds a container slot for its whole model call, so no run beats the model-bound rate.
      expect(figures.endToEndPerSecond).toBeGreaterThan(0);
      expect(figures.endToEndPerSecond).toBeLessThanOrEqual(figures.modelBoundPerSecond);
      // CI and this machine run Linux, where the CPU of every part is read from /proc.
      const cpu = figures.cpuMsPerArticle;
      expect(cpu?.mainThread).toBeGreaterThan(0);
      expect(cpu?.functions).toBeGreaterThan(0);
      expect(cpu?.dynamodb).toBeGreaterThan(0);
      expect(cpu?.models).toBeGreaterThan(0);
      // A file create is a system call with a disk's bookkeeping behind it: never free.
      expect(figures.fileCreationMicros).toBeGreaterThan(0);
      // Memory, from readings during the run: every part is found (model servers live from the first
      // scale-out to back at zero, seconds, across several readings), no part's own peak is above the
      // peak of their sum, and that is at most the parts' peaks summed (whole MB: each rounds by ≤ 0.5).
      const rss = figures.peakRssMB;
      const parts = [rss?.mainProcess, rss?.lambdaHost, rss?.dynamodb, rss?.models] as number[];
      for (const part of parts) {
        expect(part).toBeGreaterThan(0);
        expect(part).toBeLessThanOrEqual(rss?.total as number);
      }
      expect(rss?.total).toBeLessThanOrEqual(parts.reduce((sum, part) => sum + part, 0) + parts.length / 2);
      // The own peaks (VmHWM) of the processes alive at the end. Not compared with the readings: the kernel
      // reads its RSS counters approximately, and raises VmHWM when memory is unmapped, not when reclaimed.
      expect(figures.rssHighWaterMarkMB?.mainProcess).toBeGreaterThan(0);
      expect(figures.rssHighWaterMarkMB?.dynamodb).toBeGreaterThan(0);
      expect(figures.rssHighWaterMarkMB?.lambdaHost).toBeGreaterThan(0);
    }
    // From zero, the step policy on HasBacklogWithoutCapacity acts first (after one alarm period); target
    // tracking alone waits for three datapoints above target. Which policy acted is the emulator's record;
    // how many simulated seconds that took is read by sampling in real time, so it is reported, not
    // compared (test/sagemaker-async/autoscaler.test.ts checks, datapoint by datapoint, when each policy acts).
    expect(ours.figures.scaleOutFromZeroS).toBeGreaterThan(0);
    expect(trackingOnly.figures.scaleOutFromZeroS).toBeGreaterThan(0);
    expect(ours.figures.scalingActivities[0]).toMatchObject({ from: 0, to: 1, policyName: 'research-summarizer-dev-scale-out-from-zero' });
    expect(trackingOnly.figures.scalingActivities[0]).toMatchObject({
      from: 0,
      policyName: 'research-summarizer-dev-backlog-per-instance',
    });

    const svg = burstChart([{ label: 'ours', samples: ours.samples, startReal: ours.samples[0]?.real ?? 0, color: '#000' }], 'burst <200>');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('burst &lt;200&gt;');
    expect(svg.match(/<path /g)).toHaveLength(4);
  }, 240_000);
});
