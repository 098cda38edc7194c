/**
 * The instances behind the variant. The autoscaler sets the desired count; the fleet launches and
 * terminates model-server processes to match it and hands out invocation slots.
 *
 * - A new instance is Pending for provisioningDelayS (simulated); meanwhile its process is started
 *   with launchInstance(). It is InService once the delay has passed and GET /ping answers 200
 *   (hosting contract, https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html).
 * - A launch that fails is retried with the same instance id after a real-time backoff (1 s, doubling
 *   to 30 s); a process that does not pass /ping within startupHealthCheckTimeoutS (real) is stopped
 *   and launched again. SageMaker replaces instances that fail; its exact retry policy is UNVERIFIED.
 * - Each InService instance runs at most MaxConcurrentInvocationsPerInstance requests
 *   (AsyncInferenceConfig.ClientConfig, https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceClientConfig.html);
 *   work goes to the least-loaded instance first.
 * - Scale-in picks Pending instances first, then idle ones, then the least busy; a Terminating
 *   instance takes no new work, finishes what it has, then is stopped. Which instances SageMaker
 *   removes is UNVERIFIED.
 * - An instance found dead (no connection and no /ping) is removed at once and replaced.
 */

import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulatedClock, Timer } from './clock';
import { ping } from './model-client';
import type { InstanceState, InstanceStatus, ModelInstance } from './types';
import { describeError } from '../../core/errors';

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
}

const PING_INTERVAL_MS = 50;
const launchBackoffMs = (attempt: number) => Math.min(30_000, 1_000 * 2 ** (attempt - 1));
const newInstanceId = () => `i-${randomBytes(9).toString('hex').slice(0, 17)}`;

export class InstanceFleet {
  private readonly instances: Instance[] = [];
  private desired = 0;
  private readonly stopping = new AbortController();
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly options: FleetOptions) {}

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
    if (this.closed) return;
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
    for (let attempt = 1; !this.gone(instance); attempt++) {
      let model: ModelInstance;
      try {
        model = await this.options.launchInstance(instance.id);
      } catch (error) {
        this.options.log('instance launch failed, retrying', { instanceId: instance.id, attempt, error: describeError(error) });
        await this.pause(launchBackoffMs(attempt));
        continue;
      }
      if (this.gone(instance)) {
        await this.stopModel(model);
        return;
      }
      instance.model = model;
      while (!instance.provisioned && !this.gone(instance)) await new Promise<void>((resolve) => (instance.wake = resolve));
      if (this.gone(instance)) return;
      if (await this.passesHealthChecks(instance, model)) {
        instance.state = 'InService';
        this.options.log('instance in service', { instanceId: instance.id, url: model.url });
        this.options.onCapacity();
        return;
      }
      if (this.gone(instance)) return;
      this.options.log('instance failed its start-up health checks, relaunching', { instanceId: instance.id });
      instance.model = undefined;
      await this.stopModel(model);
    }
  }

  private async passesHealthChecks(instance: Instance, model: ModelInstance): Promise<boolean> {
    const deadline = performance.now() + this.options.startupHealthCheckTimeoutMs;
    while (!this.gone(instance) && performance.now() < deadline) {
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
