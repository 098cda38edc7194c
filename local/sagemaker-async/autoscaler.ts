/**
 * Application Auto Scaling for the variant's DesiredInstanceCount, as resources/autoscaling.yml
 * declares it: a target tracking policy on ApproximateBacklogSizePerInstance (through the two alarms
 * it generates), a step policy triggered by the alarm on HasBacklogWithoutCapacity (out of zero) and
 * a step policy to exact capacity 0 triggered by the idle alarm (back to zero). Pure: scaling-loop.ts
 * evaluates every alarm when CloudWatch would (alarm-evaluation.ts) and calls decideCapacity() with
 * the alarms in ALARM at that moment; CloudWatch invokes an alarm's Auto Scaling action "for every
 * period that the alarm remains" in ALARM
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
 *
 * "Current capacity" is the scalable dimension itself, sagemaker:variant:DesiredInstanceCount
 * (instances still Pending count), so capacity being provisioned is never asked for twice.
 */

import type { MetricAlarm, ScalingActivity, ScalingConfig } from './types';

/**
 * The two alarms target tracking creates and manages. Application Auto Scaling scales out when the
 * metric is above the target and scales in only when it is "sufficiently below the target value
 * (usually more than 10% lower)"
 * (https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html).
 * The datapoint counts are not in the documentation; they are what the generated alarms show in the
 * console: AlarmHigh "metric > target for 3 datapoints within 3 minutes", AlarmLow "metric <
 * 0.9 × target for 15 datapoints within 15 minutes" (e.g. "CPUUtilization < 27 for 15 datapoints
 * within 15 minutes" for a target of 30 on an ECS service).
 */
export const TARGET_TRACKING_ALARMS = { highDatapoints: 3, lowDatapoints: 15, lowFactor: 0.9 } as const;

export interface PolicyNames {
  targetTracking: string;
  highAlarm: string;
  lowAlarm: string;
  stepScaling: string;
  stepAlarm: string;
  scaleInToZero: string;
  idleAlarm: string;
}

/** Policy names as resources/autoscaling.yml sets them; alarm names as Application Auto Scaling generates them. */
export const policyNames = (endpointName: string, variantName: string, scaling: ScalingConfig): PolicyNames => {
  const resource = `endpoint/${endpointName}/variant/${variantName}`;
  return {
    targetTracking: scaling.targetTracking?.policyName ?? `${endpointName}-backlog-per-instance`,
    highAlarm: `TargetTracking-${resource}-AlarmHigh`,
    lowAlarm: `TargetTracking-${resource}-AlarmLow`,
    stepScaling: scaling.stepScaling?.policyName ?? `${endpointName}-scale-out-from-zero`,
    stepAlarm: scaling.stepScaling?.alarm.alarmName ?? `${endpointName}-HasBacklogWithoutCapacity`,
    scaleInToZero: scaling.scaleInToZero?.policyName ?? `${endpointName}-scale-in-to-zero`,
    idleAlarm: scaling.scaleInToZero?.alarm.alarmName ?? `${endpointName}-EndpointIdle`,
  };
};

/** An alarm and the policy its AlarmActions invoke (for target tracking, the direction of its generated alarm). */
export interface ScalingAlarm {
  name: string;
  alarm: MetricAlarm;
  policy: 'targetTrackingOut' | 'targetTrackingIn' | 'stepScaling' | 'scaleInToZero';
}

/** Target tracking's generated alarm on ApproximateBacklogSizePerInstance; TreatMissingData as CloudWatch's default (UNVERIFIED). */
const generatedAlarm = (
  alarmName: string,
  comparisonOperator: MetricAlarm['comparisonOperator'],
  threshold: number,
  datapoints: number,
): MetricAlarm => ({
  alarmName,
  metric: { metricName: 'ApproximateBacklogSizePerInstance', statistic: 'Average' },
  periodS: 60,
  evaluationPeriods: datapoints,
  datapointsToAlarm: datapoints,
  threshold,
  comparisonOperator,
  treatMissingData: 'missing',
});

/** Every alarm that invokes a scaling policy: target tracking's AlarmHigh and AlarmLow, then the step policies' alarms. */
export const scalingAlarms = (scaling: ScalingConfig, names: PolicyNames): ScalingAlarm[] => {
  const alarms: ScalingAlarm[] = [];
  const tracking = scaling.targetTracking;
  if (tracking) {
    const { highDatapoints, lowDatapoints, lowFactor } = TARGET_TRACKING_ALARMS;
    alarms.push(
      {
        name: names.highAlarm,
        alarm: generatedAlarm(names.highAlarm, 'GreaterThanThreshold', tracking.targetValue, highDatapoints),
        policy: 'targetTrackingOut',
      },
      {
        name: names.lowAlarm,
        alarm: generatedAlarm(names.lowAlarm, 'LessThanThreshold', lowFactor * tracking.targetValue, lowDatapoints),
        policy: 'targetTrackingIn',
      },
    );
  }
  if (scaling.stepScaling) alarms.push({ name: names.stepAlarm, alarm: scaling.stepScaling.alarm, policy: 'stepScaling' });
  if (scaling.scaleInToZero) alarms.push({ name: names.idleAlarm, alarm: scaling.scaleInToZero.alarm, policy: 'scaleInToZero' });
  return alarms;
};

/** An alarm in ALARM invoking its policy, with the newest datapoint it evaluated. */
export interface AlarmInvocation {
  alarm: ScalingAlarm;
  value?: number;
}

export interface ScalingState {
  /** Simulated epoch ms. */
  now: number;
  desired: number;
  activities: readonly ScalingActivity[];
  scaling: ScalingConfig;
  names: PolicyNames;
}

export interface CapacityDecision {
  capacity: number;
  policyName: string;
  cause: string;
}

/**
 * "Scaling policies will never go higher or lower than the minimum-maximum range ... anytime a
 * scaling policy is invoked or the RegisterScalableTarget API is called, Application Auto Scaling
 * retrieves the current capacity and compares it to the minimum and maximum capacity. If it falls
 * outside of the minimum-maximum range, then the capacity is updated to comply"
 * (https://docs.aws.amazon.com/autoscaling/application/userguide/getting-started.html).
 */
export const clampCapacity = (capacity: number, scaling: Pick<ScalingConfig, 'minCapacity' | 'maxCapacity'>): number =>
  Math.min(scaling.maxCapacity, Math.max(scaling.minCapacity, capacity));

const alarmCause = (alarm: string, policy: string) => `monitor alarm ${alarm} in state ALARM triggered policy ${policy}`;

const lastActivity = (activities: readonly ScalingActivity[], policy: string, direction?: 'out' | 'in') =>
  [...activities]
    .reverse()
    .find((a) => a.policyName === policy && (direction === undefined || (direction === 'out' ? a.to > a.from : a.to < a.from)));

const within = (activity: ScalingActivity | undefined, cooldownS: number, now: number): activity is ScalingActivity =>
  activity !== undefined && now - Date.parse(activity.time) < cooldownS * 1000;

/**
 * Target tracking on ApproximateBacklogSizePerInstance, invoked by AlarmHigh. New capacity is
 * proportional to the metric, ceil(current × metric / target), "the higher the metric, the more
 * capacity is added" (target-tracking-scaling-policy-overview.html). At zero capacity the emulator
 * counts one instance: backlogGauges() reports the whole backlog as the per-instance value there, so
 * the policy leaves zero only once the backlog exceeds the target, as the SageMaker guide warns.
 */
const targetTrackingOut = (value: number, { desired, scaling, names }: ScalingState): CapacityDecision | undefined => {
  const policy = scaling.targetTracking;
  if (!policy) return undefined;
  // ScaleOutCooldown: "the capacity that has been added by the previous scale-out event that
  // initiated the cooldown is calculated as part of the desired capacity for the next scale out":
  // with capacity measured as DesiredInstanceCount, only a larger result scales out again.
  const capacity = Math.ceil((Math.max(desired, 1) * value) / policy.targetValue);
  return capacity > desired
    ? { capacity, policyName: names.targetTracking, cause: alarmCause(names.highAlarm, names.targetTracking) }
    : undefined;
};

/** Target tracking invoked by AlarmLow: scale in to ceil(current × metric / target), once the cooldowns allow. */
const targetTrackingIn = (value: number, { now, desired, activities, scaling, names }: ScalingState): CapacityDecision | undefined => {
  const policy = scaling.targetTracking;
  if (!policy) return undefined;
  const capacity = Math.ceil((desired * value) / policy.targetValue);
  if (capacity >= desired) return undefined;
  // ScaleInCooldown: "scale-in activities are blocked until the cooldown period has expired"
  // (API_TargetTrackingScalingPolicyConfiguration). The emulator also holds scale-in while any
  // policy's scale-out cooldown runs, so fresh capacity is not taken away before it served.
  if (within(lastActivity(activities, names.targetTracking, 'in'), policy.scaleInCooldownS, now)) return undefined;
  if (within(lastActivity(activities, names.targetTracking, 'out'), policy.scaleOutCooldownS, now)) return undefined;
  const step = scaling.stepScaling;
  if (step && within(lastActivity(activities, names.stepScaling, 'out'), step.cooldownS, now)) return undefined;
  return { capacity, policyName: names.targetTracking, cause: alarmCause(names.lowAlarm, names.targetTracking) };
};

/**
 * The step policy. Cooldown, for a scale-out: "The scaling policy won't increase the desired capacity
 * again unless either a larger scale out is triggered or the cooldown period ends. While the cooldown
 * period is in effect, capacity added by the initiating scale-out activity is calculated as part of
 * the desired capacity for the next scale-out activity" (an alarm adding 2, then 3 during the
 * cooldown, adds 1 more): with ChangeInCapacity, the adjustment less what the initiating activity
 * added, whatever happened to the capacity since. For a scale-in: "scale-in activities are blocked
 * until the cooldown period has expired"
 * (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-step-scaling-policies.html).
 * ExactCapacity sets the capacity to the adjustment, "a non-negative value"
 * (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepAdjustment.html): a
 * scale-out from below it, a scale-in from above it, which target tracking does not block
 * (API_PutScalingPolicy, see scaleInToZero below).
 */
const stepScaling = ({ now, desired, activities, scaling, names }: ScalingState): CapacityDecision | undefined => {
  const policy = scaling.stepScaling;
  if (!policy) return undefined;
  const previous = lastActivity(activities, names.stepScaling);
  const cooling = within(previous, policy.cooldownS, now);
  const decision = (capacity: number) => ({
    capacity,
    policyName: names.stepScaling,
    cause: alarmCause(names.stepAlarm, names.stepScaling),
  });
  if (policy.adjustmentType === 'ExactCapacity') {
    const capacity = policy.scalingAdjustment;
    if (capacity > desired) return decision(capacity);
    if (capacity === desired || within(lastActivity(activities, names.stepScaling, 'in'), policy.cooldownS, now)) return undefined;
    return decision(capacity);
  }
  if (policy.scalingAdjustment >= 0) {
    const added = cooling && previous.to > previous.from ? previous.to - previous.from : 0;
    const capacity = desired + Math.max(0, policy.scalingAdjustment - added);
    return capacity > desired ? decision(capacity) : undefined;
  }
  return cooling ? undefined : decision(desired + policy.scalingAdjustment);
};

/**
 * The step policy to ExactCapacity (0); at that capacity already, nothing changes. Its Cooldown
 * blocks only a further scale-in by it: "scale-in activities are blocked until the cooldown period
 * has expired" (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html).
 * Target tracking's cooldowns do not hold it: "if the step scaling policy initiates a scale-in
 * activity before the target tracking policy is ready to scale in, the scale-in activity will not be
 * blocked" (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html).
 */
const scaleInToZero = ({ now, desired, activities, scaling, names }: ScalingState): CapacityDecision | undefined => {
  const policy = scaling.scaleInToZero;
  if (!policy || policy.capacity >= desired) return undefined;
  if (within(lastActivity(activities, names.scaleInToZero, 'in'), policy.cooldownS, now)) return undefined;
  return { capacity: policy.capacity, policyName: names.scaleInToZero, cause: alarmCause(names.idleAlarm, names.scaleInToZero) };
};

const invoke = ({ alarm, value }: AlarmInvocation, state: ScalingState): CapacityDecision | undefined => {
  switch (alarm.policy) {
    case 'targetTrackingOut':
      return value === undefined ? undefined : targetTrackingOut(value, state);
    case 'targetTrackingIn':
      return value === undefined ? undefined : targetTrackingIn(value, state);
    case 'stepScaling':
      return stepScaling(state);
    case 'scaleInToZero':
      return scaleInToZero(state);
  }
};

/**
 * The policies invoked by the alarms in ALARM at one evaluation moment. "Application Auto Scaling
 * gives precedence to the policy that provides the largest capacity for both scale out and scale in"
 * (PutScalingPolicy): among the invocations that arrive together, which here means alarms evaluated
 * at the same second; an alarm evaluated at another second acts alone, on the capacity as it is then.
 * The result is clamped to [MinCapacity, MaxCapacity]. Undefined: no change.
 */
export const decideCapacity = (invocations: readonly AlarmInvocation[], state: ScalingState): CapacityDecision | undefined => {
  const candidates = invocations.map((i) => invoke(i, state)).filter((c): c is CapacityDecision => c !== undefined);
  if (candidates.length === 0) return undefined;
  const best = candidates.reduce((a, b) => (b.capacity > a.capacity ? b : a));
  const capacity = clampCapacity(best.capacity, state.scaling);
  return capacity === state.desired ? undefined : { ...best, capacity };
};
