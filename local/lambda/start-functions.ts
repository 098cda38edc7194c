/**
 * Lambda, locally: one Lambda host process for every function's execution environments
 * (host-process.ts) and one LocalLambda per function of the template (runtime.ts), running the bundled
 * handler with the template's environment pointed at the edge; S3, SNS and EventBridge invocations are
 * delivered to them.
 */

import { localBundle } from '../bundles';
import type { FaultInjector } from '../edge/faults';
import type { StackConfig } from '../template/stack-config';
import { LambdaHost } from './host-process';
import { LocalLambda } from './runtime';

/** The environment a function sees locally: the edge for every service, any credentials. */
export const localFunctionEnv = (edgeUrl: string, region: string): Record<string, string> => ({
  AWS_REGION: region,
  AWS_DEFAULT_REGION: region,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_ENDPOINT_URL: edgeUrl,
  // s3rver stores aws-chunked uploads framed unless checksums are only sent when required.
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

export interface LocalFunctions {
  /** By logical id, as the template names them. */
  byId: Record<string, LocalLambda>;
  /** An asynchronous invocation, as EventBridge makes one. */
  invoke(logicalId: string, event: unknown): void;
  /**
   * An S3 or SNS delivery: both services deliver at least once, so the edge's faults may make it twice
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html, "Important").
   */
  deliver(logicalId: string, event: unknown): void;
  /** The process the execution environments run in. */
  host: LambdaHost;
  /** No invocation pending in any function. */
  idle(): boolean;
  /**
   * Per function name: invocations pending, queued and running; attempts made, failed, retried and
   * dead-lettered; execution environments alive and created.
   */
  status(): Record<string, Record<string, number>>;
  close(): Promise<void>;
}

export const startLocalFunctions = async (
  config: StackConfig,
  options: {
    projectRoot: string;
    edgeUrl: string;
    stateDir: string;
    timeScale: number;
    faults: FaultInjector;
    /** Execution environments per function at most (DEFAULTS.lambdaEnvironments). */
    environments?: number;
    log: (message: string, fields?: Record<string, unknown>) => void;
  },
): Promise<LocalFunctions> => {
  const host = new LambdaHost({
    hostProgram: localBundle(options.projectRoot, 'lambda-host'),
    workerProgram: localBundle(options.projectRoot, 'lambda-worker'),
    log: options.log,
  });
  await host.start();
  const byId = Object.fromEntries(
    Object.values(config.functions).map((fn) => [
      fn.logicalId,
      new LocalLambda({
        fn,
        env: localFunctionEnv(options.edgeUrl, config.region),
        stateDir: options.stateDir,
        host,
        timeScale: options.timeScale,
        ...(options.environments !== undefined ? { environments: options.environments } : {}),
        log: options.log,
      }),
    ]),
  );
  const all = Object.values(byId);
  return {
    byId,
    host,
    invoke: (logicalId, event) => byId[logicalId]?.invokeAsync(event),
    deliver: (logicalId, event) => {
      for (let i = options.faults.deliveries(); i > 0; i--) byId[logicalId]?.invokeAsync(event);
    },
    idle: () => all.every((f) => f.idle()),
    status: () =>
      Object.fromEntries(
        all.map((f) => [f.name, { pending: f.pending, queued: f.queued, running: f.running, environments: f.environments, ...f.counts }]),
      ),
    close: async () => {
      await Promise.all(all.map((f) => f.close()));
      await host.close();
    },
  };
};
