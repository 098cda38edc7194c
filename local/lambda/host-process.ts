/**
 * The local cloud's side of the Lambda host process (host.ts): one process for every function's
 * execution environments, started with the project's child-process launcher and kept running by its
 * supervisor (support/child-process.ts, support/supervisor.ts). Messages from the host go to the
 * environment they name. If the host dies, every environment in it is gone, as when a sandbox crashes:
 * each running invocation fails with Runtime.ExitError (and is retried), and the supervisor starts a
 * new host for the next environments.
 */

import type { ChildProcess } from 'node:child_process';
import { startChild, type StartedChild } from '../support/child-process';
import { superviseChild, type RestartPolicy, type SupervisedChild, type SupervisionStatus } from '../support/supervisor';
import type { FromHost, ToHost } from './host-messages';

export interface LambdaHostOptions {
  /** The bundled host.ts (localBundle(projectRoot, 'lambda-host')). */
  hostProgram: string;
  /** The bundled worker.ts (localBundle(projectRoot, 'lambda-worker')). */
  workerProgram: string;
  policy?: RestartPolicy;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** Restarts quickly (the invocations waiting for it are retried), and gives up after 5 crashes in a row with no invocation between. */
export const HOST_RESTART_POLICY: RestartPolicy = { firstDelayMs: 100, maxDelayMs: 5_000, maxCrashesInARow: 5 };

export const HOST_NAME = 'Lambda host';

/**
 * The host's Node.js flags. `--single-threaded-gc`: each isolate collects its garbage on the thread
 * that runs it, not also on V8's shared helper threads. With eight isolates (two functions × four
 * environments) on two cores, the parallel and concurrent collector cost the functions about 2 ms more
 * per article (the median of eight alternating 2,000-article bursts, docs/benchmarks.md, Against issue
 * 22's targets). Worker threads take the process's V8 flags.
 */
export const HOST_NODE_FLAGS = ['--single-threaded-gc'];

/** One run of the host process and the environments living in it. */
class HostRun {
  readonly listeners = new Map<string, (message: FromHost) => void>();
  gone = false;

  constructor(readonly child: ChildProcess) {}

  /** The host exited: each environment it held hears so, as if its thread had exited. */
  died(): void {
    this.gone = true;
    const error = { errorType: 'Runtime.ExitError', errorMessage: 'the Lambda host process exited', trace: [] };
    for (const [env, listener] of this.listeners) listener({ type: 'exited', env, error });
    this.listeners.clear();
  }
}

export class LambdaHost {
  private supervised: Promise<SupervisedChild> | undefined;
  private started: SupervisedChild | undefined;
  private readonly runs = new WeakMap<StartedChild, HostRun>();
  private current: HostRun | undefined;

  constructor(private readonly options: LambdaHostOptions) {}

  /** Starts the host process; its first start failing is thrown. Later calls wait for the same start. */
  start(): Promise<SupervisedChild> {
    const { hostProgram, workerProgram, log = () => undefined } = this.options;
    this.supervised ??= superviseChild({
      name: HOST_NAME,
      start: () => startChild([...HOST_NODE_FLAGS, hostProgram, workerProgram], { description: HOST_NAME, env: process.env }),
      policy: this.options.policy ?? HOST_RESTART_POLICY,
      log,
      onStart: (started) => {
        const run = new HostRun(started.child);
        this.runs.set(started, run);
        this.current = run;
        started.child.on('message', (message: FromHost) => {
          // An invocation ran to its end: a crash after it starts a new streak.
          if (message.type === 'outcome') this.started?.healthy();
          run.listeners.get(message.env)?.(message);
          if (message.type === 'exited') run.listeners.delete(message.env);
        });
        void started.exited.then(() => run.died());
      },
    }).then((supervised) => (this.started = supervised));
    return this.supervised;
  }

  /**
   * Connects an environment to the running host (waiting up to `timeoutMs` for a restart): the
   * messages that name it go to `listener`, and the function returned sends to the host. If the host
   * dies, `listener` hears `exited` for it.
   */
  async connect(env: string, listener: (message: FromHost) => void, timeoutMs: number): Promise<(message: ToHost) => void> {
    const started = await (await this.start()).running(timeoutMs);
    const run = this.runs.get(started) ?? this.current;
    if (!run || run.gone) throw new Error(`the ${HOST_NAME} process exited`);
    run.listeners.set(env, listener);
    return (message) => {
      if (run.gone) return; // died() has told the environment
      // A send on a channel that has just closed reports its error here; the host's exit ends the environment.
      run.child.send(message, () => undefined);
    };
  }

  /** The process id of the running host, if one runs. */
  get pid(): number | undefined {
    return this.current && !this.current.gone ? this.current.child.pid : undefined;
  }

  /** Running, restarting or given up, and restarts; undefined before the first start. */
  status(): SupervisionStatus | undefined {
    return this.started?.status();
  }

  /** Stops the host process (its environments with it) and its supervision. */
  async close(): Promise<void> {
    const supervised = await this.supervised?.catch(() => undefined);
    await supervised?.stop();
  }
}
