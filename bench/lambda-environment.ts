/**
 * A fresh Lambda execution environment for one function bundle, to see what a cold start costs: a
 * Node.js process of its own (started by the one launcher, local/support/child-process.ts) that loads
 * the bundle as Lambda's Node.js runtime does, once, then runs invocations one at a time, as an
 * environment does (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
 * It reports the CPU and RSS the load took, and for each invocation its CPU and the files the process
 * has loaded by then (require.cache), so a test can see which on-demand modules an event brought in.
 */

import { once } from 'node:events';
import { HOST_NODE_FLAGS } from '../local/lambda/host-process';
import { startChild } from '../local/support/child-process';

export interface LoadCost {
  /** CPU time (user + system) of the require of the bundle, in ms. */
  cpuMs: number;
  /** The process's resident set after the load, in bytes. */
  rssBytes: number;
}

export interface InvocationResult {
  cpuMs: number;
  rssBytes: number;
  /** Every file in the process's require.cache after the invocation, absolute paths. */
  loaded: string[];
  /** The handler's error (stack), when it threw. */
  error?: string;
}

export interface LambdaEnvironment {
  load: LoadCost;
  invoke(event: unknown, requestId: string): Promise<InvocationResult>;
  close(): Promise<void>;
}

/** The environment's program (CommonJS, run with `node -e`): the bundle path and export come as arguments. */
const PROGRAM = `
const [bundle, exportName] = process.argv.slice(1);
const cpuMs = (since) => { const used = process.cpuUsage(since); return (used.user + used.system) / 1000; };
const start = process.cpuUsage();
const handler = require(bundle)[exportName];
const load = { cpuMs: cpuMs(start), rssBytes: process.memoryUsage().rss };
process.on('disconnect', () => process.exit(0));
process.on('message', async ({ event, requestId }) => {
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'environment',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:environment',
    memoryLimitInMB: '2048',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/environment',
    logStreamName: 'environment',
    getRemainingTimeInMillis: () => 300000,
  };
  const begin = process.cpuUsage();
  let error;
  try {
    await handler(event, context);
  } catch (e) {
    error = String((e && e.stack) || e);
  }
  process.send({ cpuMs: cpuMs(begin), rssBytes: process.memoryUsage().rss, loaded: Object.keys(require.cache), error });
});
process.stdout.write(JSON.stringify(load) + '\\n');
`;

/** Starts an environment for `bundle` with exactly `env` as its environment variables. */
export const startLambdaEnvironment = async (
  bundle: string,
  env: Record<string, string>,
  exportName = 'handler',
): Promise<LambdaEnvironment> => {
  // The local runtime's Node.js flags, so a function costs here what it costs in `npm start`.
  const { child, firstLine, exited } = await startChild([...HOST_NODE_FLAGS, '-e', PROGRAM, bundle, exportName], {
    description: `a Lambda environment for ${bundle}`,
    env,
    timeoutMs: 120_000,
  });
  return {
    load: JSON.parse(firstLine) as LoadCost,
    invoke: async (event, requestId) => {
      const reply = once(child, 'message') as Promise<[InvocationResult]>;
      child.send({ event, requestId });
      const [result] = await Promise.race([reply, exited.then((code) => Promise.reject(new Error(`the environment exited with ${code}`)))]);
      return result;
    },
    close: async () => {
      if (child.exitCode === null) {
        child.disconnect();
        await exited;
      }
    },
  };
};
