/**
 * Dispatch: moves queued requests to model container slots. A request's payload is downloaded
 * before a slot is taken, and the slot is freed as soon as the container replies:
 * MaxConcurrentInvocationsPerInstance bounds "concurrent requests sent by the SageMaker client to the
 * model container" (API_AsyncInferenceClientConfig, SageMaker API reference), not S3 transfers or
 * notifications. How each request ends is outcomes.ts.
 */

import type { SimulatedClock } from './clock';
import type { Instance, InstanceFleet } from './instances';
import { callModel, download, failureReasons, type InvocationOutcome } from './invocation';
import type { MetricsRecorder } from './metrics';
import { failedWith, type FailedOutcome, type Outcomes } from './outcomes';
import type { PersistentQueue, QueuedRequest } from './queue';
import type { AsyncEndpointOptions } from './types';
import { describeError } from '../../core/errors';

export interface DispatcherDeps {
  options: AsyncEndpointOptions;
  clock: SimulatedClock;
  queue: PersistentQueue;
  fleet: InstanceFleet;
  metrics: MetricsRecorder;
  outcomes: Outcomes;
  /** Expires the queue's due requests; pump() calls it when the head of the queue is past its TTL. */
  expireDue: () => void;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

type Staged =
  | { kind: 'ready'; input: Buffer; instance: Instance; backlogMs: number }
  | { kind: 'failed'; outcome: FailedOutcome }
  | { kind: 'aborted' };

export class Dispatcher {
  /** One entry per dispatch (a retried request is dispatched twice). */
  private readonly inFlight = new Set<{ abort: AbortController; task: Promise<void> }>();
  /** Requests taken from the queue whose model call has not started (payload downloading, or waiting for a slot). */
  private staged = 0;
  /** Requests with their payload in hand, waiting for a free slot at a model container, oldest first. */
  private readonly slotWaiters: Array<(instance: Instance | undefined) => void> = [];
  /** Requests already retried once after their instance died. */
  private readonly retried = new Set<string>();
  private closing = false;

  constructor(private readonly deps: DispatcherDeps) {}

  /** Requests being worked on (downloading, waiting for a slot, at the model, or reporting). */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** A request is terminal: it will not come back for a retry. */
  forget(request: QueuedRequest): void {
    this.retried.delete(request.id);
  }

  /**
   * Moves requests along: free container slots go to requests whose payload is downloaded, oldest
   * first; then more requests leave the queue, at most one staged per slot in service, so the next
   * payload is ready when a slot frees and no request is taken while no instance is in service.
   */
  pump(): void {
    const { queue, clock, fleet } = this.deps;
    if (this.closing) return;
    if (queue.headExpired(clock.nowMs())) this.deps.expireDue();
    while (this.slotWaiters.length > 0) {
      const instance = fleet.lease();
      if (!instance) break;
      this.slotWaiters.shift()?.(instance);
    }
    const depth = fleet.count('InService') * this.deps.options.endpoint.maxConcurrentInvocationsPerInstance;
    while (queue.queued > 0 && this.staged < depth) {
      const request = queue.take();
      if (!request) return;
      this.dispatch(request);
    }
  }

  /** Cancels model calls (their requests stay journaled) and waits for every dispatch to settle. */
  async close(): Promise<void> {
    this.closing = true;
    for (const { abort } of this.inFlight) abort.abort();
    await Promise.allSettled([...this.inFlight].map((f) => f.task));
  }

  /** A free container slot, now or when one frees; undefined if the endpoint shuts down first. */
  private acquireSlot(signal: AbortSignal): Promise<Instance | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    const instance = this.slotWaiters.length === 0 ? this.deps.fleet.lease() : undefined;
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
    if (!this.retried.has(request.id)) this.deps.metrics.observe('TimeInBacklogMs', this.deps.clock.nowMs() - request.receivedAt);
    const dispatched = { abort, task: Promise.resolve() };
    dispatched.task = this.process(request, abort.signal)
      .catch((error: unknown) => {
        // Not a model or S3 failure (those are outcomes): a bug. Keep the request for the next start.
        this.deps.log('request processing crashed; it stays queued for the next start', {
          inferenceId: request.inferenceId,
          error: describeError(error),
        });
        this.deps.queue.abandon(request);
      })
      .finally(() => {
        this.inFlight.delete(dispatched);
        this.pump();
      });
    this.inFlight.add(dispatched);
  }

  /** One request end to end: staged (payload and slot), then run on the instance. */
  private async process(request: QueuedRequest, signal: AbortSignal): Promise<void> {
    const staged = await this.stage(request, signal);
    if (staged.kind === 'failed') return this.deps.outcomes.fail(request, staged.outcome);
    if (staged.kind === 'aborted') return this.deps.queue.abandon(request);
    let leased = true;
    const releaseSlot = () => {
      if (!leased) return;
      leased = false;
      this.deps.fleet.release(staged.instance);
    };
    try {
      await this.runOnInstance(request, staged, signal, releaseSlot);
    } finally {
      releaseSlot();
    }
  }

  /** Downloads the payload, then waits for a container slot; counted in `staged` throughout. */
  private async stage(request: QueuedRequest, signal: AbortSignal): Promise<Staged> {
    const { options, queue } = this.deps;
    // Synchronous up to the first await, so pump() sees the count before it takes the next request.
    this.staged++;
    try {
      const takenAt = Date.now();
      const payload = await download(request, {
        objects: options.objects,
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
    const { options, queue, fleet, metrics, outcomes } = this.deps;
    const url = instance.model?.url;
    let modelMs = 0;
    const outcome: InvocationOutcome = url
      ? await callModel(request, input, url, {
          signal,
          onModelLatency: (ms) => {
            modelMs = ms;
            metrics.observe('ModelLatencyMs', ms);
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
      if (!(await fleet.isAlive(instance))) {
        fleet.replaceDead(instance);
        releaseSlot();
        if (!this.retried.has(request.id) && !this.closing) {
          this.retried.add(request.id);
          this.deps.log('instance died mid-request, retrying the request', { inferenceId: request.inferenceId, instanceId: instance.id });
          queue.putBack(request);
          return;
        }
      }
      await outcomes.fail(request, failedWith(failureReasons.unreachable(outcome.code)));
      return;
    }
    releaseSlot();
    if (outcome.kind === 'failed') {
      await outcomes.fail(request, outcome);
      return;
    }
    await outcomes.complete(request, outcome);
  }
}
