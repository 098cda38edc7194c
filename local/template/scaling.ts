/**
 * The endpoint's scaling, read from the packaged template: the scalable target's capacity, the
 * target-tracking policy, the scale-out step policy and the scale-in-to-zero (ExactCapacity) step
 * policy, each step policy with the CloudWatch alarm that triggers it.
 */

import type { ScalingConfig } from '../sagemaker-async';
import type { StepAlarm } from '../sagemaker-async/types';
import type { TemplateResource } from './cfn-intrinsics';
import type { TemplateView } from './template-view';

const adjustmentType = (p: TemplateResource) =>
  (p.Properties?.StepScalingPolicyConfiguration as { AdjustmentType?: string } | undefined)?.AdjustmentType;

/** A step policy as the emulator needs it: its cooldown, first step adjustment, and the alarm whose AlarmActions name it. */
const stepPolicyOf = ({ ofType, ev }: TemplateView, entry: [string, TemplateResource] | undefined) => {
  if (!entry) return undefined;
  const alarm = ofType('AWS::CloudWatch::Alarm')
    .map(([, a]) => a.Properties ?? {})
    .find((a) => JSON.stringify(a.AlarmActions ?? []).includes(`"${entry[0]}"`));
  if (!alarm) return undefined;
  const p = ev<{ StepScalingPolicyConfiguration: { Cooldown?: number; StepAdjustments?: { ScalingAdjustment: number }[] } }>(
    entry[1].Properties,
  );
  const a = ev<{ Period: number; EvaluationPeriods: number; DatapointsToAlarm?: number; Threshold: number }>(alarm);
  const alarmConfig: StepAlarm = {
    periodS: Number(a.Period),
    evaluationPeriods: Number(a.EvaluationPeriods),
    datapointsToAlarm: Number(a.DatapointsToAlarm ?? a.EvaluationPeriods),
    threshold: Number(a.Threshold),
  };
  // Application Auto Scaling's default cooldown is 300 s when a policy sets none.
  return {
    cooldownS: Number(p.StepScalingPolicyConfiguration.Cooldown ?? 300),
    adjustment: p.StepScalingPolicyConfiguration.StepAdjustments?.[0]?.ScalingAdjustment,
    alarm: alarmConfig,
  };
};

export const scalingOf = (view: TemplateView): ScalingConfig => {
  const { ofType, ev } = view;
  const [, target] = ofType('AWS::ApplicationAutoScaling::ScalableTarget')[0] ?? [];
  if (!target) throw new Error('the packaged template has no scalable target');
  const t = ev<{ MinCapacity: number; MaxCapacity: number }>(target.Properties);
  const policies = ofType('AWS::ApplicationAutoScaling::ScalingPolicy');
  const tracking = policies.map(([, p]) => ev<Record<string, any>>(p.Properties)).find((p) => p.PolicyType === 'TargetTrackingScaling'); // eslint-disable-line @typescript-eslint/no-explicit-any
  const isStep = (p: TemplateResource) => p.Properties?.PolicyType === 'StepScaling';
  const scaleOut = stepPolicyOf(
    view,
    policies.find(([, p]) => isStep(p) && adjustmentType(p) !== 'ExactCapacity'),
  );
  const toZero = stepPolicyOf(
    view,
    policies.find(([, p]) => isStep(p) && adjustmentType(p) === 'ExactCapacity'),
  );
  const tt = tracking?.TargetTrackingScalingPolicyConfiguration;
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
      ? { stepScaling: { cooldownS: scaleOut.cooldownS, scalingAdjustment: Number(scaleOut.adjustment ?? 1), alarm: scaleOut.alarm } }
      : {}),
    ...(toZero ? { scaleInToZero: { cooldownS: toZero.cooldownS, capacity: Number(toZero.adjustment ?? 0), alarm: toZero.alarm } } : {}),
  };
};
