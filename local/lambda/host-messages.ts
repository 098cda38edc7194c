/**
 * The messages between the local cloud's process (host-process.ts, execution-environment.ts) and the
 * Lambda host process (host.ts) over its IPC channel. An invocation is one message each way (`invoke`
 * in, `outcome` out); an environment's first invocation carries what the host needs to create it, and
 * the host says once when its Init phase ended (`init`) and once when its thread has exited (`exited`).
 */

import type { FunctionError, WorkerData } from './worker';

/** What the host needs to create an environment: its thread's data and environment, and where its output goes. */
export interface EnvironmentSpec {
  workerData: WorkerData;
  env: Record<string, string>;
  /** The function's log file, appended to by every environment of the function. */
  logFile: string;
}

export type ToHost =
  | {
      type: 'invoke';
      /** The environment's id: it names one worker thread in the host. */
      env: string;
      /** The attempt's id, echoed in its outcome. */
      id: string;
      requestId: string;
      event: unknown;
      timeoutMs: number;
      /** On an environment's first invocation only. */
      create?: EnvironmentSpec;
    }
  | { type: 'stop'; env: string };

export type FromHost =
  | { type: 'init'; env: string; error?: FunctionError }
  | { type: 'outcome'; env: string; id: string; ok: boolean; error?: FunctionError }
  | { type: 'exited'; env: string; error?: FunctionError };
