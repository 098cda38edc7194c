/**
 * The scaling loop: every simulated minute a metric period closes (a datapoint), the autoscaler
 * evaluates the policies on the history, and a decision sets the fleet's desired count, recorded as
 * a scaling activity and saved for the next start.
 */

import { clampCapacity, decideCapacity, type PolicyNames } from './autoscaler';
import { isoTime, type SimulatedClock, type Timer } from './clock';
import type { InstanceFleet } from './instances';
import { METRIC_PERIOD_MS, type Gauges, type MetricsRecorder } from './metrics';
import { readSavedCapacity, saveCapacity } from './saved-capacity';
import type { AsyncEndpointOptions, ScalingActivity } from './types';

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
  private tickTimer: Timer | undefined;
  private stopped = false;

  constructor(private readonly deps: ScalingLoopDeps) {
    this.periodEnd = deps.clock.now() + METRIC_PERIOD_MS;
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
    this.scheduleTick();
  }

  stop(): void {
    this.stopped = true;
    this.tickTimer?.cancel();
  }

  scalingActivities(): ScalingActivity[] {
    return this.activities.map((a) => ({ ...a }));
  }

  private scheduleTick(): void {
    this.tickTimer = this.deps.clock.setTimer(this.periodEnd - this.deps.clock.now(), () => this.tick());
  }

  /** End of a simulated minute: a datapoint, then one evaluation of the scaling policies. */
  private tick(): void {
    if (this.stopped) return;
    const { options, clock, names, fleet, metrics } = this.deps;
    this.deps.beforeTick();
    metrics.closePeriod(this.gauges(), this.periodEnd);
    this.periodEnd += METRIC_PERIOD_MS;
    const decision = decideCapacity({
      now: clock.now(),
      desired: fleet.desiredCount,
      history: metrics.history(),
      activities: this.activities,
      scaling: options.scaling,
      names,
    });
    if (decision) this.applyCapacity(decision.capacity, decision.policyName, decision.cause);
    this.scheduleTick();
  }

  private gauges(): Gauges {
    const { fleet } = this.deps;
    const { queued, inFlight, oldestAgeS } = this.deps.gauges();
    return { queued, inFlight, inService: fleet.count('InService'), desired: fleet.desiredCount, oldestAgeS };
  }

  private applyCapacity(capacity: number, policyName: string, cause: string): void {
    const { fleet, clock, options } = this.deps;
    const activity: ScalingActivity = {
      time: isoTime(clock.now()),
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
