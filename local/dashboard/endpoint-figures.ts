import type { EndpointFigures } from '../../core/status/batch-status';
import { DEFAULTS } from '../defaults';
import type { DashboardData } from './data';

/**
 * The endpoint's figures for a batch's status (core/status/batch-status.ts) from the emulator's status and
 * its CloudWatch-shaped datapoints: instance-seconds are InService per simulated minute since the
 * batch began. Metric timestamps run on the simulated clock and ledger times on the wall clock, so
 * the batch's start is mapped onto the simulated clock with the measured time scale.
 */
export const localFigures = (data: Pick<DashboardData, 'status' | 'metrics' | 'timeScale'>, since: Date, now: Date): EndpointFigures => {
  const scale = data.timeScale ?? DEFAULTS.timeScale;
  const simNow = Date.parse(data.status.time);
  const simSince = simNow - (now.getTime() - since.getTime()) * scale;
  const periods = data.metrics.filter((d) => Date.parse(d.timestamp) + 60_000 > simSince);
  const latencies = data.metrics.flatMap((d) => (d.ModelLatencyMs === null ? [] : [d.ModelLatencyMs])).slice(-5);
  return {
    inService: data.status.instances.inService,
    desired: data.status.desiredInstanceCount,
    backlog: data.status.backlog,
    instanceSeconds: periods.reduce((sum, d) => sum + d.InstanceCount * 60, 0),
    ...(latencies.length > 0 ? { modelSecondsPerRequest: latencies.reduce((a, b) => a + b, 0) / latencies.length / 1000 } : {}),
  };
};
