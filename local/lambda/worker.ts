/**
 * One execution environment of a function (the Lambda host process, host.ts, starts one worker thread
 * per environment, bundled as dist/local/lambda-worker.js): it names its thread, loads the function's
 * bundle once (the Init phase), says whether that worked, then calls the handler with a Lambda context
 * for each invocation it is sent, one at a time; the queue, retries and timeouts stay in the local
 * cloud's process (runtime.ts).
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
 */

import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

export interface WorkerData {
  bundle: string;
  exportName: string;
  name: string;
  arn: string;
  memorySizeMB: number;
  threadName: string;
  /** What the context reports as logStreamName: one log stream per environment, as on AWS. */
  logStreamName: string;
}

export interface WorkerRequest {
  id: string;
  event: unknown;
  /** The function's timeout: the handler's deadline counts from when it is called. */
  timeoutMs: number;
  requestId: string;
}

export interface FunctionError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** The handler's outcome for one request. */
export interface WorkerReply {
  id: string;
  ok: boolean;
  error?: FunctionError;
}

/** What the environment says once, after loading the bundle: ready, or the error its init threw. */
export interface InitReply {
  init: 'ready' | 'failed';
  error?: FunctionError;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const data = workerData as WorkerData;
const port = parentPort;
if (!port) throw new Error('lambda-worker runs as a worker thread of the local Lambda runtime');

const asFunctionError = (e: unknown): FunctionError => {
  const error = e instanceof Error ? e : new Error(String(e));
  return { errorType: error.name, errorMessage: error.message, trace: String(error.stack ?? '').split('\n') };
};

try {
  // Linux keeps at most 15 bytes of a thread's name.
  writeFileSync('/proc/thread-self/comm', data.threadName.slice(0, 15));
} catch {
  // Not Linux: the thread keeps its name; only the benchmark's CPU breakdown reads it.
}

let handler: Handler | undefined;
try {
  // The function's own bundle, unchanged, as Lambda loads it: a path known only at run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handler = (require(data.bundle) as Record<string, Handler>)[data.exportName];
  if (typeof handler !== 'function') throw new TypeError(`${data.bundle} exports no function named ${data.exportName}`);
  port.postMessage({ init: 'ready' } satisfies InitReply);
} catch (e) {
  port.postMessage({ init: 'failed', error: asFunctionError(e) } satisfies InitReply);
}

port.on('message', async ({ id, event, timeoutMs, requestId }: WorkerRequest) => {
  const deadline = Date.now() + timeoutMs;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: data.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: data.arn,
    memoryLimitInMB: String(data.memorySizeMB),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${data.name}`,
    logStreamName: data.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    await (handler as Handler)(event, context);
    port.postMessage({ id, ok: true } satisfies WorkerReply);
  } catch (e) {
    port.postMessage({ id, ok: false, error: asFunctionError(e) } satisfies WorkerReply);
  }
});
