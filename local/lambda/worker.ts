/**
 * A function's worker thread (runtime.ts starts one per function, bundled as dist/local/lambda-worker.js):
 * it names its thread, loads the function's bundle and calls its handler with a Lambda context for
 * each message; everything else stays in the runtime's thread.
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
}

export interface WorkerRequest {
  id: string;
  event: unknown;
  /** Epoch ms at which the invocation times out. */
  deadline: number;
  requestId: string;
}

export interface WorkerReply {
  id: string;
  ok: boolean;
  error?: { errorType: string; errorMessage: string; trace: string[] };
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const data = workerData as WorkerData;
const port = parentPort;
if (!port) throw new Error('lambda-worker runs as a worker thread of the local Lambda runtime');

try {
  // Linux keeps at most 15 bytes of a thread's name.
  writeFileSync('/proc/thread-self/comm', data.threadName.slice(0, 15));
} catch {
  // Not Linux: the thread keeps its name; only the benchmark's CPU breakdown reads it.
}
// The function's own bundle, unchanged, as Lambda loads it: a path known only at run time.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const handler = (require(data.bundle) as Record<string, Handler>)[data.exportName] as Handler;

port.on('message', async ({ id, event, deadline, requestId }: WorkerRequest) => {
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: data.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: data.arn,
    memoryLimitInMB: String(data.memorySizeMB),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${data.name}`,
    logStreamName: `local/[$LATEST]${data.name}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    await handler(event, context);
    port.postMessage({ id, ok: true } satisfies WorkerReply);
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    port.postMessage({
      id,
      ok: false,
      error: { errorType: error.name, errorMessage: error.message, trace: String(error.stack ?? '').split('\n') },
    } satisfies WorkerReply);
  }
});
