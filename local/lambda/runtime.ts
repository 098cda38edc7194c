/**
 * One function of the stack, run as Lambda runs an asynchronously invoked function: the event is
 * accepted into a journaled queue (invocation-queue.ts), each invocation runs alone in an execution
 * environment of the function's pool (environment-pool.ts, execution-environment.ts; the environments
 * live in the Lambda host process, host-process.ts), an error is retried or dead-lettered as the retry
 * policy says (retry-policy.ts, dead-letters.ts).
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULTS } from '../defaults';
import type { LocalFunction } from '../template/stack-config';
import { DeadLetters } from './dead-letters';
import { EnvironmentPool } from './environment-pool';
import type { ExecutionEnvironment } from './execution-environment';
import type { LambdaHost } from './host-process';
import { InvocationQueue, type Invocation } from './invocation-queue';
import { decideAfterError } from './retry-policy';
import type { WorkerReply } from './worker';

export interface LambdaRuntimeOptions {
  fn: LocalFunction;
  /** Added to the function's own environment: endpoints, region, credentials. */
  env: Record<string, string>;
  stateDir: string;
  /** The process the function's execution environments run in (it may serve other functions too). */
  host: LambdaHost;
  /** Simulated seconds per real second: shortens retry waits and the maximum event age. */
  timeScale: number;
  /**
   * Execution environments at most, so invocations running at once (default
   * DEFAULTS.lambdaEnvironments); never more than the function's reserved concurrency.
   */
  environments?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * The environments a function may have: the bound asked for, capped by the function's reserved
 * concurrency, as on Lambda, where invocations past it are throttled and wait in the asynchronous
 * queue (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html).
 */
export const environmentBound = (fn: LocalFunction, asked: number = DEFAULTS.lambdaEnvironments): number =>
  Math.max(1, Math.min(asked, fn.reservedConcurrency ?? Infinity));

export class LocalLambda {
  private readonly tally = { invocations: 0, errors: 0, retries: 0, deadLettered: 0 };
  private readonly queue: InvocationQueue;
  private readonly pool: EnvironmentPool;
  private readonly deadLetterQueue: DeadLetters;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: LambdaRuntimeOptions) {
    const { fn, stateDir } = options;
    this.queue = new InvocationQueue(join(stateDir, 'lambda', fn.name, 'pending.jsonl'));
    this.deadLetterQueue = new DeadLetters(stateDir, fn);
    mkdirSync(join(stateDir, 'logs'), { recursive: true });
    this.pool = new EnvironmentPool(environmentBound(fn, options.environments), {
      fn,
      env: options.env,
      host: options.host,
      logFile: join(stateDir, 'logs', `${fn.name}.log`),
      ...(options.log ? { log: options.log } : {}),
    });
    // Invocations accepted before a restart run again.
    this.pump();
  }

  /** Queues an asynchronous invocation, as Lambda does for S3 and SNS (202 Accepted). */
  invokeAsync(event: unknown): string {
    const id = this.queue.accept(event);
    this.pump();
    return id;
  }

  get name(): string {
    return this.options.fn.name;
  }

  /** Nothing queued, running or waiting to be retried. */
  idle(): boolean {
    return this.queue.pending === 0;
  }

  /** Invocations accepted and not yet done: queued, running or waiting for a retry. */
  get pending(): number {
    return this.queue.pending;
  }

  /** Invocations waiting for an execution environment. */
  get queued(): number {
    return this.queue.queued;
  }

  /** Invocations running now, one per busy environment. */
  get running(): number {
    return this.pool.busy;
  }

  /** Execution environments alive now, busy or warm. */
  get environments(): number {
    return this.pool.environments;
  }

  /** Attempts made, errors, retries, dead letters, and execution environments created (cold starts). */
  get counts(): { invocations: number; errors: number; retries: number; deadLettered: number; coldStarts: number } {
    return { ...this.tally, coldStarts: this.pool.coldStarts };
  }

  /** Destination records of invocations that failed for good, oldest first. */
  deadLetters(): Record<string, unknown>[] {
    return this.deadLetterQueue.list();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    // Running invocations end without an outcome: they stay in the journal for next time.
    await this.pool.close();
    this.queue.close();
  }

  /**
   * Starts queued invocations while an environment is free or can be created. An attempt counts
   * against the bound (and the reserved concurrency) from its dispatch: its environment is taken here
   * and given back only once the attempt has ended, after a timed-out environment has stopped.
   */
  private pump(): void {
    while (!this.closed && this.queue.queued > 0) {
      const environment = this.pool.acquire();
      if (!environment) return;
      const next = this.queue.take();
      if (!next) {
        this.pool.release(environment);
        return;
      }
      void this.attempt(next.id, next.invocation, environment);
    }
  }

  private async attempt(id: string, invocation: Invocation, environment: ExecutionEnvironment): Promise<void> {
    const { fn } = this.options;
    invocation.attempts += 1;
    this.tally.invocations += 1;
    // Lambda keeps an asynchronous invocation's request id across its retries; the attempt id tells a
    // late reply from the current attempt's.
    const reply = await environment.invoke({ id: `${id}#${invocation.attempts}`, event: invocation.event, requestId: id }, fn.timeoutS);
    this.pool.release(environment);
    if (this.closed) return;
    if (reply.ok) {
      this.queue.done(id);
    } else {
      this.tally.errors += 1;
      this.log('function error', { function: fn.name, attempt: invocation.attempts, ...reply.error });
      this.onError(id, invocation, reply);
    }
    // The next queued invocation starts here, once per attempt.
    this.pump();
  }

  private onError(id: string, invocation: Invocation, reply: WorkerReply): void {
    const { fn, timeScale } = this.options;
    const ageS = ((Date.now() - invocation.firstAttemptAt) / 1000) * timeScale;
    const next = decideAfterError(fn, invocation, ageS);
    if ('retryAfterS' in next) {
      this.tally.retries += 1;
      this.queue.recordAttempts(id, invocation);
      const timer = setTimeout(
        () => {
          this.retryTimers.delete(timer);
          this.queue.retry(id);
          this.pump();
        },
        (next.retryAfterS * 1000) / timeScale,
      );
      this.retryTimers.add(timer);
      return;
    }
    this.tally.deadLettered += 1;
    this.deadLetterQueue.write(id, invocation, next.deadLetter, reply.error);
    this.queue.done(id);
  }

  private log(message: string, fields?: Record<string, unknown>): void {
    this.options.log?.(message, fields);
  }
}
