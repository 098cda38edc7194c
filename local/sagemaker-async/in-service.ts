/**
 * Like CreateEndpoint, the local cloud's start-up completes once the endpoint's instances answer
 * /ping (https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html#your-algorithms-inference-algo-ping-requests).
 */

import type { AsyncEndpoint } from './types';

export const instancesInService = async (endpoint: AsyncEndpoint, timeoutMs = 60_000): Promise<void> => {
  const ready = Date.now() + timeoutMs;
  for (;;) {
    const { instances, modelServers } = endpoint.status();
    // The fleet gave up on model servers that cannot start (instances.ts): say why, rather than wait.
    if (modelServers.state === 'failed') throw new Error(`the endpoint's instances cannot start: ${modelServers.reason}`);
    if (instances.pending === 0) return;
    if (Date.now() > ready) throw new Error(`the endpoint instances did not pass their health checks within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
