/**
 * Runs a function's Lambda bundle, unchanged, in its own worker thread with its own environment,
 * with Lambda's asynchronous-invocation semantics: the event is queued (journaled, so a restart
 * keeps it), retried twice on error with 1 and 2 minute waits, then sent to the OnFailure
 * destination as a destination record (kept as JSON files under the state folder).
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 *
 * A timed-out invocation's worker is retired: new invocations go to a fresh worker, the old one is
 * stopped once its other invocations have settled, and the retry waits until it has stopped. Lambda
 * stops a timed-out invocation's execution environment, so a retry (same request id) never runs
 * beside it: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */

import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FUNCTION_THREAD_PREFIX } from '../defaults';
import { Journal } from '../support/journal';
import type { LocalFunction } from '../template/stack-config';
import type { WorkerData, WorkerReply, WorkerRequest } from './worker';
import { describeError } from '../../core/errors';

export interface LambdaRuntimeOptions {
  fn: LocalFunction;
  /** Added to the function's own environment: endpoints, region, credentials. */
  env: Record<string, string>;
  stateDir: string;
  /** The bundled worker.ts (localBundle(projectRoot, 'lambda-worker')). */
  workerProgram: string;
  /** Simulated seconds per real second: shortens retry waits and the maximum event age. */
  timeScale: number;
  /** Concurrent invocations at most (Lambda scales out; one machine should not). */
  concurrency?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

interface Invocation {
  event: unknown;
  firstAttemptAt: number;
  attempts: number;
}

/** Lambda's waits before the first and second retry of an asynchronous invocation. */
const RETRY_WAITS_S = [60, 120];

export class LocalLambda {
  private worker!: Worker;
  private readonly journal: Journal<Invocation>;
  private readonly waiting: string[] = [];
  private readonly inFlight = new Map<string, { resolve: (reply: WorkerReply) => void }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Attempt ids running in each live worker (the current one and retired ones not yet stopped). */
  private readonly running = new Map<Worker, Set<string>>();
  private readonly retired = new Set<Worker>();
  /** Settles when each worker has exited. */
  private readonly exits = new WeakMap<Worker, Promise<void>>();
  /** Settles once the worker of an invocation's timed-out attempt has stopped: its retry waits for it. */
  private readonly stopping = new Map<string, Promise<void>>();
  private readonly logFile: WriteStream;
  private readonly deadLetterDir: string;
  private closed = false;
  /** Attempts started and not yet ended. */
  private dispatched = 0;
  readonly counts = { invocations: 0, errors: 0, retries: 0, deadLettered: 0 };

  constructor(private readonly options: LambdaRuntimeOptions) {
    const dir = join(options.stateDir, 'lambda', options.fn.name);
    mkdirSync(dir, { recursive: true });
    this.journal = new Journal<Invocation>(join(dir, 'pending.jsonl'));
    this.deadLetterDir = join(options.stateDir, 'dead-letter', options.fn.onFailureQueue ?? `${options.fn.name}-no-destination`);
    mkdirSync(this.deadLetterDir, { recursive: true });
    mkdirSync(join(options.stateDir, 'logs'), { recursive: true });
    this.logFile = createWriteStream(join(options.stateDir, 'logs', `${options.fn.name}.log`), { flags: 'a' });
    this.startWorker();
    // Invocations queued before a restart run again.
    for (const [id] of this.journal.entries()) this.waiting.push(id);
    this.pump();
  }

  /** Queues an asynchronous invocation, as Lambda does for S3 and SNS (202 Accepted). */
  invokeAsync(event: unknown): string {
    const id = randomUUID();
    this.journal.add(id, { event, firstAttemptAt: Date.now(), attempts: 0 });
    this.waiting.push(id);
    this.pump();
    return id;
  }

  get name(): string {
    return this.options.fn.name;
  }

  /** Nothing queued, running or waiting to be retried. */
  idle(): boolean {
    return this.journal.size === 0;
  }

  get pending(): number {
    return this.journal.size;
  }

  /** Destination records of invocations that failed for good, oldest first. */
  deadLetters(): Record<string, unknown>[] {
    return readdirSync(this.deadLetterDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(this.deadLetterDir, f), 'utf-8')) as Record<string, unknown>);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    // Settles running attempts (and clears their timeout timers); they stay in the journal for next time.
    for (const [id, pending] of this.inFlight) {
      pending.resolve({ id, ok: false, error: { errorType: 'Runtime.Shutdown', errorMessage: 'the local cloud stopped', trace: [] } });
    }
    await Promise.all([...this.running.keys()].map((worker) => worker.terminate()));
    this.journal.close();
    await new Promise<void>((resolve) => this.logFile.end(resolve));
  }

  private startWorker(): void {
    const { fn, env } = this.options;
    const worker = new Worker(this.options.workerProgram, {
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...fn.environment, ...env, AWS_LAMBDA_FUNCTION_NAME: fn.name },
      workerData: {
        bundle: fn.bundle,
        exportName: fn.exportName,
        name: fn.name,
        arn: fn.arn,
        memorySizeMB: fn.memorySizeMB,
        threadName: FUNCTION_THREAD_PREFIX + fn.name.split('-').pop(),
      } satisfies WorkerData,
      stdout: true,
      stderr: true,
    });
    this.worker = worker;
    this.running.set(worker, new Set());
    this.exits.set(worker, new Promise<void>((resolve) => worker.once('exit', () => resolve())));
    worker.stdout.pipe(this.logFile, { end: false });
    worker.stderr.pipe(this.logFile, { end: false });
    worker.on('message', (reply: WorkerReply) => this.inFlight.get(reply.id)?.resolve(reply));
    worker.on('error', (error) => this.log('function worker crashed', { error: describeError(error) }));
    worker.on('exit', () => {
      const attempts = this.running.get(worker) ?? new Set<string>();
      this.running.delete(worker);
      this.retired.delete(worker);
      if (this.closed) return;
      // Like a crashed sandbox: every invocation in it fails and is retried; a fresh worker takes over.
      for (const id of attempts) {
        this.inFlight
          .get(id)
          ?.resolve({ id, ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: 'the function process exited', trace: [] } });
      }
      if (worker === this.worker) this.startWorker();
    });
  }

  /** Sends new work to a fresh worker and stops this one once nothing else runs in it. */
  private retire(worker: Worker, invocationId: string): void {
    // One exit promise per worker: many invocations may time out in the same one.
    const stopped = this.running.has(worker) ? (this.exits.get(worker) ?? Promise.resolve()) : Promise.resolve();
    this.stopping.set(invocationId, stopped);
    void stopped.then(() => {
      if (this.stopping.get(invocationId) === stopped) this.stopping.delete(invocationId);
    });
    this.retired.add(worker);
    if (worker === this.worker && !this.closed) this.startWorker();
  }

  private stopIfRetiredAndIdle(worker: Worker): void {
    if (this.retired.has(worker) && (this.running.get(worker)?.size ?? 0) === 0) void worker.terminate();
  }

  private pump(): void {
    // A function's reserved concurrency caps the invocations running at once, as on Lambda: the rest are
    // throttled and wait in the asynchronous queue
    // (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
    const limit = Math.min(this.options.concurrency ?? 64, this.options.fn.reservedConcurrency ?? Infinity);
    // Counted when dispatched: an attempt may wait for a stopping worker before it is in flight.
    while (!this.closed && this.dispatched < limit && this.waiting.length > 0) {
      const id = this.waiting.shift() as string;
      this.dispatched += 1;
      void this.attempt(id).finally(() => {
        this.dispatched -= 1;
        this.pump();
      });
    }
  }

  private async attempt(id: string): Promise<void> {
    const invocation = this.journal.get(id);
    if (!invocation) return;
    await this.stopping.get(id);
    if (this.closed) return;
    invocation.attempts += 1;
    this.counts.invocations += 1;
    const { fn } = this.options;
    // Lambda keeps an asynchronous invocation's request id across its retries.
    const requestId = id;
    // One id per attempt: a reply that arrives after its attempt timed out must not settle a retry.
    const attemptId = `${id}#${invocation.attempts}`;
    const worker = this.worker;
    this.running.get(worker)?.add(attemptId);
    let timedOut = false;
    const reply = await new Promise<WorkerReply>((resolve) => {
      const timer = setTimeout(() => {
        timedOut = true;
        resolve({
          id: attemptId,
          ok: false,
          error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${fn.timeoutS}.00 seconds`, trace: [] },
        });
      }, fn.timeoutS * 1000);
      this.inFlight.set(attemptId, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
      worker.postMessage({
        id: attemptId,
        event: invocation.event,
        deadline: Date.now() + fn.timeoutS * 1000,
        requestId,
      } satisfies WorkerRequest);
    });
    this.inFlight.delete(attemptId);
    this.running.get(worker)?.delete(attemptId);
    if (timedOut && !this.closed) this.retire(worker, id);
    this.stopIfRetiredAndIdle(worker);
    if (this.closed) return;

    if (reply.ok) {
      this.journal.done(id);
    } else {
      this.counts.errors += 1;
      this.log('function error', { function: fn.name, attempt: invocation.attempts, ...reply.error });
      this.afterError(id, invocation, requestId, reply);
    }
    // The next queued invocation starts when this attempt's dispatch ends (pump's finally).
  }

  private afterError(id: string, invocation: Invocation, requestId: string, reply: WorkerReply): void {
    const { fn, timeScale } = this.options;
    const wait = RETRY_WAITS_S[invocation.attempts - 1];
    const ageS = ((Date.now() - invocation.firstAttemptAt) / 1000) * timeScale;
    if (invocation.attempts <= fn.maximumRetryAttempts && wait !== undefined && ageS + wait < fn.maximumEventAgeS) {
      this.counts.retries += 1;
      this.journal.add(id, invocation); // persist the attempt count
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          this.waiting.push(id);
          this.pump();
        },
        (wait * 1000) / timeScale,
      );
      this.timers.add(timer);
      return;
    }
    this.counts.deadLettered += 1;
    const condition = invocation.attempts > fn.maximumRetryAttempts ? 'RetriesExhausted' : 'EventAgeExceeded';
    // The record Lambda sends to an OnFailure destination.
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { requestId, functionArn: `${fn.arn}:$LATEST`, condition, approximateInvokeCount: invocation.attempts },
      requestPayload: invocation.event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: reply.error,
    };
    writeFileSync(join(this.deadLetterDir, `${Date.now()}-${id}.json`), JSON.stringify(record, null, 2));
    this.journal.done(id);
  }

  private log(message: string, fields?: Record<string, unknown>): void {
    this.options.log?.(message, fields);
  }
}
