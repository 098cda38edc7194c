import {
  backlogMaximum,
  decideCapacity,
  idleAlarmInAlarm,
  policyNames,
  stepAlarmInAlarm,
  type CapacityInput,
} from '../../../local/sagemaker-async/autoscaler';
import { backlogGauges } from '../../../local/sagemaker-async/metrics';
import type { ScalingActivity, ScalingConfig } from '../../../local/sagemaker-async';

const MINUTE = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

const targetTracking = { targetValue: 2, scaleInCooldownS: 300, scaleOutCooldownS: 120 };
const stepScaling = {
  cooldownS: 120,
  scalingAdjustment: 1,
  alarm: { periodS: 60, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 1 },
};
const names = policyNames('ep', 'AllTraffic', {} as ScalingConfig);

/** One datapoint per minute, computed from backlog and InService count as the endpoint does. */
const history = (...minutes: Array<[backlog: number, inService: number, processed?: number]>) =>
  minutes.map(([backlog, inService, processed = 0]) => ({
    ...backlogGauges({ queued: backlog, inFlight: 0, inService }),
    InvocationsProcessed: processed,
    ExpiredRequests: 0,
  }));

const activity = (minute: number, from: number, to: number, policyName: string): ScalingActivity => ({
  time: new Date(T0 + minute * MINUTE).toISOString(),
  from,
  to,
  policyName,
  cause: 'test',
  description: `Setting desired instance count to ${to}.`,
});

const decide = (input: Partial<CapacityInput> & Pick<CapacityInput, 'history' | 'desired'>) =>
  decideCapacity({
    now: T0 + input.history.length * MINUTE,
    activities: [],
    scaling: { minCapacity: 0, maxCapacity: 3, targetTracking },
    names,
    ...input,
  });

describe('the autoscaler decision (Application Auto Scaling semantics)', () => {
  it('leaves target tracking alone at zero instances while the backlog stays at or below the target', () => {
    const decision = decide({ desired: 0, history: history(...Array.from({ length: 30 }, (): [number, number] => [2, 0])) });

    expect(decision).toBeUndefined();
  });

  it('lets target tracking leave zero once the backlog has exceeded the target for 3 datapoints', () => {
    expect(decide({ desired: 0, history: history([5, 0], [5, 0]) })).toBeUndefined();

    expect(decide({ desired: 0, history: history([5, 0], [5, 0], [5, 0]) })).toMatchObject({
      capacity: 3,
      policyName: 'ep-backlog-per-instance',
      cause:
        'monitor alarm TargetTracking-endpoint/ep/variant/AllTraffic-AlarmHigh in state ALARM triggered policy ep-backlog-per-instance',
    });
  });

  it('lifts zero to one instance through the step policy as soon as anything waits with no capacity', () => {
    const scaling = { minCapacity: 0, maxCapacity: 3, targetTracking, stepScaling };

    const decision = decide({ desired: 0, history: history([1, 0]), scaling });

    expect(decision).toEqual({
      capacity: 1,
      policyName: 'ep-scale-out-from-zero',
      cause: 'monitor alarm ep-HasBacklogWithoutCapacity in state ALARM triggered policy ep-scale-out-from-zero',
    });
  });

  it('counts the capacity added by the step policy during its cooldown, and adds again after it', () => {
    const scaling = { minCapacity: 0, maxCapacity: 3, stepScaling };
    const activities = [activity(1, 0, 1, names.stepScaling)];

    const during = decide({ desired: 1, history: history([1, 0], [1, 0]), activities, scaling });
    const after = decide({ desired: 1, history: history([1, 0], [1, 0], [1, 0]), activities, scaling });

    expect(during).toBeUndefined();
    expect(after).toMatchObject({ capacity: 2, policyName: names.stepScaling });
  });

  it('evaluates the step alarm over its period and M out of N datapoints (the guide: 2 of 2 over 60 s)', () => {
    const alarm = { periodS: 60, evaluationPeriods: 2, datapointsToAlarm: 2, threshold: 1 };

    expect(stepAlarmInAlarm([0, 1], alarm)).toBe(false);
    expect(stepAlarmInAlarm([0, 1, 1], alarm)).toBe(true);
    expect(stepAlarmInAlarm([1, 1, 0, 1], { ...alarm, periodS: 120, evaluationPeriods: 1, datapointsToAlarm: 1 })).toBe(false);
    expect(stepAlarmInAlarm([0, 1, 1], { ...alarm, periodS: 120, evaluationPeriods: 1, datapointsToAlarm: 1 })).toBe(true);
  });

  it('gives precedence to the largest capacity and clamps it to MaxCapacity', () => {
    const scaling = { minCapacity: 0, maxCapacity: 3, targetTracking, stepScaling };

    const decision = decide({ desired: 0, history: history([30, 0], [30, 0], [30, 0]), scaling });

    expect(decision).toMatchObject({ capacity: 3, policyName: names.targetTracking });
  });

  it('scales a busy fleet out in proportion to the backlog per instance, not beyond MaxCapacity', () => {
    const scaling = { minCapacity: 0, maxCapacity: 10, targetTracking };

    expect(decide({ desired: 2, history: history([6, 2], [6, 2], [6, 2]), scaling })).toMatchObject({ capacity: 3 });
    expect(decide({ desired: 2, history: history([99, 2], [99, 2], [99, 2]), scaling })).toMatchObject({ capacity: 10 });
    expect(decide({ desired: 10, history: history([99, 10], [99, 10], [99, 10]), scaling })).toBeUndefined();
  });

  it('scales in to zero only after 15 datapoints below 90% of the target', () => {
    const idle = (n: number) => history(...Array.from({ length: n }, (): [number, number] => [0, 3]));

    expect(decide({ desired: 3, history: idle(14) })).toBeUndefined();
    expect(decide({ desired: 3, history: history([2, 1], ...Array.from({ length: 14 }, (): [number, number] => [0, 3])) })).toBeUndefined();
    expect(decide({ desired: 3, history: idle(15) })).toMatchObject({
      capacity: 0,
      cause: expect.stringContaining('-AlarmLow in state ALARM'),
    });
  });

  it('holds scale-in during the scale-in cooldown and during any scale-out cooldown, but never holds a scale-out', () => {
    const idle = history(...Array.from({ length: 20 }, (): [number, number] => [0, 3]));
    const busy = history([30, 1], [30, 1], [30, 1]);
    const scaling = { minCapacity: 0, maxCapacity: 3, targetTracking, stepScaling };

    expect(decide({ desired: 3, history: idle, activities: [activity(16, 4, 3, names.targetTracking)] })).toBeUndefined();
    expect(decide({ desired: 3, history: idle, activities: [activity(19, 1, 3, names.targetTracking)] })).toBeUndefined();
    expect(decide({ desired: 3, history: idle, activities: [activity(19, 0, 1, names.stepScaling)], scaling })).toBeUndefined();
    expect(decide({ desired: 3, history: idle, activities: [activity(14, 4, 3, names.targetTracking)] })).toMatchObject({ capacity: 0 });
    expect(decide({ desired: 1, history: busy, activities: [activity(2, 3, 1, names.targetTracking)] })).toMatchObject({ capacity: 3 });
  });

  it('never goes below MinCapacity', () => {
    const idle = history(...Array.from({ length: 15 }, (): [number, number] => [0, 3]));

    expect(decide({ desired: 3, history: idle, scaling: { minCapacity: 1, maxCapacity: 3, targetTracking } })).toMatchObject({
      capacity: 1,
    });
  });
});

describe('the scale-in to zero (step policy to ExactCapacity 0 on an ApproximateBacklogSize alarm)', () => {
  const scaleInToZero = { cooldownS: 120, capacity: 0, alarm: { periodS: 60, evaluationPeriods: 5, datapointsToAlarm: 5, threshold: 0 } };
  const scaling = { minCapacity: 0, maxCapacity: 5, targetTracking, stepScaling, scaleInToZero };
  const busyThenIdle = (idleMinutes: number) =>
    history([30, 5], [30, 5], [12, 5], ...Array.from({ length: idleMinutes }, (): [number, number] => [0, 5]));

  it('goes to zero after 5 idle minutes, while target tracking still counts its 15 low datapoints', () => {
    // The first sample of 0 closes a minute that began with a backlog: 5 idle minutes are 6 samples.
    expect(decide({ desired: 5, history: busyThenIdle(5), scaling })).toBeUndefined();

    expect(decide({ desired: 5, history: busyThenIdle(6), scaling })).toEqual({
      capacity: 0,
      policyName: 'ep-scale-in-to-zero',
      cause: 'monitor alarm ep-EndpointIdle in state ALARM triggered policy ep-scale-in-to-zero',
    });
  });

  it('counts queued and in-flight requests alike: one request still running keeps every instance', () => {
    const running = [
      ...busyThenIdle(4),
      { ...backlogGauges({ queued: 0, inFlight: 1, inService: 5 }), InvocationsProcessed: 0, ExpiredRequests: 0 },
    ];

    expect(decide({ desired: 5, history: running, scaling })).toBeUndefined();
    expect(idleAlarmInAlarm([1, 0, 0, 0, 0], scaleInToZero.alarm)).toBe(false);
    expect(idleAlarmInAlarm([1, 0, 0, 0, 0, 0], scaleInToZero.alarm)).toBe(true);
  });

  it("takes each minute's Maximum: a request that came and went inside a minute, or the backlog as the minute began, counts", () => {
    // The last busy sample closes minute 3; minute 4 began with that backlog; minute 6 saw one
    // request arrive and finish between two samples of 0.
    const minutes = history([30, 5], [30, 5], [12, 5], [0, 5], [0, 5], [0, 5, 1], [0, 5], [0, 5]);

    expect(backlogMaximum(minutes)).toEqual([30, 30, 30, 12, 0, 1, 0, 0]);
    expect(decide({ desired: 5, history: minutes, scaling })).toBeUndefined();
    expect(decide({ desired: 5, history: [...minutes, ...history([0, 5], [0, 5])], scaling })).toBeUndefined();
    expect(decide({ desired: 5, history: [...minutes, ...history([0, 5], [0, 5], [0, 5])], scaling })).toMatchObject({ capacity: 0 });
  });

  it('is not held by target tracking scale-out cooldown (a step scale-in is not blocked), only by its own', () => {
    const slowTracking = { ...targetTracking, scaleOutCooldownS: 3600, scaleInCooldownS: 3600 };
    const withSlowTracking = { ...scaling, targetTracking: slowTracking };
    const trackingOut = activity(2, 1, 5, names.targetTracking);

    expect(decide({ desired: 5, history: busyThenIdle(6), scaling: withSlowTracking, activities: [trackingOut] })).toMatchObject({
      capacity: 0,
    });
    expect(decide({ desired: 2, history: busyThenIdle(6), scaling, activities: [activity(8, 3, 2, names.scaleInToZero)] })).toBeUndefined();
  });

  it('changes nothing at zero, and never goes below MinCapacity', () => {
    expect(decide({ desired: 0, history: busyThenIdle(8), scaling })).toBeUndefined();
    expect(decide({ desired: 5, history: busyThenIdle(6), scaling: { ...scaling, minCapacity: 1 } })).toMatchObject({ capacity: 1 });
  });

  it('gives way to the largest capacity when another policy fires in the same period', () => {
    // Target tracking's low alarm fires too (15 datapoints under 90 % of the target) but keeps 1
    // instance for a backlog of 1 per instance: the largest capacity wins, for scale-in too.
    const lowButBusy = history(...Array.from({ length: 15 }, (): [number, number] => [1, 5]));
    const idleAlarmOnly = { ...scaling, scaleInToZero: { ...scaleInToZero, alarm: { ...scaleInToZero.alarm, threshold: 1 } } };

    expect(decide({ desired: 5, history: lowButBusy, scaling: idleAlarmOnly })).toMatchObject({
      capacity: 1,
      policyName: names.targetTracking,
    });
  });
});

describe('the backlog gauges', () => {
  it('define the per-instance backlog at zero instances as the whole backlog, and flag backlog without capacity', () => {
    expect(backlogGauges({ queued: 3, inFlight: 0, inService: 0 })).toEqual({
      ApproximateBacklogSize: 3,
      ApproximateBacklogSizePerInstance: 3,
      HasBacklogWithoutCapacity: 1,
    });
    expect(backlogGauges({ queued: 3, inFlight: 3, inService: 2 })).toEqual({
      ApproximateBacklogSize: 6,
      ApproximateBacklogSizePerInstance: 3,
      HasBacklogWithoutCapacity: 0,
    });
    expect(backlogGauges({ queued: 0, inFlight: 0, inService: 0 }).HasBacklogWithoutCapacity).toBe(0);
  });
});
