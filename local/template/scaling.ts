/**
 * The endpoint's scaling, read from the packaged template: the scalable target's capacity, the
 * target-tracking policy and the step policy with the CloudWatch alarm that triggers it.
 */

import type { ScalingConfig } from '../sagemaker-async';
import type { TemplateView } from './template-view';

export const scalingOf = ({ ofType, ev }: TemplateView): ScalingConfig => {
  const [, target] = ofType('AWS::ApplicationAutoScaling::ScalableTarget')[0] ?? [];
  if (!target) throw new Error('the packaged template has no scalable target');
  const t = ev<{ MinCapacity: number; MaxCapacity: number }>(target.Properties);
  const policies = ofType('AWS::ApplicationAutoScaling::ScalingPolicy');
  const tracking = policies.map(([, p]) => ev<Record<string, any>>(p.Properties)).find((p) => p.PolicyType === 'TargetTrackingScaling'); // eslint-disable-line @typescript-eslint/no-explicit-any
  const stepEntry = policies.find(([, p]) => p.Properties?.PolicyType === 'StepScaling');
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
    ...(tt ? { targetTracking: { targetValue: Number(tt.TargetValue), scaleInCooldownS: Number(tt.ScaleInCooldown ?? 300), scaleOutCooldownS: Number(tt.ScaleOutCooldown ?? 300) } } : {}),
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
  };
};
