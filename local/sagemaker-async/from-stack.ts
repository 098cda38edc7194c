/**
 * The endpoint the template defines, started for the local cloud: its name, variant, async settings
 * and scaling policies from the stack, its instances local model-server processes, its notifications
 * published to the stack's topics.
 */

import { join } from 'node:path';
import { localBundle } from '../bundles';
import { launchModelProcess, modelArgs } from '../model-server/launch';
import type { StackConfig } from '../template/stack-config';
import type { ObjectStore } from './object-store';
import { startAsyncEndpoint } from './start-async-endpoint';
import type { AsyncEndpoint, AsyncEndpointOptions } from './types';

export interface StackEndpointOptions {
  projectRoot: string;
  /** The local cloud's state folder; the endpoint keeps its queue in `sagemaker/` under it. */
  stateDir: string;
  /** The endpoint's object I/O: the local cloud's S3 store, read and written in process (local/s3/direct-objects.ts). */
  objects: ObjectStore;
  timeScale: number;
  provisioningDelayS: number;
  publish: AsyncEndpointOptions['publish'];
  /** Model server flags, e.g. ['--mode', 'fixed', '--latency-ms', '100']. */
  modelArgs?: string[];
  onRequestTiming?: AsyncEndpointOptions['onRequestTiming'];
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export const startStackEndpoint = (config: StackConfig, options: StackEndpointOptions): Promise<AsyncEndpoint> =>
  startAsyncEndpoint({
    region: config.region,
    accountId: config.accountId,
    endpoint: config.endpoint,
    scaling: config.scaling,
    objects: options.objects,
    log: options.log,
    timeScale: options.timeScale,
    stateDir: join(options.stateDir, 'sagemaker'),
    provisioningDelayS: options.provisioningDelayS,
    publish: options.publish,
    launchInstance: launchModelProcess({
      bundle: localBundle(options.projectRoot, 'model-server'),
      args: modelArgs(config, options.modelArgs),
    }),
    // The endpoint already exists when the local cloud starts: its instances need no provisioning.
    initialInstancesInService: true,
    ...(options.onRequestTiming ? { onRequestTiming: options.onRequestTiming } : {}),
  });
