/**
 * Application Auto Scaling for the variant's DesiredInstanceCount, as resources/autoscaling.yml
 * declares it: a target tracking policy on ApproximateBacklogSizePerInstance, a step policy
 * triggered by a CloudWatch alarm on HasBacklogWithoutCapacity (out of zero) and a step policy to
 * exact capacity 0 triggered by an alarm on ApproximateBacklogSize (back to zero). Pure: the endpoint calls
 * decideCapacity() once per metric period with the datapoints and activities so far.
 *
 * "Current capacity" is the scalable dimension itself, sagemaker:variant:DesiredInstanceCount
 * (instances still Pending count), so capacity being provisioned is never asked for twice.
 */

import type { MetricDatapoint, ScalingActivity, ScalingConfig } from './types';

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

export interface CapacityInput {
  /** Simulated epoch ms. */
  now: number;
  desired: number;
  /** Oldest first; the last one is the period that just closed. */
  history: readonly Pick<
    MetricDatapoint,
    | 'ApproximateBacklogSize'
    | 'ApproximateBacklogSizePerInstance'
    | 'HasBacklogWithoutCapacity'
    | 'InvocationsProcessed'
    | 'ExpiredRequests'
  >[];
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

const tail = <T>(values: readonly T[], n: number): T[] | undefined => (values.length >= n ? values.slice(-n) : undefined);

/**
 * Target tracking on ApproximateBacklogSizePerInstance. New capacity is proportional to the metric,
 * ceil(current × metric / target), "the higher the metric, the more capacity is added"
 * (target-tracking-scaling-policy-overview.html). At zero capacity the emulator counts one
 * instance: backlogGauges() reports the whole backlog as the per-instance value there, so the policy
 * leaves zero only once the backlog exceeds the target, as the SageMaker guide warns.
 */
const targetTracking = ({ now, desired, history, activities, scaling, names }: CapacityInput): CapacityDecision | undefined => {
  const policy = scaling.targetTracking;
  if (!policy) return undefined;
  const values = history.map((d) => d.ApproximateBacklogSizePerInstance);
  const latest = values.at(-1) ?? 0;

  const high = tail(values, TARGET_TRACKING_ALARMS.highDatapoints);
  if (high?.every((v) => v > policy.targetValue)) {
    // ScaleOutCooldown: "the capacity that has been added by the previous scale-out event that
    // initiated the cooldown is calculated as part of the desired capacity for the next scale out":
    // with capacity measured as DesiredInstanceCount, only a larger result scales out again.
    const capacity = Math.ceil((Math.max(desired, 1) * latest) / policy.targetValue);
    return capacity > desired
      ? { capacity, policyName: names.targetTracking, cause: alarmCause(names.highAlarm, names.targetTracking) }
      : undefined;
  }

  const low = tail(values, TARGET_TRACKING_ALARMS.lowDatapoints);
  if (low?.every((v) => v < TARGET_TRACKING_ALARMS.lowFactor * policy.targetValue)) {
    const capacity = Math.ceil((desired * latest) / policy.targetValue);
    if (capacity >= desired) return undefined;
    // ScaleInCooldown: "scale-in activities are blocked until the cooldown period has expired"
    // (API_TargetTrackingScalingPolicyConfiguration). The emulator also holds scale-in while any
    // policy's scale-out cooldown runs, so fresh capacity is not taken away before it served.
    if (within(lastActivity(activities, names.targetTracking, 'in'), policy.scaleInCooldownS, now)) return undefined;
    if (within(lastActivity(activities, names.targetTracking, 'out'), policy.scaleOutCooldownS, now)) return undefined;
    const step = scaling.stepScaling;
    if (step && within(lastActivity(activities, names.stepScaling, 'out'), step.cooldownS, now)) return undefined;
    return { capacity, policyName: names.targetTracking, cause: alarmCause(names.lowAlarm, names.targetTracking) };
  }
  return undefined;
};

/**
 * The CloudWatch alarm on HasBacklogWithoutCapacity: Statistic Average over Period, ALARM when at
 * least DatapointsToAlarm of the last EvaluationPeriods periods are >= Threshold
 * (GreaterThanOrEqualToThreshold, as in autoscaling.yml and the SageMaker guide). TreatMissingData
 * "missing": periods not yet seen are not counted either way. Periods are whole metric minutes.
 */
export const stepAlarmInAlarm = (values: readonly number[], alarm: NonNullable<ScalingConfig['stepScaling']>['alarm']): boolean => {
  const perPeriod = Math.max(1, Math.round(alarm.periodS / 60));
  const periods: number[] = [];
  for (let end = values.length; end - perPeriod >= 0 && periods.length < alarm.evaluationPeriods; end -= perPeriod) {
    const window = values.slice(end - perPeriod, end);
    periods.push(window.reduce((a, b) => a + b, 0) / window.length);
  }
  return periods.filter((v) => v >= alarm.threshold).length >= alarm.datapointsToAlarm;
};

/**
 * The step policy (AdjustmentType ChangeInCapacity). CloudWatch keeps invoking Auto Scaling actions
 * while the alarm stays in ALARM ("Except for Auto Scaling actions, the actions happen only on state
 * transitions", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html).
 * Cooldown: "While the cooldown period is in effect, capacity added by the initiating scale-out
 * activity is calculated as part of the desired capacity for the next scale-out activity"; scale-in
 * "activities are blocked until the cooldown period has expired"
 * (API_StepScalingPolicyConfiguration).
 */
const stepScaling = ({ now, desired, history, activities, scaling, names }: CapacityInput): CapacityDecision | undefined => {
  const policy = scaling.stepScaling;
  if (
    !policy ||
    !stepAlarmInAlarm(
      history.map((d) => d.HasBacklogWithoutCapacity),
      policy.alarm,
    )
  )
    return undefined;
  const previous = lastActivity(activities, names.stepScaling);
  const cooling = within(previous, policy.cooldownS, now);
  const decision = (capacity: number) => ({
    capacity,
    policyName: names.stepScaling,
    cause: alarmCause(names.stepAlarm, names.stepScaling),
  });
  if (policy.scalingAdjustment >= 0) {
    const base = cooling && previous.to > previous.from ? previous.from : desired;
    const capacity = base + policy.scalingAdjustment;
    return capacity > desired ? decision(capacity) : undefined;
  }
  return cooling ? undefined : decision(desired + policy.scalingAdjustment);
};

/**
 * The Maximum of ApproximateBacklogSize over each metric minute, as far as the emulator knows it: it
 * samples the backlog as a minute closes, so the minute's Maximum is at least that sample and the
 * previous one (the backlog as the minute began), and at least 1 if a request finished or expired
 * in it (it was in the backlog until then).
 */
export const backlogMaximum = (history: CapacityInput['history']): number[] =>
  history.map((d, i) =>
    Math.max(d.ApproximateBacklogSize, history[i - 1]?.ApproximateBacklogSize ?? 0, d.InvocationsProcessed + d.ExpiredRequests > 0 ? 1 : 0),
  );

/**
 * The CloudWatch alarm on ApproximateBacklogSize: Statistic Maximum over Period, ALARM when at least
 * DatapointsToAlarm of the last EvaluationPeriods periods are <= Threshold
 * (LessThanOrEqualToThreshold, as in autoscaling.yml); `values` are per-minute Maximums
 * (backlogMaximum). TreatMissingData "missing": with fewer periods than EvaluationPeriods seen, it
 * is not in ALARM.
 */
export const idleAlarmInAlarm = (values: readonly number[], alarm: NonNullable<ScalingConfig['scaleInToZero']>['alarm']): boolean => {
  const perPeriod = Math.max(1, Math.round(alarm.periodS / 60));
  const periods: number[] = [];
  for (let end = values.length; end - perPeriod >= 0 && periods.length < alarm.evaluationPeriods; end -= perPeriod) {
    periods.push(Math.max(...values.slice(end - perPeriod, end)));
  }
  return periods.filter((v) => v <= alarm.threshold).length >= alarm.datapointsToAlarm;
};

/**
 * The step policy to ExactCapacity (0). CloudWatch invokes it every period while the alarm stays in
 * ALARM (alarm-actions.html, above); at that capacity already, nothing changes. Its Cooldown blocks
 * only a further scale-in by it: "scale-in activities are blocked until the cooldown period has
 * expired" (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html).
 * Target tracking's cooldowns do not hold it: "if the step scaling policy initiates a scale-in
 * activity before the target tracking policy is ready to scale in, the scale-in activity will not be
 * blocked" (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html).
 */
const scaleInToZero = ({ now, desired, history, activities, scaling, names }: CapacityInput): CapacityDecision | undefined => {
  const policy = scaling.scaleInToZero;
  if (!policy || !idleAlarmInAlarm(backlogMaximum(history), policy.alarm)) return undefined;
  if (policy.capacity >= desired) return undefined;
  if (within(lastActivity(activities, names.scaleInToZero, 'in'), policy.cooldownS, now)) return undefined;
  return { capacity: policy.capacity, policyName: names.scaleInToZero, cause: alarmCause(names.idleAlarm, names.scaleInToZero) };
};

/**
 * One evaluation of every policy. "Application Auto Scaling gives precedence to the policy that
 * provides the largest capacity for both scale out and scale in" (PutScalingPolicy): among the
 * policies whose alarm is in ALARM in this period. A policy whose alarm is not (target tracking
 * while its low alarm still counts its 15 datapoints) asks for nothing, so the scale-in to zero
 * acts alone then. The result is clamped to [MinCapacity, MaxCapacity]. Undefined: no change.
 */
export const decideCapacity = (input: CapacityInput): CapacityDecision | undefined => {
  const candidates = [targetTracking(input), stepScaling(input), scaleInToZero(input)].filter(
    (c): c is CapacityDecision => c !== undefined,
  );
  if (candidates.length === 0) return undefined;
  const best = candidates.reduce((a, b) => (b.capacity > a.capacity ? b : a));
  const capacity = clampCapacity(best.capacity, input.scaling);
  return capacity === input.desired ? undefined : { ...best, capacity };
};
