import { policyNames } from './autoscaler';
import { scaledClock } from './clock';
import { EndpointRuntime } from './endpoint';
import { makeHttpHandler } from './http';
import { PersistentQueue } from './queue';
import type { AsyncEndpoint, AsyncEndpointOptions } from './types';

/** Configuration errors fail the start, loudly, before anything runs. */
const checkOptions = ({ endpoint, scaling, timeScale, provisioningDelayS }: AsyncEndpointOptions): void => {
  const problems: string[] = [];
  if (!Number.isInteger(endpoint.maxConcurrentInvocationsPerInstance) || endpoint.maxConcurrentInvocationsPerInstance < 1) {
    problems.push('maxConcurrentInvocationsPerInstance must be an integer >= 1 (1..1000 in AsyncInferenceClientConfig)');
  }
  if (!Number.isInteger(endpoint.initialInstanceCount) || endpoint.initialInstanceCount < 0)
    problems.push('initialInstanceCount must be an integer >= 0');
  if (!/^s3:\/\/[^/]+/.test(endpoint.s3OutputPath))
    problems.push(`s3OutputPath must be s3://bucket[/prefix], got ${endpoint.s3OutputPath}`);
  if (endpoint.s3FailurePath !== undefined && !/^s3:\/\/[^/]+/.test(endpoint.s3FailurePath)) {
    problems.push(`s3FailurePath must be s3://bucket[/prefix], got ${endpoint.s3FailurePath}`);
  }
  if (scaling.minCapacity < 0 || scaling.maxCapacity < scaling.minCapacity) problems.push('scaling needs 0 <= minCapacity <= maxCapacity');
  if (scaling.targetTracking && !(scaling.targetTracking.targetValue > 0)) problems.push('targetTracking.targetValue must be positive');
  if (timeScale !== undefined && !(timeScale > 0)) problems.push('timeScale must be positive');
  if (provisioningDelayS !== undefined && !(provisioningDelayS >= 0)) problems.push('provisioningDelayS must be >= 0');
  if (problems.length > 0) throw new RangeError(`invalid async endpoint options: ${problems.join('; ')}`);
};

/**
 * Starts an emulated SageMaker asynchronous inference endpoint on a persistent queue in stateDir.
 * Requests left unfinished by a previous run on the same stateDir are queued again first.
 */
export const startAsyncEndpoint = async (options: AsyncEndpointOptions): Promise<AsyncEndpoint> => {
  checkOptions(options);
  const log = options.log ?? (() => undefined);
  const { queue, replay } = PersistentQueue.open(options.stateDir);
  if (replay.skippedLines > 0) log('journal lines skipped (torn writes)', { skipped: replay.skippedLines });
  if (replay.pending.length > 0) log('unfinished requests requeued', { count: replay.pending.length });
  // The simulated clock resumes where the journal left it, so TTLs keep counting across restarts.
  const clock = options.clock ?? scaledClock({ timeScale: options.timeScale ?? 1, startAt: Math.max(Date.now(), replay.lastAt ?? 0) });
  const names = policyNames(options.endpoint.endpointName, options.endpoint.variantName, options.scaling);
  let runtime: EndpointRuntime;
  try {
    // Throws on a scaling alarm it cannot evaluate as CloudWatch would (scaling-loop.ts).
    runtime = new EndpointRuntime({ options, clock, queue, names, log });
  } catch (error) {
    queue.close();
    throw error;
  }
  runtime.start();
  const handle = makeHttpHandler({
    accepting: () => runtime.accepting,
    invokeContext: runtime.invokeContext(),
    describeContext: { status: () => runtime.status(), region: options.region, accountId: options.accountId, createdAt: Date.now() },
    log,
  });
  return {
    handle,
    status: () => runtime.status(),
    metrics: () => runtime.metricDatapoints(),
    scalingActivities: () => runtime.scalingActivities(),
    drained: () => runtime.drained(),
    close: () => runtime.close(),
  };
};
