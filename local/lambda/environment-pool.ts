/**
 * A function's execution environments: a warm one is reused for the next invocation, a new one (a
 * cold start, its init code run again) is created only when every environment is busy, and never more
 * than `size` at once, so invocations past that wait in the queue. Lambda creates environments the
 * same way, up to the function's concurrency
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html); unlike Lambda, an idle
 * environment is kept until the local cloud stops.
 */

import { ExecutionEnvironment, type EnvironmentOptions } from './execution-environment';

export class EnvironmentPool {
  /** Warm environments waiting for an invocation; the last one used is reused first. */
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly live = new Set<ExecutionEnvironment>();
  private closed = false;
  /** Environments created so far. */
  coldStarts = 0;

  constructor(
    private readonly size: number,
    private readonly options: EnvironmentOptions,
  ) {}

  /** An environment for one invocation: a warm one, else a new one; undefined when all `size` are busy. */
  acquire(): ExecutionEnvironment | undefined {
    if (this.closed) return undefined;
    const warm = this.idle.pop();
    if (warm) return warm;
    if (this.live.size >= this.size) return undefined;
    const environment = new ExecutionEnvironment(this.options);
    this.coldStarts += 1;
    this.live.add(environment);
    void environment.exited.then(() => {
      this.live.delete(environment);
      const at = this.idle.indexOf(environment);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return environment;
  }

  /** Takes an environment back once its invocation has ended; a stopped or crashed one is not reused. */
  release(environment: ExecutionEnvironment): void {
    if (environment.alive && !this.closed) this.idle.push(environment);
  }

  /** Environments alive now, busy or idle. */
  get environments(): number {
    return this.live.size;
  }

  /** Environments running an invocation now. */
  get busy(): number {
    return this.live.size - this.idle.length;
  }

  /** Ends every running invocation without an outcome and stops every environment. */
  async close(): Promise<void> {
    this.closed = true;
    this.idle.length = 0;
    await Promise.all([...this.live].map((environment) => environment.shutdown()));
  }
}
