/**
 * CloudWatch metric alarm evaluation: the one evaluator every alarm of the endpoint goes through,
 * target tracking's generated AlarmHigh and AlarmLow and the alarms of the step policies alike
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation):
 *
 * - Each metric's per-minute values (as far as published when the alarm is evaluated, metrics.ts) are
 *   aggregated over the alarm's Period with its statistic; a metric-math alarm computes its
 *   expression from them (metric-math.ts).
 * - CloudWatch "attempts to retrieve a higher number of data points than specified by Evaluation
 *   Periods": the evaluation range. The documentation's example retrieves 5 for 3 evaluation
 *   periods; the emulator retrieves EvaluationPeriods + 2 for every alarm (UNVERIFIED beyond that example).
 * - With at least EvaluationPeriods datapoints in the range, the alarm is evaluated on "the most
 *   recent existing data points", however recent: a minute not yet published does not count, and
 *   TreatMissingData is not used.
 * - With fewer, `breaching` and `notBreaching` fill the gap; `missing` ("does not consider missing
 *   data points when evaluating whether to change state") and `ignore` ("the current alarm state is
 *   maintained") decide only when the datapoints there already reach DatapointsToAlarm (ALARM) or
 *   can no longer reach it (OK), and otherwise keep the state; `missing` with no datapoint at all is
 *   INSUFFICIENT_DATA.
 * - ALARM when at least DatapointsToAlarm of the EvaluationPeriods evaluated datapoints breach.
 */

import { compileExpression, type Series } from './metric-math';
import { METRIC_PERIOD_MS, type MinuteValue } from './metrics';
import type { MetricAlarm, MetricStat } from './types';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmEvaluation {
  state: AlarmState;
  /** The newest datapoint evaluated: the metric value Application Auto Scaling acts on. */
  latest?: number;
}

/** One metric's per-minute values as CloudWatch can read them at the evaluation. */
export type ReadMetric = (stat: MetricStat) => readonly MinuteValue[];

/** Datapoints retrieved beyond EvaluationPeriods (the documentation's example: 5 for 3). */
export const EXTRA_PERIODS_RETRIEVED = 2;

export class InvalidAlarmError extends Error {
  constructor(alarm: MetricAlarm, reason: string) {
    super(`alarm ${alarm.alarmName ?? '(unnamed)'}: ${reason}`);
    this.name = 'InvalidAlarmError';
  }
}

/** An alarm checked and ready to evaluate; `periods` gives its time series, complete periods only. */
export interface CompiledAlarm {
  readonly alarm: MetricAlarm;
  /** Metric minutes an evaluation looks at: the evaluation range in minutes. */
  readonly minutes: number;
  periods(read: ReadMetric, at: number, gridMs: number): Series;
}

const aggregate = (statistic: MetricStat['statistic'], values: number[]): number => {
  if (statistic === 'Maximum') return Math.max(...values);
  if (statistic === 'Minimum') return Math.min(...values);
  const sum = values.reduce((a, b) => a + b, 0);
  return statistic === 'Sum' ? sum : sum / values.length;
};

/** One metric over the alarm's periods (aligned on the metric minutes' grid), periods complete at `at` only. */
const perPeriod = (
  minutes: readonly MinuteValue[],
  statistic: MetricStat['statistic'],
  periodMs: number,
  at: number,
  gridMs: number,
): Series => {
  const byPeriod = new Map<number, number[]>();
  for (const { start, value } of minutes) {
    const period = start - ((((start - gridMs) % periodMs) + periodMs) % periodMs);
    if (period + periodMs > at) continue;
    byPeriod.set(period, [...(byPeriod.get(period) ?? []), value]);
  }
  return new Map([...byPeriod].map(([period, values]) => [period, aggregate(statistic, values)]));
};

/** Checks an alarm once (a bad one fails the endpoint's start) and prepares its time series. */
export const compileAlarm = (alarm: MetricAlarm): CompiledAlarm => {
  const periodMs = alarm.periodS * 1000;
  if (!Number.isInteger(alarm.periodS / 60) || alarm.periodS <= 0)
    throw new InvalidAlarmError(alarm, `Period ${alarm.periodS} is not a multiple of 60 s`);
  if (!(alarm.datapointsToAlarm >= 1 && alarm.datapointsToAlarm <= alarm.evaluationPeriods)) {
    throw new InvalidAlarmError(
      alarm,
      `DatapointsToAlarm ${alarm.datapointsToAlarm} must be 1..EvaluationPeriods (${alarm.evaluationPeriods})`,
    );
  }
  const minutes = (alarm.evaluationPeriods + EXTRA_PERIODS_RETRIEVED) * (alarm.periodS / 60);
  const { metric } = alarm;
  if (!('expression' in metric)) {
    return { alarm, minutes, periods: (read, at, gridMs) => perPeriod(read(metric), metric.statistic, periodMs, at, gridMs) };
  }
  const expression = compileExpression(metric.expression, Object.keys(metric.metrics));
  return {
    alarm,
    minutes,
    periods: (read, at, gridMs) =>
      expression(
        Object.fromEntries(
          Object.entries(metric.metrics).map(([id, stat]) => [id, perPeriod(read(stat), stat.statistic, periodMs, at, gridMs)]),
        ),
      ),
  };
};

const breaches = (alarm: MetricAlarm, value: number): boolean => {
  switch (alarm.comparisonOperator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= alarm.threshold;
    case 'GreaterThanThreshold':
      return value > alarm.threshold;
    case 'LessThanThreshold':
      return value < alarm.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= alarm.threshold;
  }
};

export interface EvaluationInput {
  read: ReadMetric;
  /** The evaluation time, simulated epoch ms. */
  at: number;
  /** The start of any metric minute: periods are aligned on the minutes. */
  gridMs: number;
  /** The alarm's state before this evaluation. */
  current: AlarmState;
}

/** One evaluation of one alarm. */
export const evaluateAlarm = (compiled: CompiledAlarm, { read, at, gridMs, current }: EvaluationInput): AlarmEvaluation => {
  const { alarm } = compiled;
  const periodMs = alarm.periodS * 1000;
  const lastStart = gridMs + Math.floor((at - gridMs) / periodMs) * periodMs - periodMs;
  const firstStart = lastStart - (alarm.evaluationPeriods + EXTRA_PERIODS_RETRIEVED - 1) * periodMs;
  const existing = [...compiled.periods(read, at, gridMs)]
    .filter(([start]) => start >= firstStart && start <= lastStart)
    .sort(([a], [b]) => a - b)
    .map(([, value]) => value);
  const n = alarm.evaluationPeriods;
  const m = alarm.datapointsToAlarm;
  const evaluated = existing.slice(-n);
  const latest = evaluated.at(-1);
  const breaching = evaluated.filter((v) => breaches(alarm, v)).length;
  const decide = (count: number): AlarmEvaluation => ({ state: count >= m ? 'ALARM' : 'OK', ...(latest === undefined ? {} : { latest }) });
  if (evaluated.length >= n) return decide(breaching);
  const missing = n - evaluated.length;
  if (alarm.treatMissingData === 'breaching') return decide(breaching + missing);
  if (alarm.treatMissingData === 'notBreaching') return decide(breaching);
  if (evaluated.length === 0 && alarm.treatMissingData === 'missing') return { state: 'INSUFFICIENT_DATA' };
  // missing / ignore: the datapoints there decide only if the missing ones could not change the outcome.
  if (breaching >= m || breaching + missing < m) return decide(breaching);
  return { state: current, ...(latest === undefined ? {} : { latest }) };
};

/** The metric minutes an evaluation of `compiled` reads, given the longest publication delay. */
export const minutesToRead = (compiled: CompiledAlarm, longestDelayMs: number): number =>
  compiled.minutes + Math.ceil(longestDelayMs / METRIC_PERIOD_MS) + 1;
