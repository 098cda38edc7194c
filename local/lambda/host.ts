/**
 * The Lambda host process (bundled as dist/local/lambda-host.js, started and supervised by
 * host-process.ts): it holds every function's execution environments, one worker thread each
 * (worker.ts), so the local cloud's own process keeps a small address space and no isolates of its
 * own. That process forks a model server on every scale-out, and fork() of a process whose threads are
 * initialising V8 isolates is slow: it copies their address space and waits on their memory mappings.
 *
 * It only creates and stops environments, passes each invocation to its environment and the outcome
 * back (host-messages.ts), and appends the environments' output to their function's log file. The
 * queue, retries, timeouts and dead letters stay in the local cloud's process, whose journal a
 * restart keeps. It exits with that process: when the IPC channel closes, even after a kill -9.
 * Usage: node lambda-host.js <lambda-worker.js>
 */

import { createWriteStream, type WriteStream } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { EnvironmentSpec, FromHost, ToHost } from './host-messages';
import type { FunctionError, InitReply, WorkerReply } from './worker';

const workerProgram = process.argv[2];
if (!workerProgram || !process.send) {
  process.stderr.write('lambda-host runs as a child of the local cloud, with an IPC channel: node lambda-host.js <lambda-worker.js>\n');
  process.exit(2);
}

const environments = new Map<string, Worker>();
const logs = new Map<string, WriteStream>();

const send = (message: FromHost): void => {
  // The channel closes only when the local cloud is gone, and then this process exits too.
  if (process.connected) process.send?.(message);
};

const logFor = (file: string): WriteStream => {
  let log = logs.get(file);
  if (!log) {
    log = createWriteStream(file, { flags: 'a' });
    logs.set(file, log);
  }
  return log;
};

const asFunctionError = (e: unknown): FunctionError => {
  const error = e instanceof Error ? e : new Error(String(e));
  return { errorType: error.name, errorMessage: error.message, trace: String(error.stack ?? '').split('\n') };
};

const create = (env: string, spec: EnvironmentSpec): Worker => {
  const worker = new Worker(workerProgram, { env: spec.env, workerData: spec.workerData, stdout: true, stderr: true });
  environments.set(env, worker);
  // Not piped: many environments write to one log file, and each pipe would hold listeners on it.
  const log = logFor(spec.logFile);
  const write = (chunk: Buffer) => {
    if (!log.writableEnded) log.write(chunk);
  };
  worker.stdout.on('data', write);
  worker.stderr.on('data', write);
  let crash: FunctionError | undefined;
  worker.on('message', (message: InitReply | WorkerReply) => {
    if ('init' in message) {
      send({ type: 'init', env, ...(message.error ? { error: message.error } : {}) });
      // An environment whose init failed is not reused: Lambda starts a new one for the next invocation.
      if (message.init === 'failed') void worker.terminate();
    } else {
      send({ type: 'outcome', env, ...message });
    }
  });
  worker.on('error', (error) => {
    crash = asFunctionError(error);
  });
  worker.once('exit', () => {
    environments.delete(env);
    send({ type: 'exited', env, ...(crash ? { error: crash } : {}) });
  });
  return worker;
};

process.on('message', (message: ToHost) => {
  if (message.type === 'stop') {
    const worker = environments.get(message.env);
    if (worker) void worker.terminate();
    else send({ type: 'exited', env: message.env });
    return;
  }
  const worker = environments.get(message.env) ?? (message.create ? create(message.env, message.create) : undefined);
  if (!worker) {
    // Its thread exited while the invocation was on its way; the local cloud learns that from `exited`.
    send({ type: 'exited', env: message.env });
    return;
  }
  const { id, event, requestId, timeoutMs } = message;
  worker.postMessage({ id, event, requestId, timeoutMs });
});

const stop = (): void => {
  // Function output already written reaches the log files; the threads stop with the process.
  void Promise.all([...logs.values()].map((log) => new Promise<void>((resolve) => log.end(resolve)))).then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// The local cloud's process is gone (even by kill -9): its environments go with it, not left as an orphan.
process.once('disconnect', () => process.exit(0));
process.stdout.write('ready\n');
