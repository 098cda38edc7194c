/**
 * Like CreateEndpoint, the local cloud's start-up completes once the endpoint's instances answer
 * /ping (https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html#your-algorithms-inference-algo-ping-requests).
 */

import type { AsyncEndpoint } from './types';

export const instancesInService = async (endpoint: AsyncEndpoint, timeoutMs = 60_000): Promise<void> => {
  const ready = Date.now() + timeoutMs;
  while (endpoint.status().instances.pending > 0) {
    if (Date.now() > ready) throw new Error(`the endpoint instances did not pass their health checks within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
