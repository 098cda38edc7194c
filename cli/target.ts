import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { SNSClient } from '@aws-sdk/client-sns';
import { makeClients } from '../adapters/clients';
import { loadRecordConfig, loadSubmitConfig, type RecordConfig, type SubmitConfig } from '../adapters/config';
import { DeployedEndpointFigures } from '../adapters/endpoint-figures';
import { FunctionEnvironment } from '../adapters/function-environment';
import { makeOperatorClients } from '../adapters/operator-clients';
import { StackOutputs } from '../adapters/stack-outputs';
import type { EndpointFigures } from '../core/status/batch-status';
import { DEFAULTS, stackNameFor } from '../local/defaults';
import { localClients } from '../local/edge/clients';
import type { Endpoints } from '../local/types';
import { functionOf, readStackConfig, RECORD_RESULT_FUNCTION, SUBMIT_ARTICLE_FUNCTION } from '../local/template/stack-config';

/** Where a command works: the running local cloud (default) or a deployed stage on AWS. */
export interface Target {
  description: string;
  bucket: string;
  inputPrefix: string;
  table: string;
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  sagemaker: SageMakerRuntimeClient;
  /** Publishes article events for the rows a command finishes (retry, reconcile), as the functions do. */
  sns: SNSClient;
  /** The submit function's own configuration, for commands that submit articles (retry). */
  submitConfig(): Promise<SubmitConfig>;
  /** The record function's, for commands that finish rows as it does (reconcile prices them). */
  recordConfig(): Promise<RecordConfig>;
  /**
   * A deployed endpoint's figures from CloudWatch and Application Auto Scaling (`--aws` only; the local
   * cloud's come from its dashboard data, cli/status.ts).
   */
  endpointFigures?: { figures(since: Date, now: Date): Promise<EndpointFigures> };
}

export interface TargetOptions {
  aws?: boolean;
  stage?: string;
  region?: string;
  stateDir: string;
  projectRoot: string;
}

/** The name the Serverless Framework gives a function of serverless.yml (`submitArticle`, `recordResult`) on AWS. */
const functionName = (stage: string, fn: 'submitArticle' | 'recordResult') => `${stackNameFor(stage)}-${fn}`;

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

export const resolveTarget = async (options: TargetOptions): Promise<Target> =>
  options.aws ? awsTarget(options.stage ?? 'dev', options.region) : localTarget(options.stateDir, options.projectRoot);

const localTarget = async (stateDir: string, projectRoot: string): Promise<Target> => {
  const file = join(stateDir, 'endpoints.json');
  if (!existsSync(file))
    throw new TargetError('the local cloud has not run yet: start it with `npm start` (or add --aws for a deployed stage)');
  const endpoints = JSON.parse(readFileSync(file, 'utf-8')) as Endpoints;
  try {
    const health = await fetch(`${endpoints.edgeUrl}/_localcloud/health`, { signal: AbortSignal.timeout(2000) });
    if (!health.ok) throw new Error(`health check answered ${health.status}`);
  } catch {
    throw new TargetError(`the local cloud is not running at ${endpoints.edgeUrl}: start it with \`npm start\``);
  }
  const { s3, dynamo, sagemaker, sns } = localClients(endpoints.edgeUrl, endpoints.region);
  const functionEnv = (logicalId: string) =>
    functionOf(readStackConfig({ projectRoot, region: endpoints.region, accountId: DEFAULTS.accountId }), logicalId).environment;
  return {
    description: `local cloud ${endpoints.edgeUrl}`,
    bucket: endpoints.bucket,
    inputPrefix: endpoints.inputPrefix,
    table: endpoints.table,
    s3,
    dynamo,
    sagemaker,
    sns,
    // The local cloud runs the packaged template: the function's environment is in it.
    submitConfig: async () => loadSubmitConfig(functionEnv(SUBMIT_ARTICLE_FUNCTION)),
    recordConfig: async () => loadRecordConfig(functionEnv(RECORD_RESULT_FUNCTION)),
  };
};

/** The errors an operator meets first with --aws, said in terms of what to do about them. */
const explained = (error: unknown, stackName: string, what: string): unknown => {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/.test(message)) {
    return new TargetError(`no AWS credentials for --aws: configure them (aws configure, AWS_PROFILE or AWS_ACCESS_KEY_ID) (${message})`);
  }
  if ((name === 'ValidationError' && /does not exist/.test(message)) || name === 'ResourceNotFoundException') {
    return new TargetError(
      `${what} not found: deploy stack ${stackName} first (npx serverless deploy), or pass the --stage and --region it was deployed with (${message})`,
    );
  }
  return error;
};

/** Names from the deployed stack's outputs (resources/outputs.yml); the endpoint is named as the stack is. */
const awsTarget = async (stage: string, region?: string): Promise<Target> => {
  const stackName = stackNameFor(stage);
  const clientRegion = region ? { region } : {};
  const operator = makeOperatorClients(clientRegion);
  const outputs = await new StackOutputs(operator.cloudFormation).of(stackName).catch((error: unknown) => {
    throw explained(error, stackName, `stack ${stackName}`);
  });
  const need = (key: string) => {
    const value = outputs[key];
    if (!value) throw new TargetError(`stack ${stackName} has no output ${key}: is it deployed with this version?`);
    return value;
  };
  const environments = new FunctionEnvironment(operator.lambda);
  const functionEnv = async (fn: 'submitArticle' | 'recordResult') => {
    const name = functionName(stage, fn);
    return environments.of(name).catch((error: unknown) => {
      throw explained(error, stackName, `function ${name}`);
    });
  };
  return {
    description: `AWS stack ${stackName}`,
    bucket: need('BucketName'),
    inputPrefix: need('InputPrefix'),
    table: need('LedgerTableName'),
    // The functions' own clients and retry settings: a retry from here writes what submit-article writes.
    ...makeClients(clientRegion),
    submitConfig: async () => loadSubmitConfig(await functionEnv('submitArticle')),
    recordConfig: async () => loadRecordConfig(await functionEnv('recordResult')),
    endpointFigures: new DeployedEndpointFigures(operator.cloudWatch, operator.sagemaker, stackName),
  };
};
