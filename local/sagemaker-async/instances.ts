/**
 * The instances behind the variant. The autoscaler sets the desired count; the fleet launches and
 * terminates model-server processes to match it and hands out invocation slots.
 *
 * - A new instance is Pending for provisioningDelayS (simulated); meanwhile its process is started
 *   with launchInstance(). It is InService once the delay has passed and GET /ping answers 200
 *   (hosting contract, https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html).
 * - A launch that fails, or a process that exits or does not pass /ping within
 *   startupHealthCheckTimeoutS (real) before it is InService, is launched again with the same
 *   instance id after a real-time backoff (1 s, doubling to 30 s). After 10 such failures in a row,
 *   with no instance coming into service between them, the fleet stops launching (a crash loop,
 *   support/supervisor.ts) and its supervision status says why. SageMaker replaces instances that
 *   fail; its exact retry policy is UNVERIFIED.
 * - Each InService instance runs at most MaxConcurrentInvocationsPerInstance requests
 *   (AsyncInferenceConfig.ClientConfig, https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceClientConfig.html);
 *   work goes to the least-loaded instance first.
 * - Scale-in picks Pending instances first, then idle ones, then the least busy; a Terminating
 *   instance takes no new work, finishes what it has, then is stopped. Which instances SageMaker
 *   removes is UNVERIFIED.
 * - An instance whose process exits, or that is found dead (no connection and no /ping), is removed
 *   at once and replaced; its in-flight requests fail to reach it, and the dispatcher retries each
 *   once (dispatcher.ts).
 */

import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulatedClock, Timer } from './clock';
import { ping } from './model-client';
import type { InstanceState, InstanceStatus, ModelInstance } from './types';
import { describeError } from '../../core/errors';
import { CrashStreak, type RestartPolicy, type SupervisionStatus } from '../support/supervisor';

export interface Instance {
  readonly id: string;
  state: InstanceState;
  inFlight: number;
  model?: ModelInstance;
  provisioned: boolean;
  provisionTimer?: Timer;
  /** Wakes the launch loop when the instance is provisioned or terminated. */
  wake?: () => void;
}

export interface FleetOptions {
  clock: SimulatedClock;
  provisioningDelayMs: number;
  maxConcurrentPerInstance: number;
  startupHealthCheckTimeoutMs: number;
  launchInstance(instanceId: string): Promise<ModelInstance>;
  log(message: string, fields?: Record<string, unknown>): void;
  /** Called whenever capacity may have changed (an instance came into service, a slot was freed). */
  onCapacity(): void;
  /** Backoff and crash-loop limit for instances that fail to start (default MODEL_SERVER_RESTARTS). */
  restartPolicy?: RestartPolicy;
}

export const MODEL_SERVER_RESTARTS: RestartPolicy = { firstDelayMs: 1_000, maxDelayMs: 30_000, maxCrashesInARow: 10 };
export const MODEL_SERVERS_NAME = 'model servers';

const PING_INTERVAL_MS = 50;
const newInstanceId = () => `i-${randomBytes(9).toString('hex').slice(0, 17)}`;

export class InstanceFleet {
  private readonly instances: Instance[] = [];
  private desired = 0;
  private readonly stopping = new AbortController();
  private readonly background = new Set<Promise<unknown>>();
  private readonly streak: CrashStreak;
  /** Instances replaced after their process died. */
  private replaced = 0;
  private lastExit: SupervisionStatus['lastExit'];
  /** Why the fleet stopped launching (a crash loop), once it has. */
  private gaveUp: string | undefined;

  constructor(private readonly options: FleetOptions) {
    this.streak = new CrashStreak(options.restartPolicy ?? MODEL_SERVER_RESTARTS);
  }

  get desiredCount(): number {
    return this.desired;
  }

  /**
   * `alreadyProvisioned`: the instances belong to an endpoint that exists already (the local cloud
   * starting, or restarting), so they skip the provisioning delay and only wait for /ping.
   */
  setDesired(count: number, { alreadyProvisioned = false }: { alreadyProvisioned?: boolean } = {}): void {
    this.desired = count;
    this.reconcile(alreadyProvisioned);
  }

  /** A free slot on the least-loaded InService instance, or nothing. Pair with release(). */
  lease(): Instance | undefined {
    const candidates = this.instances.filter((i) => i.state === 'InService' && i.inFlight < this.options.maxConcurrentPerInstance);
    const chosen = candidates.reduce<Instance | undefined>((best, i) => (!best || i.inFlight < best.inFlight ? i : best), undefined);
    if (chosen) chosen.inFlight++;
    return chosen;
  }

  release(instance: Instance): void {
    instance.inFlight = Math.max(0, instance.inFlight - 1);
    if (instance.state === 'Terminating' && instance.inFlight === 0) this.remove(instance);
    this.options.onCapacity();
  }

  /** Asks the instance's /ping; false means the process is gone. */
  async isAlive(instance: Instance): Promise<boolean> {
    return instance.model !== undefined && (await ping(instance.model.url));
  }

  /** Drops a dead instance at once and launches a replacement. */
  replaceDead(instance: Instance): void {
    if (!this.instances.includes(instance)) return;
    this.options.log('instance unhealthy, replacing it', { instanceId: instance.id });
    this.replaced++;
    instance.state = 'Terminating';
    this.remove(instance);
    this.reconcile();
  }

  status(): InstanceStatus[] {
    return this.instances.map((i) => ({
      instanceId: i.id,
      state: i.state,
      inFlight: i.inFlight,
      ...(i.model && i.state === 'InService' ? { url: i.model.url } : {}),
    }));
  }

  /** The model servers' supervision: replacements so far, and whether start-ups are in a crash loop. */
  supervision(): SupervisionStatus {
    const crashesInARow = this.streak.crashesInARow;
    return {
      name: MODEL_SERVERS_NAME,
      state: this.gaveUp ? 'failed' : crashesInARow > 0 ? 'restarting' : 'running',
      restarts: this.replaced,
      crashesInARow,
      ...(this.lastExit ? { lastExit: this.lastExit } : {}),
      ...(this.gaveUp ? { reason: this.gaveUp } : {}),
    };
  }

  count(state: InstanceState): number {
    return this.instances.filter((i) => i.state === state).length;
  }

  /** Stops everything: pending launches, health checks and every process. */
  async close(): Promise<void> {
    this.stopping.abort();
    for (const instance of this.instances) {
      instance.provisionTimer?.cancel();
      instance.wake?.();
    }
    await Promise.allSettled([...this.background]);
    const models = this.instances.flatMap((i) => (i.model ? [i.model] : []));
    this.instances.splice(0);
    await Promise.allSettled(models.map((m) => this.stopModel(m)));
  }

  private get closed(): boolean {
    return this.stopping.signal.aborted;
  }

  private reconcile(alreadyProvisioned = false): void {
    if (this.closed || this.gaveUp) return;
    const active = this.instances.filter((i) => i.state !== 'Terminating');
    for (let n = active.length; n < this.desired; n++) this.launch(alreadyProvisioned);
    const surplus = active.length - this.desired;
    if (surplus > 0) {
      const byPreference = [...active].sort(
        (a, b) => Number(a.state === 'InService') - Number(b.state === 'InService') || a.inFlight - b.inFlight || this.age(a) - this.age(b),
      );
      for (const instance of byPreference.slice(0, surplus)) this.terminate(instance);
    }
  }

  /** Newer instances sort first among equals. */
  private age(instance: Instance): number {
    return -this.instances.indexOf(instance);
  }

  private launch(alreadyProvisioned: boolean): void {
    const instance: Instance = { id: newInstanceId(), state: 'Pending', inFlight: 0, provisioned: alreadyProvisioned };
    this.instances.push(instance);
    this.options.log('instance pending', { instanceId: instance.id });
    if (!alreadyProvisioned) {
      instance.provisionTimer = this.options.clock.setTimer(this.options.provisioningDelayMs, () => {
        instance.provisioned = true;
        instance.wake?.();
      });
    }
    this.track(this.bringUp(instance));
  }

  private gone(instance: Instance): boolean {
    return this.closed || instance.state === 'Terminating' || !this.instances.includes(instance);
  }

  /** Launch → provisioned → /ping 200 → InService, retrying launches and failed start-ups. */
  private async bringUp(instance: Instance): Promise<void> {
    while (!this.gone(instance)) {
      let model: ModelInstance;
      try {
        model = await this.options.launchInstance(instance.id);
      } catch (error) {
        this.options.log('instance launch failed, retrying', { instanceId: instance.id, error: describeError(error) });
        await this.afterFailedStart(describeError(error));
        continue;
      }
      if (this.gone(instance)) {
        await this.stopModel(model);
        return;
      }
      instance.model = model;
      this.watchExit(instance, model);
      while (!instance.provisioned && !this.gone(instance) && instance.model === model)
        await new Promise<void>((resolve) => (instance.wake = resolve));
      if (this.gone(instance)) return;
      if (instance.model === model && (await this.passesHealthChecks(instance, model))) {
        instance.state = 'InService';
        this.streak.recovered();
        this.options.log('instance in service', { instanceId: instance.id, url: model.url });
        this.options.onCapacity();
        return;
      }
      if (this.gone(instance)) return;
      this.options.log('instance failed its start-up health checks, relaunching', { instanceId: instance.id });
      instance.model = undefined;
      await this.stopModel(model);
      await this.afterFailedStart(`instance ${instance.id} failed its start-up health checks`);
    }
  }

  /** Waits before the next launch, or stops launching when start-ups are in a crash loop. */
  private async afterFailedStart(error: string): Promise<void> {
    const delayMs = this.streak.crashed();
    if (delayMs !== undefined) {
      await this.pause(delayMs);
      return;
    }
    if (this.gaveUp) return;
    this.gaveUp = this.streak.givenUp(MODEL_SERVERS_NAME, error);
    this.options.log('model servers are in a crash loop; no more instances are launched', { reason: this.gaveUp });
    for (const instance of this.instances.filter((i) => i.state === 'Pending')) this.remove(instance);
  }

  /**
   * A process that exits unasked: an InService instance is replaced at once (its in-flight requests
   * fail and are retried by the dispatcher); a starting one is launched again by bringUp.
   */
  private watchExit(instance: Instance, model: ModelInstance): void {
    void model.exited?.then((exit) => {
      if (this.closed) return;
      // A stop the fleet asked for ends with 0 (SIGTERM, then a clean exit); anything else was a crash,
      // whether this or a failed request (dispatcher.ts) noticed it first.
      if (exit.code !== 0) {
        this.lastExit = { ...exit, at: new Date().toISOString() };
        this.options.log('instance process exited', { instanceId: instance.id, ...exit });
      }
      // Not the instance's process any more: stopped by the fleet, or already replaced.
      if (instance.model !== model) return;
      if (instance.state === 'InService') {
        this.replaceDead(instance);
        return;
      }
      instance.model = undefined;
      instance.wake?.();
    });
  }

  private async passesHealthChecks(instance: Instance, model: ModelInstance): Promise<boolean> {
    const deadline = performance.now() + this.options.startupHealthCheckTimeoutMs;
    while (!this.gone(instance) && instance.model === model && performance.now() < deadline) {
      if (await ping(model.url)) return true;
      await this.pause(PING_INTERVAL_MS);
    }
    return false;
  }

  private terminate(instance: Instance): void {
    this.options.log('instance terminating', { instanceId: instance.id, inFlight: instance.inFlight });
    instance.state = 'Terminating';
    instance.provisionTimer?.cancel();
    instance.wake?.();
    if (instance.inFlight === 0) this.remove(instance);
  }

  private remove(instance: Instance): void {
    const index = this.instances.indexOf(instance);
    if (index >= 0) this.instances.splice(index, 1);
    instance.provisionTimer?.cancel();
    instance.wake?.();
    const model = instance.model;
    instance.model = undefined;
    if (model) this.track(this.stopModel(model));
  }

  private async stopModel(model: ModelInstance): Promise<void> {
    try {
      await model.stop();
    } catch (error) {
      this.options.log('instance stop failed', { url: model.url, error: describeError(error) });
    }
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  private track(task: Promise<unknown>): void {
    const settled = task.then(
      () => undefined,
      (error: unknown) => this.options.log('instance task failed', { error: describeError(error) }),
    );
    this.background.add(settled);
    void settled.finally(() => this.background.delete(settled));
  }
}
