/**
 * One execution environment of a function, seen from the local cloud's process: a worker thread in
 * the Lambda host process (host.ts; its own V8 isolate, module state and process.env) that loads the
 * bundle once, its Init phase, then runs one invocation at a time for as long as it lives, as Lambda
 * runs them. https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 *
 * The timeouts are kept here. An invocation that passes the function's timeout stops its environment
 * (Lambda resets the execution environment of an invocation that crashes or times out: same page,
 * Invoke phase), and its outcome is known only once the thread has exited, so a retry (same request
 * id) never runs beside it. The Init phase gets the function's timeout too: Lambda gives a first
 * invocation's Init that long when the 10-second Init phase did not finish (same page, Init phase).
 */

import { randomUUID } from 'node:crypto';
import { FUNCTION_THREAD_PREFIX } from '../defaults';
import type { LocalFunction } from '../template/stack-config';
import { describeError } from '../../core/errors';
import type { EnvironmentSpec, FromHost, ToHost } from './host-messages';
import type { LambdaHost } from './host-process';
import type { FunctionError, WorkerReply } from './worker';

export interface EnvironmentOptions {
  fn: LocalFunction;
  /** Added to the function's own environment: endpoints, region, credentials. */
  env: Record<string, string>;
  host: LambdaHost;
  /** Where the function's output goes: the function's log file. */
  logFile: string;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface Attempt {
  /** One id per attempt: a late reply must not settle a retry. */
  id: string;
  event: unknown;
  /** Kept across an asynchronous invocation's retries. */
  requestId: string;
}

const failure = (id: string, errorType: string, errorMessage: string): WorkerReply => ({
  id,
  ok: false,
  error: { errorType, errorMessage, trace: [] },
});

const SHUTDOWN: FunctionError = { errorType: 'Runtime.Shutdown', errorMessage: 'the local cloud stopped', trace: [] };

export class ExecutionEnvironment {
  /** Settles when the thread has exited, for whatever reason (or never started). */
  readonly exited: Promise<void>;
  private readonly id = randomUUID();
  private send: ((message: ToHost) => void) | undefined;
  private readonly initialized: Promise<FunctionError | undefined>;
  private settleInit!: (error: FunctionError | undefined) => void;
  private settleExit!: () => void;
  /** Settles the invocation running now, if any. */
  private settle: ((reply: WorkerReply) => void) | undefined;
  private running: string | undefined;
  private live = true;

  constructor(private readonly options: EnvironmentOptions) {
    this.initialized = new Promise((resolve) => (this.settleInit = resolve));
    this.exited = new Promise((resolve) => (this.settleExit = resolve));
  }

  /** Still able to run invocations: not stopped, not crashed. */
  get alive(): boolean {
    return this.live;
  }

  /** Runs one invocation (after the Init phase if it has not run yet) and gives its outcome. */
  async invoke(attempt: Attempt, timeoutS: number): Promise<WorkerReply> {
    const timeoutMs = timeoutS * 1000;
    const cold = !this.send;
    if (!this.send) {
      try {
        this.send = await this.options.host.connect(this.id, (message) => this.receive(message), timeoutMs);
      } catch (error) {
        this.ended();
        return failure(attempt.id, 'Runtime.ExitError', `no Lambda host process to run in: ${describeError(error)}`);
      }
    }
    if (!this.live) return failure(attempt.id, SHUTDOWN.errorType, SHUTDOWN.errorMessage);
    const outcome = new Promise<WorkerReply>((resolve) => {
      this.running = attempt.id;
      this.settle = resolve;
    });
    this.send({ type: 'invoke', env: this.id, ...attempt, timeoutMs, ...(cold ? { create: this.spec() } : {}) });
    if (cold) {
      const init = await this.within(
        this.initialized.then((error) => ({ error })),
        timeoutMs,
      );
      if (!init) return this.timedOut(attempt.id, timeoutS);
      if (init.error) {
        // The host stops an environment whose init failed; the next invocation gets a new one.
        this.clearRunning();
        await this.exited;
        return { id: attempt.id, ok: false, error: init.error };
      }
    }
    const reply = await this.within(outcome, timeoutMs);
    this.clearRunning();
    return reply ?? this.timedOut(attempt.id, timeoutS);
  }

  /** Stops the thread; settles once it has exited. */
  async stop(): Promise<void> {
    this.live = false;
    if (this.send) this.send({ type: 'stop', env: this.id });
    else this.ended();
    await this.exited;
  }

  /** The local cloud is stopping: the running invocation ends without an outcome, and the thread stops. */
  async shutdown(): Promise<void> {
    this.settleInit(SHUTDOWN);
    if (this.running) this.settle?.({ id: this.running, ok: false, error: SHUTDOWN });
    await this.stop();
  }

  private receive(message: FromHost): void {
    if (message.type === 'init') this.settleInit(message.error);
    else if (message.type === 'outcome') {
      if (message.id === this.running)
        this.settle?.({ id: message.id, ok: message.ok, ...(message.error ? { error: message.error } : {}) });
    } else {
      if (message.error) this.options.log?.('function environment crashed', { function: this.options.fn.name, ...message.error });
      // Like a crashed sandbox: the invocation in it fails (and is retried).
      const gone = message.error ?? { errorType: 'Runtime.ExitError', errorMessage: 'the function process exited', trace: [] };
      this.settleInit(gone);
      if (this.running) this.settle?.({ id: this.running, ok: false, error: gone });
      this.ended();
    }
  }

  private ended(): void {
    this.live = false;
    this.settleExit();
  }

  private clearRunning(): void {
    this.running = undefined;
    this.settle = undefined;
  }

  private spec(): EnvironmentSpec {
    const { fn, env, logFile } = this.options;
    return {
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...fn.environment, ...env, AWS_LAMBDA_FUNCTION_NAME: fn.name },
      workerData: {
        bundle: fn.bundle,
        exportName: fn.exportName,
        name: fn.name,
        arn: fn.arn,
        memorySizeMB: fn.memorySizeMB,
        threadName: FUNCTION_THREAD_PREFIX + fn.name.split('-').pop(),
        logStreamName: `local/[$LATEST]${this.id.replaceAll('-', '')}`,
      },
      logFile,
    };
  }

  private async timedOut(id: string, timeoutS: number): Promise<WorkerReply> {
    this.clearRunning();
    await this.stop();
    return failure(id, 'Sandbox.Timedout', `Task timed out after ${timeoutS.toFixed(2)} seconds`);
  }

  /** The promise's value, or undefined if it has not settled within `ms`. */
  private within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]).finally(() =>
      clearTimeout(timer),
    );
  }
}
