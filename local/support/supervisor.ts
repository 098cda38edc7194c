/**
 * Supervision of the local cloud's helper processes, the one mechanism for it: a process that dies
 * unasked is started again, after a delay that doubles with each crash in a row, and given up on
 * (a crash loop) once `maxCrashesInARow` crashes follow one another with no useful work between them.
 * What counts as useful work is the owner's to say (`healthy()`): dynalite answering a request, a
 * model server passing its health checks. So a process that dies now and then on one request keeps
 * being restarted, and one that cannot start or dies on everything is given up on and reported.
 *
 * `CrashStreak` is the policy alone (the endpoint's instance fleet uses it for its model servers);
 * `superviseChild` runs one process of `startChild` (child-process.ts) under it (DynamoDB's dynalite).
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { describeError } from '../../core/errors';
import type { StartedChild } from './child-process';

export interface RestartPolicy {
  /** Delay before the first restart of a streak; it doubles with each crash in a row. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** This many crashes in a row (no healthy() between them) and the process is not restarted again. */
  maxCrashesInARow: number;
}

export type SupervisedState = 'running' | 'restarting' | 'failed' | 'stopped';

/** What `npm start`, `/_localcloud/status` and the dashboard show of a supervised process. */
export interface SupervisionStatus {
  name: string;
  state: SupervisedState;
  pid?: number;
  /** Restarts (for model servers: instances replaced after their process died) since the start. */
  restarts: number;
  crashesInARow: number;
  lastExit?: { code: number | null; signal: string | null; at: string };
  /** Why it is not restarted any more (state failed). */
  reason?: string;
}

export class CrashStreak {
  private inARow = 0;

  constructor(private readonly policy: RestartPolicy) {}

  get crashesInARow(): number {
    return this.inARow;
  }

  /**
   * Records a crash: how long to wait before starting again, or undefined when this crash ends the loop.
   * Once ended, the streak stays at the limit: a process launched before the loop ended (a fleet starts
   * several at once) that crashes after it is not counted, so the count matches the given-up reason.
   */
  crashed(): number | undefined {
    if (this.inARow >= this.policy.maxCrashesInARow) return undefined;
    this.inARow++;
    if (this.inARow >= this.policy.maxCrashesInARow) return undefined;
    return Math.min(this.policy.maxDelayMs, this.policy.firstDelayMs * 2 ** (this.inARow - 1));
  }

  /** The process did useful work: the next crash starts a new streak. */
  recovered(): void {
    this.inARow = 0;
  }

  /** The text a given-up process's status carries. */
  givenUp(name: string, lastError?: string): string {
    return `${name} crashed ${this.inARow} times in a row without doing any work in between; it is not restarted again (restart the local cloud)${lastError ? `: ${lastError}` : ''}`;
  }
}

export interface SupervisedChild {
  status(): SupervisionStatus;
  /**
   * The running process: at once when it runs, else once it has been restarted. Rejects when the
   * supervisor gave up, was stopped, or `timeoutMs` passed first.
   */
  running(timeoutMs: number): Promise<StartedChild>;
  /** The process did useful work (see the top of this file). */
  healthy(): void;
  /** Stops supervising and the process (SIGTERM), and waits for it to exit. */
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  /** Names the process in logs and status, e.g. "DynamoDB (dynalite)". */
  name: string;
  start: () => Promise<StartedChild>;
  policy: RestartPolicy;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** Called with each process once it runs: the first and every restart. */
  onStart?: (started: StartedChild) => void;
  /** Waits before a restart; tests record the delays instead. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface Waiter {
  resolve(started: StartedChild): void;
  reject(error: Error): void;
}

/** Starts the process (a failure to start the first time is thrown: nothing to supervise yet) and supervises it. */
export const superviseChild = async (options: SuperviseOptions): Promise<SupervisedChild> => {
  const { name, log } = options;
  const wait = options.wait ?? ((ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined));
  const streak = new CrashStreak(options.policy);
  const stopping = new AbortController();
  const waiters = new Set<Waiter>();
  let state: SupervisedState = 'running';
  let current: StartedChild | undefined;
  let restarts = 0;
  let lastExit: SupervisionStatus['lastExit'];
  let reason: string | undefined;
  let restarting: Promise<void> = Promise.resolve();

  const settleWaiters = (settle: (waiter: Waiter) => void) => {
    for (const waiter of [...waiters]) settle(waiter);
    waiters.clear();
  };

  const run = (started: StartedChild): void => {
    current = started;
    state = 'running';
    options.onStart?.(started);
    settleWaiters((w) => w.resolve(started));
    void started.exited.then((code) => {
      if (stopping.signal.aborted || current !== started) return;
      current = undefined;
      lastExit = { code, signal: started.child.signalCode, at: new Date().toISOString() };
      restarting = restart();
    });
  };

  const restart = async (): Promise<void> => {
    let delay = streak.crashed();
    let lastError: string | undefined;
    while (delay !== undefined) {
      state = 'restarting';
      log(`${name} exited; restarting it`, { ...lastExit, crashesInARow: streak.crashesInARow, delayMs: delay });
      await wait(delay, stopping.signal);
      if (stopping.signal.aborted) return;
      try {
        const started = await options.start();
        if (stopping.signal.aborted) {
          started.child.kill('SIGTERM');
          return;
        }
        restarts++;
        log(`${name} restarted`, { pid: started.child.pid, restarts });
        run(started);
        return;
      } catch (error) {
        lastError = describeError(error);
        lastExit = { code: null, signal: null, at: new Date().toISOString() };
        delay = streak.crashed();
      }
    }
    state = 'failed';
    reason = streak.givenUp(name, lastError);
    log(`${name} is in a crash loop; not restarting it`, { reason });
    settleWaiters((w) => w.reject(new Error(reason)));
  };

  run(await options.start());

  return {
    status: () => ({
      name,
      state,
      ...(current?.child.pid !== undefined ? { pid: current.child.pid } : {}),
      restarts,
      crashesInARow: streak.crashesInARow,
      ...(lastExit ? { lastExit } : {}),
      ...(reason ? { reason } : {}),
    }),
    running: (timeoutMs) => {
      if (state === 'running' && current) return Promise.resolve(current);
      if (state === 'failed' || state === 'stopped') return Promise.reject(new Error(reason ?? `${name} is stopped`));
      return new Promise<StartedChild>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${name} is restarting and was not back within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter: Waiter = {
          resolve: (started) => {
            clearTimeout(timer);
            resolve(started);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        waiters.add(waiter);
      });
    },
    healthy: () => streak.recovered(),
    stop: async () => {
      stopping.abort();
      state = 'stopped';
      settleWaiters((w) => w.reject(new Error(`${name} is stopped`)));
      await restarting;
      const last = current;
      current = undefined;
      if (last && last.child.exitCode === null && last.child.signalCode === null) {
        last.child.kill('SIGTERM');
        await last.exited;
      }
    },
  };
};
