/**
 * The endpoint's scaling, read from the packaged template: the scalable target's capacity, the
 * target-tracking policy, the scale-out step policy and the scale-in-to-zero (ExactCapacity) step
 * policy, each step policy with the CloudWatch alarm that triggers it.
 */

import type { ScalingConfig } from '../sagemaker-async';
import type { TemplateResource } from './cfn-intrinsics';
import type { TemplateView } from './template-view';

const adjustmentType = (p: TemplateResource) =>
  (p.Properties?.StepScalingPolicyConfiguration as { AdjustmentType?: string } | undefined)?.AdjustmentType;

export const scalingOf = (view: TemplateView): ScalingConfig => {
  const { ofType, ev } = view;
  const [, target] = ofType('AWS::ApplicationAutoScaling::ScalableTarget')[0] ?? [];
  if (!target) throw new Error('the packaged template has no scalable target');
  const t = ev<{ MinCapacity: number; MaxCapacity: number }>(target.Properties);
  const policies = ofType('AWS::ApplicationAutoScaling::ScalingPolicy');
  const tracking = policies.map(([, p]) => ev<Record<string, any>>(p.Properties)).find((p) => p.PolicyType === 'TargetTrackingScaling'); // eslint-disable-line @typescript-eslint/no-explicit-any
  const stepEntry = policies.find(([, p]) => p.Properties?.PolicyType === 'StepScaling' && adjustmentType(p) !== 'ExactCapacity');
  const alarm = stepEntry
    ? ofType('AWS::CloudWatch::Alarm')
        .map(([, a]) => a.Properties ?? {})
        .find((a) => JSON.stringify(a.AlarmActions ?? []).includes(`"${stepEntry[0]}"`))
    : undefined;
  const step = stepEntry ? ev<Record<string, any>>(stepEntry[1].Properties).StepScalingPolicyConfiguration : undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  const tt = tracking?.TargetTrackingScalingPolicyConfiguration;
  return {
    minCapacity: Number(t.MinCapacity),
    maxCapacity: Number(t.MaxCapacity),
    // Application Auto Scaling's default cooldown is 300 s when a policy sets none.
    ...(tt
      ? {
          targetTracking: {
            targetValue: Number(tt.TargetValue),
            scaleInCooldownS: Number(tt.ScaleInCooldown ?? 300),
            scaleOutCooldownS: Number(tt.ScaleOutCooldown ?? 300),
          },
        }
      : {}),
    ...(step && alarm
      ? {
          stepScaling: {
            cooldownS: Number(step.Cooldown ?? 300),
            scalingAdjustment: Number(step.StepAdjustments?.[0]?.ScalingAdjustment ?? 1),
            alarm: {
              periodS: Number(alarm.Period),
              evaluationPeriods: Number(alarm.EvaluationPeriods),
              datapointsToAlarm: Number(alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods),
              threshold: Number(alarm.Threshold),
            },
          },
        }
      : {}),
    ...scaleInToZeroOf(view, policies),
  };
};

/** The ExactCapacity step policy and the alarm whose AlarmActions name it (resources/autoscaling.yml). */
const scaleInToZeroOf = ({ ofType, ev }: TemplateView, policies: [string, TemplateResource][]): Pick<ScalingConfig, 'scaleInToZero'> => {
  const entry = policies.find(([, p]) => p.Properties?.PolicyType === 'StepScaling' && adjustmentType(p) === 'ExactCapacity');
  if (!entry) return {};
  const alarm = ofType('AWS::CloudWatch::Alarm')
    .map(([, a]) => a.Properties ?? {})
    .find((a) => JSON.stringify(a.AlarmActions ?? []).includes(`"${entry[0]}"`));
  if (!alarm) return {};
  const p = ev<{ StepScalingPolicyConfiguration: { Cooldown?: number; StepAdjustments?: { ScalingAdjustment: number }[] } }>(
    entry[1].Properties,
  );
  const a = ev<{ Period: number; EvaluationPeriods: number; DatapointsToAlarm?: number; Threshold: number }>(alarm);
  return {
    scaleInToZero: {
      cooldownS: Number(p.StepScalingPolicyConfiguration.Cooldown ?? 300),
      capacity: Number(p.StepScalingPolicyConfiguration.StepAdjustments?.[0]?.ScalingAdjustment ?? 0),
      alarm: {
        periodS: Number(a.Period),
        evaluationPeriods: Number(a.EvaluationPeriods),
        datapointsToAlarm: Number(a.DatapointsToAlarm ?? a.EvaluationPeriods),
        threshold: Number(a.Threshold),
      },
    },
  };
};
