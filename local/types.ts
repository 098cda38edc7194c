import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { FaultInjector, FaultRates } from './edge/faults';
import type { LocalLambda } from './lambda/runtime';
import type { AsyncEndpoint } from './sagemaker-async/types';
import type { SupervisionStatus } from './support/supervisor';
import type { TopicLog } from './sns/topic-log';
import type { StackConfig } from './template/stack-config';

/** What startLocalCloud takes and gives back; the names and settings come from the packaged template. */
export interface LocalCloudOptions {
  projectRoot: string;
  /** State that survives a restart; default <projectRoot>/.local-cloud. */
  stateDir?: string;
  /** Edge port on 127.0.0.1; default 4566, 0 for a free one. */
  port?: number;
  /** Simulated seconds per real second for cooldowns, alarm periods, provisioning, TTL and retries. */
  timeScale?: number;
  /** Simulated seconds for a new instance to come into service. */
  provisioningDelayS?: number;
  /** Model server flags, e.g. ['--mode', 'fixed', '--latency-ms', '100']. */
  modelArgs?: string[];
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Changes the template's settings for this run only (benchmarks: scaling, initial instances). */
  adjust?: (config: StackConfig) => StackConfig;
  /** S3 and DynamoDB error rates injected at the edge (edge/faults.ts); none by default. */
  faults?: FaultRates;
  /** Per-request real-time timings from the endpoint (queue and model), for benchmarks. */
  onRequestTiming?: (timing: { inferenceId: string; backlogMs: number; modelMs: number }) => void;
}

/** What `.local-cloud/endpoints.json` holds, for people and for the drop / results commands. */
export interface Endpoints {
  edgeUrl: string;
  region: string;
  bucket: string;
  inputPrefix: string;
  table: string;
  endpointName: string;
}

export interface LocalCloud {
  config: StackConfig;
  endpoints: Endpoints;
  endpoint: AsyncEndpoint;
  functions: Record<string, LocalLambda>;
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  /** The edge's fault injection, to switch on and off while running. */
  faults: FaultInjector;
  /** The supervised processes (DynamoDB, the model servers): running, restarting or given up, and restarts. */
  processes(): SupervisionStatus[];
  /** What the ArticleEventsTopic delivered (`.local-cloud/article-events.jsonl`, `/_localcloud/article-events`). */
  articleEvents: TopicLog;
  /** No function invocation pending and nothing queued or running in the endpoint. */
  idle(): boolean;
  close(): Promise<void>;
}
