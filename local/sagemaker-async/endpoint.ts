/**
 * The behaviour behind the wire, put together: dispatch (dispatcher.ts) moves queued requests to
 * instance slots, outcomes.ts ends them, the scaling loop (scaling-loop.ts) closes a metric period
 * every simulated minute and lets the autoscaler act on it, and this file expires requests past their
 * TTL and answers status.
 */

import type { PolicyNames } from './autoscaler';
import { isoTime, type SimulatedClock, type Timer } from './clock';
import { Dispatcher } from './dispatcher';
import { InstanceFleet } from './instances';
import type { InvokeContext } from './invoke-endpoint-async';
import { MetricsRecorder } from './metrics';
import { Outcomes } from './outcomes';
import type { PersistentQueue } from './queue';
import { ScalingLoop } from './scaling-loop';
import type { AsyncEndpointOptions, EndpointStatus, EndpointTotals, MetricDatapoint, ScalingActivity } from './types';
import { describeError } from '../../core/errors';

type Log = (message: string, fields?: Record<string, unknown>) => void;

export interface RuntimeDeps {
  options: AsyncEndpointOptions;
  clock: SimulatedClock;
  queue: PersistentQueue;
  names: PolicyNames;
  log: Log;
}

export class EndpointRuntime {
  private readonly fleet: InstanceFleet;
  private readonly metrics: MetricsRecorder;
  private readonly totals: EndpointTotals = { accepted: 0, completed: 0, failed: 0, expired: 0, notificationFailures: 0 };
  private readonly outcomes: Outcomes;
  private readonly dispatcher: Dispatcher;
  private readonly scaling: ScalingLoop;
  /** Expiries under way (notifications being sent), awaited on close. */
  private readonly background = new Set<Promise<void>>();
  private expiry: { at: number; timer: Timer } | undefined;
  private closing = false;

  constructor(private readonly deps: RuntimeDeps) {
    const { options, clock, queue, names, log } = deps;
    this.metrics = new MetricsRecorder(clock.nowMs());
    this.fleet = new InstanceFleet({
      clock,
      provisioningDelayMs: (options.provisioningDelayS ?? 120) * 1000,
      maxConcurrentPerInstance: options.endpoint.maxConcurrentInvocationsPerInstance,
      startupHealthCheckTimeoutMs: (options.startupHealthCheckTimeoutS ?? 600) * 1000,
      launchInstance: options.launchInstance,
      log,
      onCapacity: () => this.dispatcher.pump(),
    });
    const metrics = this.metrics;
    this.outcomes = new Outcomes({
      options,
      clock,
      queue,
      metrics,
      totals: this.totals,
      onFinished: (r) => this.dispatcher.forget(r),
      log,
    });
    this.dispatcher = new Dispatcher({
      options,
      clock,
      queue,
      fleet: this.fleet,
      metrics,
      outcomes: this.outcomes,
      expireDue: () => this.expireDue(),
      log,
    });
    this.scaling = new ScalingLoop({
      options,
      clock,
      names,
      fleet: this.fleet,
      metrics,
      gauges: () => {
        const oldest = queue.oldestReceivedAt();
        return {
          queued: queue.queued,
          inFlight: this.dispatcher.inFlightCount,
          oldestAgeS: oldest === undefined ? 0 : (clock.nowMs() - oldest) / 1000,
        };
      },
      beforeTick: () => this.expireDue(),
      log,
    });
  }

  start(): void {
    this.scaling.start();
    this.scheduleExpiry();
    this.dispatcher.pump();
  }

  /** What InvokeEndpointAsync needs from the endpoint (invoke-endpoint-async.ts). */
  invokeContext(): InvokeContext {
    const { options, clock, queue } = this.deps;
    return {
      endpointName: options.endpoint.endpointName,
      accountId: options.accountId,
      s3OutputPath: options.endpoint.s3OutputPath,
      ...(options.endpoint.s3FailurePath ? { s3FailurePath: options.endpoint.s3FailurePath } : {}),
      nowMs: () => clock.nowMs(),
      enqueue: (request, inlineBody) => {
        queue.enqueue(request, inlineBody);
        this.totals.accepted++;
        this.deps.log('inference queued', { inferenceId: request.inferenceId, outputLocation: request.outputLocation });
        // Only the new request can move the next expiry earlier: no scan of the whole queue per request.
        this.scheduleExpiry(request.expiresAt);
        queueMicrotask(() => this.dispatcher.pump());
      },
    };
  }

  get accepting(): boolean {
    return !this.closing;
  }

  status(): EndpointStatus {
    const { options, clock, queue } = this.deps;
    const oldest = queue.oldestReceivedAt();
    const inFlight = this.dispatcher.inFlightCount;
    return {
      endpointName: options.endpoint.endpointName,
      variantName: options.endpoint.variantName,
      time: isoTime(clock.nowMs()),
      instances: {
        pending: this.fleet.count('Pending'),
        inService: this.fleet.count('InService'),
        terminating: this.fleet.count('Terminating'),
      },
      instanceDetails: this.fleet.status(),
      desiredInstanceCount: this.fleet.desiredCount,
      backlog: queue.queued + inFlight,
      queued: queue.queued,
      inFlight,
      oldestRequestAgeS: oldest === undefined ? 0 : (clock.nowMs() - oldest) / 1000,
      totals: { ...this.totals },
      modelServers: this.fleet.supervision(),
    };
  }

  metricDatapoints(): MetricDatapoint[] {
    return this.metrics.all();
  }

  scalingActivities(): ScalingActivity[] {
    return this.scaling.scalingActivities();
  }

  drained(): boolean {
    return this.deps.queue.queued === 0 && this.deps.queue.inFlight === 0;
  }

  /** Stops timers, cancels model calls (their requests stay journaled), waits for the rest, stops instances. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.scaling.stop();
    this.expiry?.timer.cancel();
    await Promise.allSettled([this.dispatcher.close(), ...this.background]);
    try {
      this.deps.queue.markClock(this.deps.clock.nowMs());
    } catch (error) {
      this.deps.log('could not record the simulated time in the journal', { error: describeError(error) });
    } finally {
      this.deps.queue.close();
      await this.fleet.close();
    }
  }

  /** Drops every queued request whose RequestTTLSeconds (simulated) has passed. */
  private expireDue(): void {
    for (const request of this.deps.queue.takeExpired(this.deps.clock.nowMs())) this.track(this.outcomes.expire(request));
  }

  /** Arms the TTL timer for the earliest expiry: `candidate` if given, else the queue's earliest. */
  private scheduleExpiry(candidate?: number): void {
    if (this.closing) return;
    const next = candidate ?? this.deps.queue.earliestExpiry();
    if (next === undefined || (this.expiry && this.expiry.at <= next)) return;
    this.expiry?.timer.cancel();
    const timer = this.deps.clock.setTimer(next - this.deps.clock.nowMs(), () => {
      this.expiry = undefined;
      this.expireDue();
      this.scheduleExpiry();
    });
    this.expiry = { at: next, timer };
  }

  private track(task: Promise<void>): void {
    const settled = task.catch((error: unknown) => this.deps.log('background task failed', { error: describeError(error) }));
    this.background.add(settled);
    void settled.finally(() => this.background.delete(settled));
  }
}
