/**
 * One execution environment of a function: a worker thread of its own (its own V8 isolate, module
 * state and process.env) that loads the bundle once, its Init phase, then runs one invocation at a
 * time for as long as it lives, as Lambda runs them.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 *
 * An invocation that passes the function's timeout stops its environment (Lambda resets the execution
 * environment of an invocation that crashes or times out: same page, Invoke phase), and its outcome is
 * known only once the thread has exited, so a retry (same request id) never runs beside it. The Init
 * phase gets the function's timeout too: Lambda gives a first invocation's Init that long when the
 * 10-second Init phase did not finish (same page, Init phase).
 */

import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { FUNCTION_THREAD_PREFIX } from '../defaults';
import type { LocalFunction } from '../template/stack-config';
import type { FunctionError, InitReply, WorkerData, WorkerReply, WorkerRequest } from './worker';
import { describeError } from '../../core/errors';

export interface EnvironmentOptions {
  fn: LocalFunction;
  /** Added to the function's own environment: endpoints, region, credentials. */
  env: Record<string, string>;
  /** The bundled worker.ts (localBundle(projectRoot, 'lambda-worker')). */
  workerProgram: string;
  /** Where the function's output goes: the function's log file. */
  output: Writable;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

const failure = (id: string, errorType: string, errorMessage: string): WorkerReply => ({
  id,
  ok: false,
  error: { errorType, errorMessage, trace: [] },
});

export class ExecutionEnvironment {
  /** Settles when the thread has exited, for whatever reason. */
  readonly exited: Promise<void>;
  private readonly worker: Worker;
  private readonly initialized: Promise<InitReply>;
  private settleInit!: (reply: InitReply) => void;
  /** Settles the invocation running now, if any. */
  private settle: ((reply: WorkerReply) => void) | undefined;
  private running: string | undefined;
  private live = true;

  constructor(private readonly options: EnvironmentOptions) {
    const { fn, env, workerProgram, output } = options;
    this.initialized = new Promise((resolve) => (this.settleInit = resolve));
    this.worker = new Worker(workerProgram, {
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...fn.environment, ...env, AWS_LAMBDA_FUNCTION_NAME: fn.name },
      workerData: {
        bundle: fn.bundle,
        exportName: fn.exportName,
        name: fn.name,
        arn: fn.arn,
        memorySizeMB: fn.memorySizeMB,
        threadName: FUNCTION_THREAD_PREFIX + fn.name.split('-').pop(),
        logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
      } satisfies WorkerData,
      stdout: true,
      stderr: true,
    });
    const worker = this.worker;
    // Not piped: many environments write to one log file, and each pipe would hold listeners on it.
    // Output a stopping thread flushes after the log file has closed is dropped (a write would throw).
    const write = (chunk: Buffer) => {
      if (!output.writableEnded) output.write(chunk);
    };
    worker.stdout.on('data', write);
    worker.stderr.on('data', write);
    worker.on('message', (message: InitReply | WorkerReply) => {
      if ('init' in message) this.settleInit(message);
      else if (message.id === this.running) this.settle?.(message);
    });
    worker.on('error', (error) => this.options.log?.('function worker crashed', { function: fn.name, error: describeError(error) }));
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        this.live = false;
        // Like a crashed sandbox: the invocation in it fails (and is retried).
        const gone: FunctionError = { errorType: 'Runtime.ExitError', errorMessage: 'the function process exited', trace: [] };
        this.settleInit({ init: 'failed', error: gone });
        if (this.running) this.settle?.({ id: this.running, ok: false, error: gone });
        resolve();
      }),
    );
  }

  /** Still able to run invocations: not stopped, not crashed. */
  get alive(): boolean {
    return this.live;
  }

  /** Runs one invocation (after the Init phase if it has not run yet) and gives its outcome. */
  async invoke(request: Omit<WorkerRequest, 'deadline'>, timeoutS: number): Promise<WorkerReply> {
    const timeoutMs = timeoutS * 1000;
    const init = await this.within(this.initialized, timeoutMs);
    if (!init) return this.timedOut(request.id, timeoutS);
    if (init.init === 'failed') {
      await this.stop();
      return { id: request.id, ok: false, ...(init.error ? { error: init.error } : {}) };
    }
    const outcome = new Promise<WorkerReply>((resolve) => {
      this.running = request.id;
      this.settle = resolve;
    });
    this.worker.postMessage({ ...request, deadline: Date.now() + timeoutMs } satisfies WorkerRequest);
    const reply = await this.within(outcome, timeoutMs);
    this.running = undefined;
    this.settle = undefined;
    return reply ?? this.timedOut(request.id, timeoutS);
  }

  /** Stops the thread; settles once it has exited. */
  async stop(): Promise<void> {
    this.live = false;
    await this.worker.terminate();
    await this.exited;
  }

  /** The local cloud is stopping: the running invocation ends without an outcome, and the thread stops. */
  async shutdown(): Promise<void> {
    this.settleInit({ init: 'failed', error: { errorType: 'Runtime.Shutdown', errorMessage: 'the local cloud stopped', trace: [] } });
    if (this.running) this.settle?.(failure(this.running, 'Runtime.Shutdown', 'the local cloud stopped'));
    await this.stop();
  }

  private async timedOut(id: string, timeoutS: number): Promise<WorkerReply> {
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
