import { compileAlarm, evaluateAlarm, type AlarmState } from '../../../local/sagemaker-async/alarm-evaluation';
import { decideCapacity, policyNames, scalingAlarms } from '../../../local/sagemaker-async/autoscaler';
import { compileExpression } from '../../../local/sagemaker-async/metric-math';
import { backlogGauges, MetricsRecorder } from '../../../local/sagemaker-async/metrics';
import type { MetricAlarm, MetricStat, ScalingActivity, ScalingConfig } from '../../../local/sagemaker-async/types';
import { idleAlarmOfTemplate, stepAlarmOfTemplate } from '../../support/template-alarms';

const MINUTE = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

const targetTracking = { targetValue: 2, scaleInCooldownS: 300, scaleOutCooldownS: 120 };
const stepAlarm = stepAlarmOfTemplate;
const stepScaling = { cooldownS: 120, scalingAdjustment: 1, alarm: stepAlarm };
const idleAlarm = idleAlarmOfTemplate;
const names = policyNames('ep', 'AllTraffic', {} as ScalingConfig);

type Minute = [backlog: number, inService: number, processed?: number];

/** Closes one metric minute per entry, as the endpoint does, from T0 on. */
const recorded = (...minutes: Minute[]) => {
  const metrics = new MetricsRecorder(T0);
  minutes.forEach(([backlog, inService, processed = 0], i) => {
    metrics.count('InvocationsProcessed', processed);
    metrics.closePeriod({ queued: backlog, inFlight: 0, inService, desired: 0, oldestAgeS: 0 }, T0 + (i + 1) * MINUTE);
  });
  return { metrics, end: T0 + minutes.length * MINUTE };
};

const activity = (minute: number, from: number, to: number, policyName: string): ScalingActivity => ({
  time: new Date(T0 + minute * MINUTE).toISOString(),
  from,
  to,
  policyName,
  cause: 'test',
  description: `Setting desired instance count to ${to}.`,
});

/** Evaluates one alarm at `at` on what is published by then (`delayMs` after each minute). */
const evaluate = (
  alarm: MetricAlarm,
  { metrics, end }: ReturnType<typeof recorded>,
  opts: { at?: number; delayMs?: number; current?: AlarmState } = {},
) =>
  evaluateAlarm(compileAlarm(alarm), {
    read: (stat) => metrics.published(stat, opts.at ?? end, opts.delayMs ?? 0, 10_000),
    at: opts.at ?? end,
    gridMs: T0,
    current: opts.current ?? 'INSUFFICIENT_DATA',
  });

/** Every alarm evaluated together as the last minute closes, nothing delayed, then the policies they invoke. */
const decide = (input: { minutes: Minute[]; desired: number; activities?: ScalingActivity[]; scaling?: ScalingConfig }) => {
  const scaling = input.scaling ?? { minCapacity: 0, maxCapacity: 3, targetTracking };
  const history = recorded(...input.minutes);
  const invocations = scalingAlarms(scaling, names).flatMap((alarm) => {
    const { state, latest } = evaluate(alarm.alarm, history);
    return state === 'ALARM' ? [{ alarm, ...(latest === undefined ? {} : { value: latest }) }] : [];
  });
  return decideCapacity(invocations, { now: history.end, desired: input.desired, activities: input.activities ?? [], scaling, names });
};

const repeat = (n: number, minute: Minute): Minute[] => Array.from({ length: n }, () => minute);

describe('the alarm evaluator (CloudWatch semantics)', () => {
  const twoOfTwo = { ...stepAlarm, evaluationPeriods: 2, datapointsToAlarm: 2 };

  it('goes to ALARM when DatapointsToAlarm of the last EvaluationPeriods datapoints breach (the guide: 2 of 2 over 60 s)', () => {
    expect(evaluate(twoOfTwo, recorded([0, 0], [1, 0])).state).toBe('OK');
    expect(evaluate(twoOfTwo, recorded([0, 0], [1, 0], [1, 0]))).toEqual({ state: 'ALARM', latest: 1 });
    expect(evaluate({ ...twoOfTwo, datapointsToAlarm: 1 }, recorded([1, 0], [0, 0])).state).toBe('ALARM');
  });

  it('aggregates the minutes of a longer Period with its statistic', () => {
    const twoMinutes = { ...stepAlarm, periodS: 120 };

    // Minutes 0-1 and 2-3 are the periods: (1 + 0) / 2 < 1, then (1 + 1) / 2 >= 1.
    expect(evaluate(twoMinutes, recorded([1, 0], [0, 0], [1, 0])).state).toBe('OK');
    expect(evaluate(twoMinutes, recorded([1, 0], [0, 0], [1, 0], [1, 0])).state).toBe('ALARM');
  });

  it('evaluates the most recent published datapoints: a minute not yet published does not count', () => {
    const history = recorded([0, 0], [0, 0], [1, 0]);

    expect(evaluate(stepAlarm, history, { delayMs: 30_000 }).state).toBe('OK');
    expect(evaluate(stepAlarm, history, { delayMs: 30_000, at: history.end + 30_000 }).state).toBe('ALARM');
  });

  it('fills missing datapoints as TreatMissingData says only when too few exist', () => {
    const oneIdleMinute = recorded([0, 3]);
    const idleAlarmOn = (treatMissingData: MetricAlarm['treatMissingData']) => ({ ...idleAlarm, treatMissingData });

    expect(evaluate(idleAlarmOn('breaching'), oneIdleMinute).state).toBe('ALARM');
    expect(evaluate(idleAlarmOn('notBreaching'), oneIdleMinute).state).toBe('OK');
    // missing / ignore: one idle minute of five can neither make nor rule out ALARM; the state stays.
    expect(evaluate(idleAlarmOn('missing'), oneIdleMinute, { current: 'ALARM' }).state).toBe('ALARM');
    expect(evaluate(idleAlarmOn('missing'), oneIdleMinute).state).toBe('INSUFFICIENT_DATA');
    expect(evaluate(idleAlarmOn('ignore'), oneIdleMinute, { current: 'OK' }).state).toBe('OK');
    // One busy minute rules ALARM out already; nothing published at all is INSUFFICIENT_DATA for `missing`.
    expect(evaluate(idleAlarmOn('missing'), recorded([1, 3]), { current: 'ALARM' }).state).toBe('OK');
    expect(evaluate(idleAlarmOn('missing'), recorded([0, 3]), { delayMs: MINUTE, current: 'ALARM' }).state).toBe('INSUFFICIENT_DATA');
  });

  it('computes a metric-math alarm wherever one of its metrics is published, missing values as 0', () => {
    const series = compileExpression('backlog + backlogWithoutCapacity', ['backlog', 'backlogWithoutCapacity'])({
      backlog: new Map([[T0, 2]]),
      backlogWithoutCapacity: new Map([
        [T0, 0],
        [T0 + MINUTE, 1],
      ]),
    });

    expect([...series]).toEqual([
      [T0, 2],
      [T0 + MINUTE, 1],
    ]);
    expect([...compileExpression('-(a - 2) * 3 / b', ['a', 'b'])({ a: new Map([[T0, 1]]), b: new Map([[T0, 0]]) })]).toEqual([]);
  });

  it('refuses metric math it would not evaluate as CloudWatch does', () => {
    expect(() => compileExpression('FILL(backlog, 0)', ['backlog'])).toThrow(/function FILL is not supported/);
    expect(() => compileExpression('backlog + other', ['backlog'])).toThrow(/no metric has the Id other/);
    expect(() => compileExpression('(backlog + 1', ['backlog'])).toThrow(/parenthesis/);
    expect(() => compileExpression('1 + 2', ['backlog'])).toThrow(/not a time series/);
    expect(() => compileAlarm({ ...idleAlarm, periodS: 90 })).toThrow(/multiple of 60/);
  });
});

describe('the autoscaler decision (Application Auto Scaling semantics)', () => {
  it('leaves target tracking alone at zero instances while the backlog stays at or below the target', () => {
    expect(decide({ desired: 0, minutes: repeat(30, [2, 0]) })).toBeUndefined();
  });

  it('lets target tracking leave zero once the backlog has exceeded the target for 3 datapoints', () => {
    expect(decide({ desired: 0, minutes: repeat(2, [5, 0]) })).toBeUndefined();

    expect(decide({ desired: 0, minutes: repeat(3, [5, 0]) })).toMatchObject({
      capacity: 3,
      policyName: 'ep-backlog-per-instance',
      cause:
        'monitor alarm TargetTracking-endpoint/ep/variant/AllTraffic-AlarmHigh in state ALARM triggered policy ep-backlog-per-instance',
    });
  });

  it('lifts zero to one instance through the step policy as soon as anything waits with no capacity', () => {
    const scaling = { minCapacity: 0, maxCapacity: 3, targetTracking, stepScaling };

    expect(decide({ desired: 0, minutes: [[1, 0]], scaling })).toEqual({
      capacity: 1,
      policyName: 'ep-scale-out-from-zero',
      cause: 'monitor alarm ep-HasBacklogWithoutCapacity in state ALARM triggered policy ep-scale-out-from-zero',
    });
  });

  it('counts the capacity added by the step policy during its cooldown, and adds again after it', () => {
    const scaling = { minCapacity: 0, maxCapacity: 3, stepScaling };
    const activities = [activity(1, 0, 1, names.stepScaling)];

    expect(decide({ desired: 1, minutes: repeat(2, [1, 0]), activities, scaling })).toBeUndefined();
    expect(decide({ desired: 1, minutes: repeat(3, [1, 0]), activities, scaling })).toMatchObject({
      capacity: 2,
      policyName: names.stepScaling,
    });
  });

  it('holds the same +1 back for the whole cooldown even when another policy took the added instance away', () => {
    // "capacity added by the initiating scale-out activity is calculated as part of the desired
    // capacity for the next scale-out activity": the +1 again adds nothing until the cooldown ends.
    const scaling = { minCapacity: 0, maxCapacity: 3, stepScaling, scaleInToZero: { cooldownS: 120, capacity: 0, alarm: idleAlarm } };
    const undone = [activity(1, 0, 1, names.stepScaling), activity(1.5, 1, 0, names.scaleInToZero)];

    expect(decide({ desired: 0, minutes: repeat(2, [1, 0]), activities: undone, scaling })).toBeUndefined();
    expect(decide({ desired: 0, minutes: repeat(3, [1, 0]), activities: undone, scaling })).toMatchObject({
      capacity: 1,
      policyName: names.stepScaling,
    });
  });

  it("sets the step policy's ExactCapacity from either side: 0 → 1, and 3 → 1 while nothing is in service yet", () => {
    // ExactCapacity 1 (the alternative autoscaling.yml does not use) never adds a second instance, but
    // when target tracking has asked for 3 and the first instance still starts, its alarm (alone at
    // its evaluation second) takes them back; at 1 already, it changes nothing.
    const exact = { ...stepScaling, adjustmentType: 'ExactCapacity' as const, scalingAdjustment: 1 };
    const scaling = { minCapacity: 0, maxCapacity: 5, stepScaling: exact };
    const started = [activity(1, 0, 1, names.stepScaling), activity(4, 1, 3, names.targetTracking)];

    expect(decide({ desired: 0, minutes: [[1, 0]], scaling })).toMatchObject({ capacity: 1, policyName: names.stepScaling });
    expect(decide({ desired: 1, minutes: repeat(2, [1, 0]), activities: started.slice(0, 1), scaling })).toBeUndefined();
    expect(decide({ desired: 3, minutes: repeat(5, [30, 0]), activities: started, scaling })).toMatchObject({
      capacity: 1,
      policyName: names.stepScaling,
    });
  });

  it('gives precedence to the largest capacity and clamps it to MaxCapacity', () => {
    const scaling = { minCapacity: 0, maxCapacity: 3, targetTracking, stepScaling };

    expect(decide({ desired: 0, minutes: repeat(3, [30, 0]), scaling })).toMatchObject({ capacity: 3, policyName: names.targetTracking });
  });

  it('scales a busy fleet out in proportion to the backlog per instance, not beyond MaxCapacity', () => {
    const scaling = { minCapacity: 0, maxCapacity: 10, targetTracking };

    expect(decide({ desired: 2, minutes: repeat(3, [6, 2]), scaling })).toMatchObject({ capacity: 3 });
    expect(decide({ desired: 2, minutes: repeat(3, [99, 2]), scaling })).toMatchObject({ capacity: 10 });
    expect(decide({ desired: 10, minutes: repeat(3, [99, 10]), scaling })).toBeUndefined();
  });

  it('scales in to zero only after 15 datapoints below 90% of the target', () => {
    expect(decide({ desired: 3, minutes: repeat(14, [0, 3]) })).toBeUndefined();
    expect(decide({ desired: 3, minutes: [[2, 1], ...repeat(14, [0, 3])] })).toBeUndefined();
    expect(decide({ desired: 3, minutes: repeat(15, [0, 3]) })).toMatchObject({
      capacity: 0,
      cause: expect.stringContaining('-AlarmLow in state ALARM'),
    });
  });

  it('holds scale-in during the scale-in cooldown and during any scale-out cooldown, but never holds a scale-out', () => {
    const idle = repeat(20, [0, 3]);
    const busy = repeat(3, [30, 1]);
    const scaling = { minCapacity: 0, maxCapacity: 3, targetTracking, stepScaling };

    expect(decide({ desired: 3, minutes: idle, activities: [activity(16, 4, 3, names.targetTracking)] })).toBeUndefined();
    expect(decide({ desired: 3, minutes: idle, activities: [activity(19, 1, 3, names.targetTracking)] })).toBeUndefined();
    expect(decide({ desired: 3, minutes: idle, activities: [activity(19, 0, 1, names.stepScaling)], scaling })).toBeUndefined();
    expect(decide({ desired: 3, minutes: idle, activities: [activity(14, 4, 3, names.targetTracking)] })).toMatchObject({ capacity: 0 });
    expect(decide({ desired: 1, minutes: busy, activities: [activity(2, 3, 1, names.targetTracking)] })).toMatchObject({ capacity: 3 });
  });

  it('never goes below MinCapacity', () => {
    expect(decide({ desired: 3, minutes: repeat(15, [0, 3]), scaling: { minCapacity: 1, maxCapacity: 3, targetTracking } })).toMatchObject({
      capacity: 1,
    });
  });
});

describe('the scale-in to zero (step policy to ExactCapacity 0 on the idle alarm)', () => {
  const scaleInToZero = { cooldownS: 120, capacity: 0, alarm: idleAlarm };
  const scaling = { minCapacity: 0, maxCapacity: 5, targetTracking, stepScaling, scaleInToZero };
  const busyThenIdle = (idleMinutes: number): Minute[] => [[30, 5], [30, 5], [12, 5], ...repeat(idleMinutes, [0, 5])];

  it('goes to zero after 5 idle minutes, while target tracking still counts its 15 low datapoints', () => {
    // The first sample of 0 closes a minute that began with a backlog: 5 idle minutes are 6 samples.
    expect(decide({ desired: 5, minutes: busyThenIdle(5), scaling })).toBeUndefined();

    expect(decide({ desired: 5, minutes: busyThenIdle(6), scaling })).toEqual({
      capacity: 0,
      policyName: 'ep-scale-in-to-zero',
      cause: 'monitor alarm ep-EndpointIdle in state ALARM triggered policy ep-scale-in-to-zero',
    });
  });

  it('counts queued and in-flight requests alike: one request still running keeps every instance', () => {
    const history = recorded(...busyThenIdle(4));
    history.metrics.closePeriod({ queued: 0, inFlight: 1, inService: 5, desired: 5, oldestAgeS: 0 }, history.end + MINUTE);
    const running = { metrics: history.metrics, end: history.end + MINUTE };

    expect(evaluate(idleAlarm, running).state).toBe('OK');
    expect(backlogGauges({ queued: 0, inFlight: 1, inService: 5 }).ApproximateBacklogSize).toBe(1);
  });

  it("takes each minute's Maximum: a request that came and went inside a minute, or the backlog as the minute began, counts", () => {
    // The last busy sample closes minute 3; minute 4 began with that backlog; minute 6 saw one
    // request arrive and finish between two samples of 0.
    const minutes: Minute[] = [
      [30, 5],
      [30, 5],
      [12, 5],
      [0, 5],
      [0, 5],
      [0, 5, 1],
      [0, 5],
      [0, 5],
    ];
    const { metrics, end } = recorded(...minutes);

    expect(metrics.published({ metricName: 'ApproximateBacklogSize', statistic: 'Maximum' }, end, 0, 100).map((m) => m.value)).toEqual([
      30, 30, 30, 12, 0, 1, 0, 0,
    ]);
    expect(decide({ desired: 5, minutes, scaling })).toBeUndefined();
    expect(decide({ desired: 5, minutes: [...minutes, ...repeat(2, [0, 5])], scaling })).toBeUndefined();
    expect(decide({ desired: 5, minutes: [...minutes, ...repeat(3, [0, 5])], scaling })).toMatchObject({ capacity: 0 });
  });

  it('is not idle while a request waits with no instance, even before its backlog datapoint is published', () => {
    // HasBacklogWithoutCapacity published for the newest minute, ApproximateBacklogSize not yet.
    const { metrics, end } = recorded(...repeat(6, [0, 0]), [1, 0]);
    const read = (at: number) => (stat: MetricStat) =>
      metrics.published(stat, at, stat.metricName === 'HasBacklogWithoutCapacity' ? 0 : 40_000, 100);
    const previousDesign: MetricAlarm = { ...idleAlarm, metric: { metricName: 'ApproximateBacklogSize', statistic: 'Maximum' } };
    const at = end + 20_000;

    expect(evaluateAlarm(compileAlarm(previousDesign), { read: read(at), at, gridMs: T0, current: 'ALARM' }).state).toBe('ALARM');
    expect(evaluateAlarm(compileAlarm(idleAlarm), { read: read(at), at, gridMs: T0, current: 'ALARM' }).state).toBe('OK');
  });

  it('is not held by target tracking scale-out cooldown (a step scale-in is not blocked), only by its own', () => {
    const slowTracking = { ...targetTracking, scaleOutCooldownS: 3600, scaleInCooldownS: 3600 };
    const trackingOut = activity(2, 1, 5, names.targetTracking);

    expect(
      decide({ desired: 5, minutes: busyThenIdle(6), scaling: { ...scaling, targetTracking: slowTracking }, activities: [trackingOut] }),
    ).toMatchObject({ capacity: 0 });
    expect(decide({ desired: 2, minutes: busyThenIdle(6), scaling, activities: [activity(8, 3, 2, names.scaleInToZero)] })).toBeUndefined();
  });

  it('changes nothing at zero, and never goes below MinCapacity', () => {
    expect(decide({ desired: 0, minutes: busyThenIdle(8), scaling })).toBeUndefined();
    expect(decide({ desired: 5, minutes: busyThenIdle(6), scaling: { ...scaling, minCapacity: 1 } })).toMatchObject({ capacity: 1 });
  });

  it('gives way to the largest capacity when another policy fires in the same evaluation', () => {
    // Target tracking's low alarm fires too (15 datapoints under 90 % of the target) but keeps 1
    // instance for a backlog of 1 per instance: the largest capacity wins, for scale-in too.
    const idleAlarmOnly = { ...scaling, scaleInToZero: { ...scaleInToZero, alarm: { ...idleAlarm, threshold: 1 } } };

    expect(decide({ desired: 5, minutes: repeat(15, [1, 5]), scaling: idleAlarmOnly })).toMatchObject({
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
