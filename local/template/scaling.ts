/**
 * The endpoint's scaling, read from the packaged template: the scalable target's capacity, the
 * target-tracking policy, the scale-out step policy and the scale-in-to-zero (ExactCapacity) step
 * policy, each step policy with the CloudWatch alarm whose AlarmActions name it, read whole: its
 * metric or metric-math expression, statistic, comparison and TreatMissingData
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html).
 * An alarm the emulator cannot evaluate as CloudWatch would stops the local cloud here, by name.
 */

import type { ScalingConfig } from '../sagemaker-async/types';
import { compileAlarm } from '../sagemaker-async/alarm-evaluation';
import { ALARM_METRICS } from '../sagemaker-async/metrics';
import type { AlarmMetricName, AlarmStatistic, MetricAlarm, MetricStat } from '../sagemaker-async/types';
import type { TemplateResource } from './cfn-intrinsics';
import type { TemplateView } from './template-view';

export class UnsupportedAlarmError extends Error {
  constructor(logicalId: string, reason: string) {
    super(`the packaged template's alarm ${logicalId}: ${reason}`);
    this.name = 'UnsupportedAlarmError';
  }
}

const stepConfig = (p: TemplateResource) =>
  p.Properties?.StepScalingPolicyConfiguration as
    { AdjustmentType?: string; StepAdjustments?: { ScalingAdjustment?: unknown }[] } | undefined;

/** The scale-in to zero: ExactCapacity 0. Any other step policy is the scale-out from zero (ChangeInCapacity or ExactCapacity n > 0). */
const isToZero = (p: TemplateResource) =>
  stepConfig(p)?.AdjustmentType === 'ExactCapacity' && Number(stepConfig(p)?.StepAdjustments?.[0]?.ScalingAdjustment) === 0;

interface CfnMetric {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value: unknown }[];
}

interface CfnAlarm extends CfnMetric {
  Statistic?: string;
  ExtendedStatistic?: string;
  Period?: number;
  Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: CfnMetric; Period: number; Stat: string }; ReturnData?: boolean }[];
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
}

const STATISTICS: readonly AlarmStatistic[] = ['Average', 'Maximum', 'Minimum', 'Sum'];
const COMPARISONS: readonly MetricAlarm['comparisonOperator'][] = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
];
const MISSING_DATA: readonly MetricAlarm['treatMissingData'][] = ['missing', 'ignore', 'breaching', 'notBreaching'];

/** The alarm as the emulator evaluates it; throws UnsupportedAlarmError on anything it would evaluate otherwise than CloudWatch. */
const alarmOf = (logicalId: string, a: CfnAlarm, endpointName: string): MetricAlarm => {
  const fail = (reason: string): never => {
    throw new UnsupportedAlarmError(logicalId, reason);
  };
  const metricStat = ({ Namespace, MetricName, Dimensions }: CfnMetric, statistic: string | undefined): MetricStat => {
    if (Namespace !== 'AWS/SageMaker' || !ALARM_METRICS.includes(MetricName as AlarmMetricName)) {
      fail(`${Namespace}/${MetricName} is not a metric of the emulated endpoint (${ALARM_METRICS.join(', ')})`);
    }
    const dimensions = JSON.stringify(Dimensions ?? []);
    if (dimensions !== JSON.stringify([{ Name: 'EndpointName', Value: endpointName }]))
      fail(`dimensions ${dimensions} are not EndpointName=${endpointName}`);
    if (!STATISTICS.includes(statistic as AlarmStatistic)) fail(`statistic ${statistic} is not one of ${STATISTICS.join(', ')}`);
    return { metricName: MetricName as AlarmMetricName, statistic: statistic as AlarmStatistic };
  };
  let metric: MetricAlarm['metric'];
  let periodS: number;
  if (a.Metrics) {
    // "specify true for the one expression result to use as the alarm": ReturnData defaults to true.
    const returned = a.Metrics.filter((m) => m.ReturnData !== false);
    const result = returned[0];
    if (returned.length !== 1 || !result) return fail(`exactly one of Metrics must return data, ${returned.length} do`);
    const stats = a.Metrics.filter((m) => m.MetricStat);
    const periods = new Set(stats.map((m) => Number(m.MetricStat?.Period)));
    if (periods.size !== 1) fail('every metric of a math expression must have the same Period');
    periodS = [...periods][0] as number;
    const byId = Object.fromEntries(stats.map((m) => [m.Id, metricStat(m.MetricStat?.Metric ?? {}, m.MetricStat?.Stat)]));
    if (result.Expression !== undefined) {
      if (a.Metrics.some((m) => m !== result && m.Expression !== undefined)) fail('only the returned entry may be an expression');
      metric = { expression: result.Expression, metrics: byId };
    } else {
      metric = byId[result.Id] as MetricStat;
    }
  } else {
    if (a.ExtendedStatistic !== undefined) fail(`ExtendedStatistic ${a.ExtendedStatistic} is not supported`);
    metric = metricStat(a, a.Statistic);
    periodS = Number(a.Period);
  }
  const comparisonOperator = a.ComparisonOperator as MetricAlarm['comparisonOperator'];
  if (!COMPARISONS.includes(comparisonOperator)) fail(`ComparisonOperator ${a.ComparisonOperator} is not one of ${COMPARISONS.join(', ')}`);
  // "If this parameter is omitted, the default behavior of missing is used."
  const treatMissingData = (a.TreatMissingData ?? 'missing') as MetricAlarm['treatMissingData'];
  if (!MISSING_DATA.includes(treatMissingData)) fail(`TreatMissingData ${a.TreatMissingData} is not one of ${MISSING_DATA.join(', ')}`);
  const alarm: MetricAlarm = {
    metric,
    periodS,
    evaluationPeriods: Number(a.EvaluationPeriods),
    datapointsToAlarm: Number(a.DatapointsToAlarm ?? a.EvaluationPeriods),
    threshold: Number(a.Threshold),
    comparisonOperator,
    treatMissingData,
  };
  try {
    compileAlarm(alarm);
  } catch (cause) {
    throw new UnsupportedAlarmError(logicalId, cause instanceof Error ? cause.message : String(cause));
  }
  return alarm;
};

/** A step policy as the emulator needs it: its cooldown, first step adjustment, and the alarm whose AlarmActions name it. */
const stepPolicyOf = ({ ofType, ev }: TemplateView, entry: [string, TemplateResource] | undefined, endpointName: string) => {
  if (!entry) return undefined;
  const found = ofType('AWS::CloudWatch::Alarm').find(([, a]) =>
    JSON.stringify(a.Properties?.AlarmActions ?? []).includes(`"${entry[0]}"`),
  );
  if (!found) return undefined;
  const p = ev<{
    StepScalingPolicyConfiguration: { AdjustmentType?: string; Cooldown?: number; StepAdjustments?: { ScalingAdjustment: number }[] };
  }>(entry[1].Properties);
  // Application Auto Scaling's default cooldown is 300 s when a policy sets none.
  return {
    adjustmentType:
      p.StepScalingPolicyConfiguration.AdjustmentType === 'ExactCapacity' ? ('ExactCapacity' as const) : ('ChangeInCapacity' as const),
    cooldownS: Number(p.StepScalingPolicyConfiguration.Cooldown ?? 300),
    adjustment: p.StepScalingPolicyConfiguration.StepAdjustments?.[0]?.ScalingAdjustment,
    alarm: alarmOf(found[0], ev<CfnAlarm>(found[1].Properties), endpointName),
  };
};

export const scalingOf = (view: TemplateView): ScalingConfig => {
  const { ofType, ev } = view;
  const [, target] = ofType('AWS::ApplicationAutoScaling::ScalableTarget')[0] ?? [];
  if (!target) throw new Error('the packaged template has no scalable target');
  const [, endpoint] = ofType('AWS::SageMaker::Endpoint')[0] ?? [];
  const endpointName = String(ev<{ EndpointName?: string }>(endpoint?.Properties ?? {}).EndpointName);
  const t = ev<{ MinCapacity: number; MaxCapacity: number }>(target.Properties);
  const policies = ofType('AWS::ApplicationAutoScaling::ScalingPolicy');
  const tracking = policies.map(([, p]) => ev<Record<string, any>>(p.Properties)).find((p) => p.PolicyType === 'TargetTrackingScaling'); // eslint-disable-line @typescript-eslint/no-explicit-any
  const isStep = (p: TemplateResource) => p.Properties?.PolicyType === 'StepScaling';
  const scaleOut = stepPolicyOf(
    view,
    policies.find(([, p]) => isStep(p) && !isToZero(p)),
    endpointName,
  );
  const toZero = stepPolicyOf(
    view,
    policies.find(([, p]) => isStep(p) && isToZero(p)),
    endpointName,
  );
  const tt = tracking?.TargetTrackingScalingPolicyConfiguration;
  // The emulator tracks the backlog per instance only (autoscaler.ts).
  const tracked = tt?.CustomizedMetricSpecification as { MetricName?: string; Statistic?: string } | undefined;
  if (tt && (tracked?.MetricName !== 'ApproximateBacklogSizePerInstance' || tracked.Statistic !== 'Average')) {
    throw new Error(
      `the packaged template's target tracking on ${tracked?.MetricName} (${tracked?.Statistic}): the local cloud tracks ApproximateBacklogSizePerInstance (Average) only`,
    );
  }
  return {
    minCapacity: Number(t.MinCapacity),
    maxCapacity: Number(t.MaxCapacity),
    ...(tt
      ? {
          targetTracking: {
            targetValue: Number(tt.TargetValue),
            scaleInCooldownS: Number(tt.ScaleInCooldown ?? 300),
            scaleOutCooldownS: Number(tt.ScaleOutCooldown ?? 300),
          },
        }
      : {}),
    ...(scaleOut
      ? {
          stepScaling: {
            cooldownS: scaleOut.cooldownS,
            adjustmentType: scaleOut.adjustmentType,
            scalingAdjustment: Number(scaleOut.adjustment ?? 1),
            alarm: scaleOut.alarm,
          },
        }
      : {}),
    ...(toZero ? { scaleInToZero: { cooldownS: toZero.cooldownS, capacity: Number(toZero.adjustment ?? 0), alarm: toZero.alarm } } : {}),
  };
};
