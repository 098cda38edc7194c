/**
 * The scaling loop, on the simulated clock: every minute a metric period closes (a datapoint), and
 * every alarm that invokes a scaling policy is evaluated once a minute at its own second
 * (alarm-evaluation.ts), on the datapoints published by then (metrics.ts). The alarms in ALARM at
 * one moment invoke their policies (autoscaler.ts); a decision sets the fleet's desired count,
 * recorded as a scaling activity and saved for the next start.
 *
 * CloudWatch evaluates each alarm on its own schedule
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation)
 * and documents neither at which second nor how regularly: the emulator evaluates every alarm every
 * 60 s at a fixed second of the minute, derived from the alarm's name unless CloudWatchTiming names
 * one, so two runs evaluate alike. UNVERIFIED.
 */

import { compileAlarm, evaluateAlarm, minutesToRead, type AlarmState, type CompiledAlarm } from './alarm-evaluation';
import { clampCapacity, decideCapacity, scalingAlarms, type AlarmInvocation, type PolicyNames, type ScalingAlarm } from './autoscaler';
import { isoTime, type SimulatedClock, type Timer } from './clock';
import type { InstanceFleet } from './instances';
import { METRIC_PERIOD_MS, publicationDelayMs, type Gauges, type MetricsRecorder } from './metrics';
import { readSavedCapacity, saveCapacity } from './saved-capacity';
import type { AsyncEndpointOptions, CloudWatchTiming, MetricAlarm, MetricStat, ScalingActivity } from './types';

/** The second of the minute at which `alarmName` is evaluated: as CloudWatchTiming says, else from its name (FNV-1a). */
export const evaluationOffsetMs = (timing: CloudWatchTiming | undefined, alarmName: string): number => {
  const given = timing?.evaluationOffsetS?.[alarmName];
  if (given !== undefined) {
    if (!(given >= 0 && given < 60)) throw new RangeError(`evaluationOffsetS of ${alarmName} must be in [0, 60), got ${given}`);
    return given * 1000;
  }
  let hash = 0x811c9dc5;
  for (const char of alarmName) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return (hash % 60) * 1000;
};

const statsOf = ({ metric }: MetricAlarm): MetricStat[] => ('expression' in metric ? Object.values(metric.metrics) : [metric]);

interface ScheduledAlarm extends ScalingAlarm {
  compiled: CompiledAlarm;
  /** Metric minutes one evaluation reads. */
  minutes: number;
}

/** The alarms evaluated at one second of the minute, and when next. */
interface Evaluation {
  alarms: ScheduledAlarm[];
  nextAt: number;
}

export interface ScalingLoopDeps {
  options: AsyncEndpointOptions;
  clock: SimulatedClock;
  names: PolicyNames;
  fleet: InstanceFleet;
  metrics: MetricsRecorder;
  /** The queue and dispatch figures at the end of a period. */
  gauges: () => Omit<Gauges, 'inService' | 'desired'>;
  /** Called at the start of each period's end, before the datapoint (expiry runs there). */
  beforeTick: () => void;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export class ScalingLoop {
  private readonly activities: ScalingActivity[] = [];
  private periodEnd: number;
  /** The start of the first metric minute: alarm periods are aligned on the minutes. */
  private readonly gridMs: number;
  private readonly evaluations: Evaluation[];
  private readonly alarmStates = new Map<string, { state: AlarmState; actedAt: number }>();
  private timer: Timer | undefined;
  private stopped = false;

  /** Throws at once on an alarm the emulator cannot evaluate as CloudWatch would. */
  constructor(private readonly deps: ScalingLoopDeps) {
    this.gridMs = deps.clock.nowMs();
    this.periodEnd = this.gridMs + METRIC_PERIOD_MS;
    const timing = deps.options.cloudWatch;
    const byOffset = new Map<number, ScheduledAlarm[]>();
    for (const scaling of scalingAlarms(deps.options.scaling, deps.names)) {
      const compiled = compileAlarm({ ...scaling.alarm, alarmName: scaling.name });
      const longestDelay = Math.max(...statsOf(scaling.alarm).map((s) => publicationDelayMs(timing, s.metricName)));
      const offset = evaluationOffsetMs(timing, scaling.name);
      byOffset.set(offset, [...(byOffset.get(offset) ?? []), { ...scaling, compiled, minutes: minutesToRead(compiled, longestDelay) }]);
    }
    // The first evaluation follows the first metric minute.
    this.evaluations = [...byOffset].map(([offset, alarms]) => ({ alarms, nextAt: this.periodEnd + offset }));
  }

  /**
   * CreateEndpoint starts InitialInstanceCount instances; registering the scalable target then
   * brings the count inside [MinCapacity, MaxCapacity] (RegisterScalableTarget: "it changes the
   * resource's current capacity to a value that is inside of this range").
   */
  start(): void {
    const { options, fleet } = this.deps;
    const { endpoint, scaling, stateDir, initialInstancesInService } = options;
    // After a restart the endpoint resumes at the capacity it had (capacity.json), not at its initial count.
    const saved = readSavedCapacity(stateDir);
    const initial = saved ?? endpoint.initialInstanceCount;
    fleet.setDesired(initial, { alreadyProvisioned: saved !== undefined || initialInstancesInService === true });
    const registered = clampCapacity(initial, scaling);
    if (registered !== initial) {
      this.applyCapacity(
        registered,
        'RegisterScalableTarget',
        `RegisterScalableTarget: capacity ${initial} is outside [${scaling.minCapacity}, ${scaling.maxCapacity}]`,
      );
    }
    this.scheduleNext();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  scalingActivities(): ScalingActivity[] {
    return this.activities.map((a) => ({ ...a }));
  }

  private nextEventAt(): number {
    return Math.min(this.periodEnd, ...this.evaluations.map((e) => e.nextAt));
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimer(this.nextEventAt() - this.deps.clock.nowMs(), () => this.runDue());
  }

  /** Everything due, in time order; a period closes before the alarms evaluated at the same moment. */
  private runDue(): void {
    if (this.stopped) return;
    for (let at = this.nextEventAt(); at <= this.deps.clock.nowMs(); at = this.nextEventAt()) {
      if (this.periodEnd === at) {
        this.closePeriod();
        continue;
      }
      const evaluation = this.evaluations.find((e) => e.nextAt === at) as Evaluation;
      this.evaluate(evaluation.alarms, at);
      evaluation.nextAt += METRIC_PERIOD_MS;
    }
    this.scheduleNext();
  }

  /** End of a simulated minute: expiries, then the datapoint. */
  private closePeriod(): void {
    this.deps.beforeTick();
    this.deps.metrics.closePeriod(this.gauges(), this.periodEnd);
    this.periodEnd += METRIC_PERIOD_MS;
  }

  /**
   * Evaluates the alarms due at `at` on what is published by then. CloudWatch invokes an Auto Scaling
   * action "for every period that the alarm remains in the new state" (AlarmThatSendsEmail.html).
   */
  private evaluate(alarms: readonly ScheduledAlarm[], at: number): void {
    const { options, names, fleet, metrics, log } = this.deps;
    const invocations: AlarmInvocation[] = [];
    for (const alarm of alarms) {
      const before = this.alarmStates.get(alarm.name) ?? { state: 'INSUFFICIENT_DATA' as const, actedAt: Number.NEGATIVE_INFINITY };
      const read = (stat: MetricStat) =>
        metrics.published(stat, at, publicationDelayMs(options.cloudWatch, stat.metricName), alarm.minutes);
      const { state, latest } = evaluateAlarm(alarm.compiled, { read, at, gridMs: this.gridMs, current: before.state });
      if (state !== before.state) log('alarm state', { alarm: alarm.name, from: before.state, to: state, time: isoTime(at) });
      const acts = state === 'ALARM' && (before.state !== 'ALARM' || at - before.actedAt >= alarm.alarm.periodS * 1000);
      this.alarmStates.set(alarm.name, { state, actedAt: acts ? at : before.actedAt });
      if (acts) invocations.push({ alarm, ...(latest === undefined ? {} : { value: latest }) });
    }
    if (invocations.length === 0) return;
    // The decision and its activity take the evaluation's time, not the moment a busy event loop got to it.
    const decision = decideCapacity(invocations, {
      now: at,
      desired: fleet.desiredCount,
      activities: this.activities,
      scaling: options.scaling,
      names,
    });
    if (decision) this.applyCapacity(decision.capacity, decision.policyName, decision.cause, at);
  }

  private gauges(): Gauges {
    const { fleet } = this.deps;
    const { queued, inFlight, oldestAgeS } = this.deps.gauges();
    return { queued, inFlight, inService: fleet.count('InService'), desired: fleet.desiredCount, oldestAgeS };
  }

  private applyCapacity(capacity: number, policyName: string, cause: string, at = this.deps.clock.nowMs()): void {
    const { fleet, options } = this.deps;
    const activity: ScalingActivity = {
      time: isoTime(at),
      from: fleet.desiredCount,
      to: capacity,
      cause,
      policyName,
      description: `Setting desired instance count to ${capacity}.`,
    };
    this.activities.push(activity);
    this.deps.log('scaling activity', { ...activity });
    fleet.setDesired(capacity);
    saveCapacity(options.stateDir, capacity);
  }
}
