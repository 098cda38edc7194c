import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clampCapacity, decideCapacity, type PolicyNames } from './autoscaler';
import { isoTime, type SimulatedClock, type Timer } from './clock';
import { InstanceFleet, type Instance } from './instances';
import { callModel, download, failureReasons, putObject, type InvocationOutcome } from './invocation';
import type { InvokeContext } from './invoke-endpoint-async';
import { METRIC_PERIOD_MS, MetricsRecorder, type Gauges } from './metrics';
import { buildNotification, includeResponseBody, topicFor, type NotificationFacts } from './notifier';
import type { PersistentQueue, QueuedRequest, TerminalStatus } from './queue';
import type { AsyncEndpointOptions, EndpointStatus, EndpointTotals, MetricDatapoint, ScalingActivity } from './types';

type Log = (message: string, fields?: Record<string, unknown>) => void;

export interface RuntimeDeps {
  options: AsyncEndpointOptions;
  clock: SimulatedClock;
  queue: PersistentQueue;
  names: PolicyNames;
  log: Log;
}

/**
 * The behaviour behind the wire: dispatches queued requests to instance slots, expires requests past
 * their TTL, closes a metric period every simulated minute and lets the autoscaler act on it.
 */
export class EndpointRuntime {
  private readonly fleet: InstanceFleet;
  private readonly metrics: MetricsRecorder;
  private readonly activities: ScalingActivity[] = [];
  private readonly totals: EndpointTotals = { accepted: 0, completed: 0, failed: 0, expired: 0, notificationFailures: 0 };
  /** One entry per dispatch (a retried request is dispatched twice). */
  private readonly inFlight = new Set<{ abort: AbortController; task: Promise<void> }>();
  private readonly background = new Set<Promise<void>>();
  /** Requests taken from the queue whose model call has not started (payload downloading, or waiting for a slot). */
  private staged = 0;
  /** Requests with their payload in hand, waiting for a free slot at a model container, oldest first. */
  private readonly slotWaiters: Array<(instance: Instance | undefined) => void> = [];
  /** Requests already retried once after their instance died. */
  private readonly retried = new Set<string>();
  private periodEnd: number;
  private tickTimer: Timer | undefined;
  private expiry: { at: number; timer: Timer } | undefined;
  private closing = false;

  constructor(private readonly deps: RuntimeDeps) {
    const { options, clock } = deps;
    this.metrics = new MetricsRecorder(clock.now());
    this.periodEnd = clock.now() + METRIC_PERIOD_MS;
    this.fleet = new InstanceFleet({
      clock,
      provisioningDelayMs: (options.provisioningDelayS ?? 120) * 1000,
      maxConcurrentPerInstance: options.endpoint.maxConcurrentInvocationsPerInstance,
      startupHealthCheckTimeoutMs: (options.startupHealthCheckTimeoutS ?? 600) * 1000,
      launchInstance: options.launchInstance,
      log: deps.log,
      onCapacity: () => this.pump(),
    });
  }

  /**
   * CreateEndpoint starts InitialInstanceCount instances; registering the scalable target then
   * brings the count inside [MinCapacity, MaxCapacity] (RegisterScalableTarget: "it changes the
   * resource's current capacity to a value that is inside of this range").
   */
  start(): void {
    const { endpoint, scaling, stateDir, initialInstancesInService } = this.deps.options;
    // After a restart the endpoint resumes at the capacity it had (capacity.json), not at its initial count.
    const saved = readSavedCapacity(stateDir);
    const initial = saved ?? endpoint.initialInstanceCount;
    this.fleet.setDesired(initial, { alreadyProvisioned: saved !== undefined || initialInstancesInService === true });
    const registered = clampCapacity(initial, scaling);
    if (registered !== initial) {
      this.applyCapacity(
        registered,
        'RegisterScalableTarget',
        `RegisterScalableTarget: capacity ${initial} is outside [${scaling.minCapacity}, ${scaling.maxCapacity}]`,
      );
    }
    this.scheduleTick();
    this.scheduleExpiry();
    this.pump();
  }

  /** What InvokeEndpointAsync needs from the endpoint (invoke-endpoint-async.ts). */
  invokeContext(): InvokeContext {
    const { options, clock, queue } = this.deps;
    return {
      endpointName: options.endpoint.endpointName,
      accountId: options.accountId,
      s3OutputPath: options.endpoint.s3OutputPath,
      ...(options.endpoint.s3FailurePath ? { s3FailurePath: options.endpoint.s3FailurePath } : {}),
      now: () => clock.now(),
      enqueue: (request, inlineBody) => {
        queue.enqueue(request, inlineBody);
        this.totals.accepted++;
        this.deps.log('inference queued', { inferenceId: request.inferenceId, outputLocation: request.outputLocation });
        // Only the new request can move the next expiry earlier: no scan of the whole queue per request.
        this.scheduleExpiry(request.expiresAt);
        queueMicrotask(() => this.pump());
      },
    };
  }

  get accepting(): boolean {
    return !this.closing;
  }

  status(): EndpointStatus {
    const { options, clock, queue } = this.deps;
    const oldest = queue.oldestReceivedAt();
    return {
      endpointName: options.endpoint.endpointName,
      variantName: options.endpoint.variantName,
      time: isoTime(clock.now()),
      instances: { pending: this.fleet.count('Pending'), inService: this.fleet.count('InService'), terminating: this.fleet.count('Terminating') },
      instanceDetails: this.fleet.status(),
      desiredInstanceCount: this.fleet.desiredCount,
      backlog: queue.queued + this.inFlight.size,
      queued: queue.queued,
      inFlight: this.inFlight.size,
      oldestRequestAgeS: oldest === undefined ? 0 : (clock.now() - oldest) / 1000,
      totals: { ...this.totals },
    };
  }

  metricDatapoints(): MetricDatapoint[] {
    return this.metrics.all();
  }

  scalingActivities(): ScalingActivity[] {
    return this.activities.map((a) => ({ ...a }));
  }

  drained(): boolean {
    return this.deps.queue.queued === 0 && this.deps.queue.inFlight === 0;
  }

  /** Stops timers, cancels model calls (their requests stay journaled), waits for the rest, stops instances. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.tickTimer?.cancel();
    this.expiry?.timer.cancel();
    for (const { abort } of this.inFlight) abort.abort();
    await Promise.allSettled([...[...this.inFlight].map((f) => f.task), ...this.background]);
    try {
      this.deps.queue.markClock(this.deps.clock.now());
    } catch (error) {
      this.deps.log('could not record the simulated time in the journal', { error: String(error) });
    } finally {
      this.deps.queue.close();
      await this.fleet.close();
    }
  }

  /**
   * Moves requests along: free container slots go to requests whose payload is downloaded, oldest
   * first; then more requests leave the queue, at most one staged per slot in service, so the next
   * payload is ready when a slot frees and no request is taken while no instance is in service.
   */
  private pump(): void {
    const { queue, clock } = this.deps;
    if (this.closing) return;
    if (queue.headExpired(clock.now())) this.expireDue();
    while (this.slotWaiters.length > 0) {
      const instance = this.fleet.lease();
      if (!instance) break;
      this.slotWaiters.shift()?.(instance);
    }
    const depth = this.fleet.count('InService') * this.deps.options.endpoint.maxConcurrentInvocationsPerInstance;
    while (queue.queued > 0 && this.staged < depth) {
      const request = queue.take();
      if (!request) return;
      this.dispatch(request);
    }
  }

  /** A free container slot, now or when one frees; undefined if the endpoint shuts down first. */
  private acquireSlot(signal: AbortSignal): Promise<Instance | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    const instance = this.slotWaiters.length === 0 ? this.fleet.lease() : undefined;
    if (instance) return Promise.resolve(instance);
    return new Promise((resolve) => {
      const grant = (granted: Instance | undefined) => {
        signal.removeEventListener('abort', abandon);
        resolve(granted);
      };
      const abandon = () => {
        const index = this.slotWaiters.indexOf(grant);
        if (index >= 0) this.slotWaiters.splice(index, 1);
        resolve(undefined);
      };
      signal.addEventListener('abort', abandon, { once: true });
      this.slotWaiters.push(grant);
    });
  }

  private dispatch(request: QueuedRequest): void {
    const abort = new AbortController();
    if (!this.retried.has(request.id)) this.metrics.observe('TimeInBacklogMs', this.deps.clock.now() - request.receivedAt);
    const dispatched = { abort, task: Promise.resolve() };
    dispatched.task = this.process(request, abort.signal)
      .catch((error: unknown) => {
        // Not a model or S3 failure (those are outcomes): a bug. Keep the request for the next start.
        this.deps.log('request processing crashed; it stays queued for the next start', { inferenceId: request.inferenceId, error: String(error) });
        this.deps.queue.abandon(request);
      })
      .finally(() => {
        this.inFlight.delete(dispatched);
        this.pump();
      });
    this.inFlight.add(dispatched);
  }

  /**
   * One request end to end. The payload is downloaded before a container slot is taken, and the slot
   * is freed as soon as the container replies: MaxConcurrentInvocationsPerInstance bounds "concurrent
   * requests sent by the SageMaker client to the model container" (API_AsyncInferenceClientConfig,
   * SageMaker API reference), not S3 transfers or notifications.
   */
  private async process(request: QueuedRequest, signal: AbortSignal): Promise<void> {
    const staged = await this.stage(request, signal);
    if (staged.kind === 'failed') return this.fail(request, staged.outcome);
    if (staged.kind === 'aborted') return this.deps.queue.abandon(request);
    let leased = true;
    const releaseSlot = () => {
      if (!leased) return;
      leased = false;
      this.fleet.release(staged.instance);
    };
    try {
      await this.runOnInstance(request, staged, signal, releaseSlot);
    } finally {
      releaseSlot();
    }
  }

  /** Downloads the payload, then waits for a container slot; counted in `staged` throughout. */
  private async stage(
    request: QueuedRequest,
    signal: AbortSignal,
  ): Promise<
    | { kind: 'ready'; input: Buffer; instance: Instance; backlogMs: number }
    | { kind: 'failed'; outcome: Extract<InvocationOutcome, { kind: 'failed' }> }
    | { kind: 'aborted' }
  > {
    const { options, queue } = this.deps;
    // Synchronous up to the first await, so pump() sees the count before it takes the next request.
    this.staged++;
    try {
      const takenAt = Date.now();
      const payload = await download(request, {
        s3: options.s3,
        readInlineBody: (r) => queue.readInlineBody(r),
        signal,
        ...(options.maxInputBytes !== undefined ? { maxInputBytes: options.maxInputBytes } : {}),
      });
      if (payload.kind !== 'input') return payload.kind === 'failed' ? { kind: 'failed', outcome: payload } : payload;
      const downloadMs = Date.now() - takenAt;
      const instance = await this.acquireSlot(signal);
      if (!instance) return { kind: 'aborted' };
      // Waiting for a slot with the payload in hand is time in the backlog; the download is not.
      return { kind: 'ready', input: payload.input, instance, backlogMs: Date.now() - Date.parse(request.receivedTime) - downloadMs };
    } finally {
      this.staged--;
    }
  }

  /** The model call on the granted instance, then the outcome: output or failure, notification, journal. */
  private async runOnInstance(
    request: QueuedRequest,
    { input, instance, backlogMs }: { input: Buffer; instance: Instance; backlogMs: number },
    signal: AbortSignal,
    releaseSlot: () => void,
  ): Promise<void> {
    const { options, queue } = this.deps;
    const url = instance.model?.url;
    let modelMs = 0;
    const outcome: InvocationOutcome = url
      ? await callModel(request, input, url, {
          signal,
          onModelLatency: (ms) => {
            modelMs = ms;
            this.metrics.observe('ModelLatencyMs', ms);
          },
        })
      : { kind: 'unreachable', code: 'NoProcess' };
    // Per-request timings in real milliseconds, for benchmarks that separate queueing and model time.
    options.onRequestTiming?.({ inferenceId: request.inferenceId, backlogMs, modelMs });

    if (outcome.kind === 'aborted' || (this.closing && outcome.kind !== 'completed' && outcome.kind !== 'failed')) {
      queue.abandon(request);
      return;
    }
    if (outcome.kind === 'unreachable') {
      // The instance process died mid-request: SageMaker replaces unhealthy instances. The emulator
      // retries the request once on another instance (UNVERIFIED: SageMaker documents no retry).
      if (!(await this.fleet.isAlive(instance))) {
        this.fleet.replaceDead(instance);
        releaseSlot();
        if (!this.retried.has(request.id) && !this.closing) {
          this.retried.add(request.id);
          this.deps.log('instance died mid-request, retrying the request', { inferenceId: request.inferenceId, instanceId: instance.id });
          queue.putBack(request);
          return;
        }
      }
      const reason = failureReasons.unreachable(outcome.code);
      await this.fail(request, { kind: 'failed', reason, detail: Buffer.from(reason), detailContentType: 'text/plain; charset=utf-8' });
      return;
    }
    releaseSlot();
    if (outcome.kind === 'failed') {
      await this.fail(request, outcome);
      return;
    }
    await this.complete(request, outcome);
  }

  /** 2xx: the body goes to OutputLocation with the model's content type, then the success notification. */
  private async complete(request: QueuedRequest, outcome: Extract<InvocationOutcome, { kind: 'completed' }>): Promise<void> {
    const uploadError = await putObject(this.deps.options.s3, request.outputLocation, outcome.body, outcome.contentType);
    if (uploadError) {
      this.metrics.count('ResponseUploadFailures');
      const reason = failureReasons.upload(request.outputLocation, uploadError);
      await this.fail(request, { kind: 'failed', reason, detail: Buffer.from(reason), detailContentType: 'text/plain; charset=utf-8' });
      return;
    }
    this.metrics.count('InvocationsProcessed');
    this.totals.completed++;
    await this.notify(request, 'Completed', {
      responseParameters: { ...(outcome.contentType ? { contentType: outcome.contentType } : {}), outputLocation: request.outputLocation },
      body: outcome.body,
    });
    this.finish(request, 'Completed');
  }

  /**
   * Failure: the failure object (model error body or a description) at FailureLocation when
   * S3FailurePath is set, InvocationFailures, and the error notification. The notification names the
   * failure object in responseParameters.failureLocation: whether SageMaker does is UNVERIFIED
   * (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-check-predictions.html); the emulator does it on purpose, for consumers to find the details.
   */
  private async fail(request: QueuedRequest, outcome: Extract<InvocationOutcome, { kind: 'failed' }>): Promise<void> {
    if (outcome.metric) this.metrics.count(outcome.metric);
    let failureLocation: string | undefined;
    if (request.failureLocation) {
      const error = await putObject(this.deps.options.s3, request.failureLocation, outcome.detail, outcome.detailContentType);
      if (error) {
        this.metrics.count('ResponseUploadFailures');
        this.deps.log('failure object upload failed', { inferenceId: request.inferenceId, failureLocation: request.failureLocation, error });
      } else {
        failureLocation = request.failureLocation;
      }
    }
    this.metrics.count('InvocationsProcessed');
    this.metrics.count('InvocationFailures');
    this.totals.failed++;
    await this.notify(request, 'Failed', {
      failureReason: outcome.reason,
      ...(failureLocation
        ? { responseParameters: { ...(outcome.modelBody ? { contentType: outcome.detailContentType } : {}), failureLocation } }
        : {}),
      ...(outcome.modelBody ? { body: outcome.modelBody } : {}),
    });
    this.finish(request, 'Failed');
  }

  /** "ExpiredRequests: number of requests in the queue that fail due to reaching their specified request TTL" (async-inference-monitor). */
  private async expire(request: QueuedRequest): Promise<void> {
    this.metrics.count('ExpiredRequests');
    this.totals.expired++;
    this.deps.log('inference expired in the queue', { inferenceId: request.inferenceId, requestTtlSeconds: request.requestTtlSeconds });
    await this.notify(request, 'Failed', { failureReason: failureReasons.expired(request.requestTtlSeconds) });
    this.finish(request, 'Expired');
  }

  private async notify(
    request: QueuedRequest,
    status: 'Completed' | 'Failed',
    extra: Pick<NotificationFacts, 'failureReason' | 'responseParameters'> & { body?: Buffer },
  ): Promise<void> {
    const { options, log } = this.deps;
    const topic = topicFor(options.endpoint, status);
    if (!topic) return;
    const responseBody = includeResponseBody(options.endpoint, status, extra.body);
    const message = buildNotification({
      region: options.region,
      endpointName: options.endpoint.endpointName,
      request,
      status,
      eventTime: new Date(),
      ...(extra.failureReason !== undefined ? { failureReason: extra.failureReason } : {}),
      ...(extra.responseParameters ? { responseParameters: extra.responseParameters } : {}),
      ...(responseBody ? { responseBody } : {}),
    });
    try {
      await options.publish(topic, JSON.stringify(message));
    } catch (error) {
      // NotificationFailures; the result itself is already in S3, so nothing else is undone.
      this.metrics.count('NotificationFailures');
      this.totals.notificationFailures++;
      log('notification failed', { inferenceId: request.inferenceId, topic, error: String(error) });
    }
  }

  private finish(request: QueuedRequest, status: TerminalStatus): void {
    const now = this.deps.clock.now();
    this.metrics.observe('TotalProcessingTimeMs', now - request.receivedAt);
    this.deps.queue.finish(request, status, now);
    this.retried.delete(request.id);
    this.deps.log('inference finished', { inferenceId: request.inferenceId, status });
  }

  /** Drops every queued request whose RequestTTLSeconds (simulated) has passed. */
  private expireDue(): void {
    for (const request of this.deps.queue.takeExpired(this.deps.clock.now())) this.track(this.expire(request));
  }

  /** Arms the TTL timer for the earliest expiry: `candidate` if given, else the queue's earliest. */
  private scheduleExpiry(candidate?: number): void {
    if (this.closing) return;
    const next = candidate ?? this.deps.queue.earliestExpiry();
    if (next === undefined || (this.expiry && this.expiry.at <= next)) return;
    this.expiry?.timer.cancel();
    const timer = this.deps.clock.setTimer(next - this.deps.clock.now(), () => {
      this.expiry = undefined;
      this.expireDue();
      this.scheduleExpiry();
    });
    this.expiry = { at: next, timer };
  }

  private scheduleTick(): void {
    this.tickTimer = this.deps.clock.setTimer(this.periodEnd - this.deps.clock.now(), () => this.tick());
  }

  /** End of a simulated minute: a datapoint, then one evaluation of the scaling policies. */
  private tick(): void {
    if (this.closing) return;
    this.expireDue();
    this.metrics.closePeriod(this.gauges(), this.periodEnd);
    this.periodEnd += METRIC_PERIOD_MS;
    const { options, clock, names } = this.deps;
    const decision = decideCapacity({
      now: clock.now(),
      desired: this.fleet.desiredCount,
      history: this.metrics.history(),
      activities: this.activities,
      scaling: options.scaling,
      names,
    });
    if (decision) this.applyCapacity(decision.capacity, decision.policyName, decision.cause);
    this.scheduleTick();
  }

  private gauges(): Gauges {
    const { queue, clock } = this.deps;
    const oldest = queue.oldestReceivedAt();
    return {
      queued: queue.queued,
      inFlight: this.inFlight.size,
      inService: this.fleet.count('InService'),
      desired: this.fleet.desiredCount,
      oldestAgeS: oldest === undefined ? 0 : (clock.now() - oldest) / 1000,
    };
  }

  private applyCapacity(capacity: number, policyName: string, cause: string): void {
    const activity: ScalingActivity = {
      time: isoTime(this.deps.clock.now()),
      from: this.fleet.desiredCount,
      to: capacity,
      cause,
      policyName,
      description: `Setting desired instance count to ${capacity}.`,
    };
    this.activities.push(activity);
    this.deps.log('scaling activity', { ...activity });
    this.fleet.setDesired(capacity);
    writeFileSync(join(this.deps.options.stateDir, CAPACITY_FILE), `${JSON.stringify({ desiredInstanceCount: capacity })}\n`);
  }

  private track(task: Promise<void>): void {
    const settled = task.catch((error: unknown) => this.deps.log('background task failed', { error: String(error) }));
    this.background.add(settled);
    void settled.finally(() => this.background.delete(settled));
  }
}

const CAPACITY_FILE = 'capacity.json';

const readSavedCapacity = (stateDir: string): number | undefined => {
  try {
    const saved = JSON.parse(readFileSync(join(stateDir, CAPACITY_FILE), 'utf-8')) as { desiredInstanceCount?: unknown };
    return typeof saved.desiredInstanceCount === 'number' ? saved.desiredInstanceCount : undefined;
  } catch {
    return undefined;
  }
};
