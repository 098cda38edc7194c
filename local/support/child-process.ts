/**
 * The one way the local cloud starts a helper process: Node.js on a script, stdout piped, an IPC
 * channel (it tells the child when this process is gone; the Lambda host also takes its work over it),
 * and a wait for the first line the child writes (its "listening" line). The start fails if the child
 * exits first or stays silent past the timeout, so a stuck child cannot hang `npm start`.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildOptions {
  /** Names the child in errors, e.g. "model server i-1" or "dynalite". */
  description: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Called whenever the child exits, before or after its first line. */
  onExit?: (code: number | null) => void;
}

export interface StartedChild {
  child: ChildProcess;
  firstLine: string;
  exited: Promise<number | null>;
}

export const DEFAULT_START_TIMEOUT_MS = 30_000;

/**
 * This process's CPU-profiling flags (`node --cpu-prof --cpu-prof-dir=DIR ...`), passed on to every
 * child so one run profiles the whole local cloud (docs/benchmarks.md, Where the CPU goes). Worker
 * threads inherit them on their own (https://nodejs.org/api/worker_threads.html#new-workerfilename-options).
 */
const PROFILING_FLAGS = process.execArgv.filter((arg) => arg.startsWith('--cpu-prof'));

export const startChild = (
  args: string[],
  { description, env, timeoutMs = DEFAULT_START_TIMEOUT_MS, onExit }: ChildOptions,
): Promise<StartedChild> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...PROFILING_FLAGS, ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${description} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    const exited = new Promise<number | null>((done) =>
      child.once('exit', (code) => {
        clearTimeout(timer);
        onExit?.(code);
        reject(new Error(`${description} exited with ${code} before listening`));
        done(code);
      }),
    );
    const stdout = child.stdout as NodeJS.ReadableStream & { resume(): void };
    const lines = createInterface({ input: stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      // Later output is not read; keep the pipe flowing so the child never blocks on a full buffer.
      stdout.resume();
      resolve({ child, firstLine: line, exited });
    });
  });
