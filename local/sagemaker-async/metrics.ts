/**
 * The AWS/SageMaker metrics of an async endpoint
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html), one datapoint per
 * simulated minute, and what CloudWatch can read of them at a given time: each minute's datapoint of
 * a metric becomes readable only a publication delay after the minute ends, so an alarm evaluated
 * meanwhile works on the minutes before it
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation).
 */

import { isoTime } from './clock';
import type { AlarmMetricName, CloudWatchTiming, MetricDatapoint, MetricStat } from './types';

export const METRIC_PERIOD_MS = 60_000;

/**
 * Simulated seconds from the end of a minute until its datapoints can be read, for every metric unless
 * CloudWatchTiming says otherwise. SageMaker publishes these metrics at 1-minute resolution (monitor
 * page, above) but documents no delay; AWS metrics typically arrive within a minute or two. UNVERIFIED.
 */
export const DEFAULT_PUBLICATION_DELAY_S = 30;

export const publicationDelayMs = (timing: CloudWatchTiming | undefined, metric: AlarmMetricName): number =>
  (timing?.publicationDelayS?.[metric] ?? timing?.publicationDelayS?.default ?? DEFAULT_PUBLICATION_DELAY_S) * 1000;

/** The metrics an alarm can watch, as named in AWS/SageMaker (the MetricDatapoint fields). */
export const ALARM_METRICS: readonly AlarmMetricName[] = [
  'ApproximateBacklogSize',
  'ApproximateBacklogSizePerInstance',
  'ApproximateAgeOfOldestRequest',
  'HasBacklogWithoutCapacity',
  'InvocationsProcessed',
  'InvocationFailures',
  'ExpiredRequests',
  'NotificationFailures',
  'RequestDownloadFailures',
  'ResponseUploadFailures',
];

const GAUGES: ReadonlySet<AlarmMetricName> = new Set([
  'ApproximateBacklogSize',
  'ApproximateBacklogSizePerInstance',
  'ApproximateAgeOfOldestRequest',
  'HasBacklogWithoutCapacity',
]);

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

  /**
   * What CloudWatch can read at `at` of one metric: a value per minute (statistic over the minute,
   * minuteStatistic), oldest first, for the minutes whose datapoint was published `delayMs` after
   * the minute ended. Only the last `minutes` recorded minutes are looked at.
   */
  published(stat: MetricStat, at: number, delayMs: number, minutes: number): MinuteValue[] {
    const from = Math.max(0, this.datapoints.length - minutes);
    const values: MinuteValue[] = [];
    for (let i = from; i < this.datapoints.length; i++) {
      const start = Date.parse((this.datapoints[i] as MetricDatapoint).timestamp);
      if (start + METRIC_PERIOD_MS + delayMs <= at) values.push({ start, value: minuteStatistic(this.datapoints, i, stat) });
    }
    return values;
  }

  all(): MetricDatapoint[] {
    return this.datapoints.map((d) => ({ ...d }));
  }
}

/** One minute of one metric: the minute's start (simulated epoch ms) and its statistic. */
export interface MinuteValue {
  start: number;
  value: number;
}

/**
 * A metric's statistic over minute `i` of the history. Counts are the minute's total. A gauge is
 * sampled once, as the minute closes, so its Average (and Sum) is that sample; its Maximum is at
 * least that sample and the previous one (the value as the minute began), and the Maximum of
 * ApproximateBacklogSize is at least 1 if a request finished or expired in the minute (it was in the
 * backlog until then); Minimum is the smaller of the two samples. How SageMaker samples within the
 * minute is not documented.
 */
export const minuteStatistic = (history: readonly MetricDatapoint[], i: number, { metricName, statistic }: MetricStat): number => {
  const d = history[i] as MetricDatapoint;
  const value = d[metricName];
  if (!GAUGES.has(metricName) || statistic === 'Average' || statistic === 'Sum') return value;
  const before = history[i - 1]?.[metricName] ?? 0;
  if (statistic === 'Minimum') return Math.min(value, before);
  const finished = metricName === 'ApproximateBacklogSize' && d.InvocationsProcessed + d.ExpiredRequests > 0 ? 1 : 0;
  return Math.max(value, before, finished);
};
