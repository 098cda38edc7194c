/**
 * The AWS/SageMaker metrics of an async endpoint
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html), one datapoint per
 * simulated minute. SageMaker publishes them at 1-minute resolution; target tracking and the
 * scale-from-zero alarm evaluate 60 s periods.
 */

import { isoTime } from './clock';
import type { MetricDatapoint } from './types';

export const METRIC_PERIOD_MS = 60_000;

export type CountMetric =
  | 'InvocationsProcessed'
  | 'InvocationFailures'
  | 'ExpiredRequests'
  | 'NotificationFailures'
  | 'RequestDownloadFailures'
  | 'ResponseUploadFailures';
export type LatencyMetric = 'TotalProcessingTimeMs' | 'TimeInBacklogMs' | 'ModelLatencyMs';

export interface Gauges {
  queued: number;
  inFlight: number;
  inService: number;
  desired: number;
  /** Simulated seconds the oldest queued request has waited. */
  oldestAgeS: number;
}

/**
 * The backlog gauges, from the definitions on the monitoring page:
 * - ApproximateBacklogSize: "the number of items in the queue for an endpoint that are currently
 *   being processed or yet to be processed" (queued + in flight).
 * - ApproximateBacklogSizePerInstance: "number of items in the queue divided by the number of
 *   instances behind an endpoint". With zero InService instances the division is undefined; the
 *   emulator reports the whole backlog (as if one instance were there), which is what makes target
 *   tracking leave zero "after the number of backlog requests exceeds the target tracking value"
 *   (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html). What SageMaker
 *   publishes in that case is UNVERIFIED.
 * - HasBacklogWithoutCapacity: 1 "when there are requests in the queue but zero instances behind the
 *   endpoint", else 0.
 */
export const backlogGauges = (g: Pick<Gauges, 'queued' | 'inFlight' | 'inService'>) => {
  const backlog = g.queued + g.inFlight;
  return {
    ApproximateBacklogSize: backlog,
    ApproximateBacklogSizePerInstance: g.inService > 0 ? backlog / g.inService : backlog,
    HasBacklogWithoutCapacity: (backlog > 0 && g.inService === 0 ? 1 : 0) as 0 | 1,
  };
};

const zeroCounts = (): Record<CountMetric, number> => ({
  InvocationsProcessed: 0,
  InvocationFailures: 0,
  ExpiredRequests: 0,
  NotificationFailures: 0,
  RequestDownloadFailures: 0,
  ResponseUploadFailures: 0,
});

const zeroLatencies = (): Record<LatencyMetric, { sum: number; n: number }> => ({
  TotalProcessingTimeMs: { sum: 0, n: 0 },
  TimeInBacklogMs: { sum: 0, n: 0 },
  ModelLatencyMs: { sum: 0, n: 0 },
});

/** Accumulates one period and turns it into a datapoint when the period closes. */
export class MetricsRecorder {
  private counts = zeroCounts();
  private latencies = zeroLatencies();
  private readonly datapoints: MetricDatapoint[] = [];

  constructor(
    private periodStart: number,
    private readonly maxDatapoints = 10_000,
  ) {}

  count(metric: CountMetric, n = 1): void {
    this.counts[metric] += n;
  }

  observe(metric: LatencyMetric, ms: number): void {
    this.latencies[metric].sum += ms;
    this.latencies[metric].n += 1;
  }

  /** Closes the current period with gauges sampled now; returns its datapoint. */
  closePeriod(gauges: Gauges, periodEnd: number): MetricDatapoint {
    const average = (metric: LatencyMetric) => {
      const { sum, n } = this.latencies[metric];
      return n === 0 ? null : Math.round(sum / n);
    };
    const datapoint: MetricDatapoint = {
      timestamp: isoTime(this.periodStart),
      ...backlogGauges(gauges),
      ApproximateAgeOfOldestRequest: Math.round(gauges.oldestAgeS),
      ...this.counts,
      TotalProcessingTimeMs: average('TotalProcessingTimeMs'),
      TimeInBacklogMs: average('TimeInBacklogMs'),
      ModelLatencyMs: average('ModelLatencyMs'),
      InstanceCount: gauges.inService,
      DesiredInstanceCount: gauges.desired,
    };
    this.datapoints.push(datapoint);
    if (this.datapoints.length > this.maxDatapoints) this.datapoints.shift();
    this.counts = zeroCounts();
    this.latencies = zeroLatencies();
    this.periodStart = periodEnd;
    return datapoint;
  }

  /** The datapoints so far, oldest first, without copying (for the autoscaler). */
  history(): readonly MetricDatapoint[] {
    return this.datapoints;
  }

  all(): MetricDatapoint[] {
    return this.datapoints.map((d) => ({ ...d }));
  }
}
