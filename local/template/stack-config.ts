/**
 * Everything the local cloud needs to know about the stack, read from the packaged CloudFormation
 * template (`npx serverless package` → .serverless/cloudformation-template-update-stack.json): the
 * single source of truth for names, prefixes, table keys, AsyncInferenceConfig and scaling.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULTS, SERVICE, stackNameFor } from '../defaults';
import type { AsyncEndpointConfig, ScalingConfig } from '../sagemaker-async/types';
import { stackResolver } from './cfn-intrinsics';
import { endpointOf } from './endpoint';
import {
  bucketNotificationsOf,
  schedulesOf,
  subscriptionsOf,
  topicsOf,
  type BucketNotification,
  type Schedule,
  type Subscription,
} from './events';
import { functionsOf, type LocalFunction } from './functions';
import { scalingOf } from './scaling';
import { tableOf, type LocalTable } from './table';
import { templateView, type Template } from './template-view';

export type { BucketNotification } from './events';
export { BUNDLE_DIR, type LocalFunction } from './functions';

export interface StackConfig {
  stackName: string;
  region: string;
  accountId: string;
  bucket: string;
  inputPrefix: string;
  notifications: BucketNotification[];
  table: LocalTable;
  functions: Record<string, LocalFunction>;
  topics: Record<string, string>;
  /** The ArticleEventsTopic's ARN (resources/topics.yml): users are told there when an article ends. */
  articleEventsTopicArn?: string;
  subscriptions: Subscription[];
  /** EventBridge schedules: `rate(...)` rules invoking a function. */
  schedules: Schedule[];
  endpoint: AsyncEndpointConfig;
  scaling: ScalingConfig;
}

export const TEMPLATE_PATH = join('.serverless', 'cloudformation-template-update-stack.json');

/** serverless.yml's `submitArticle` in the packaged template. */
export const SUBMIT_ARTICLE_FUNCTION = 'SubmitArticleLambdaFunction';
/** The topic users are told on (resources/topics.yml). */
export const ARTICLE_EVENTS_TOPIC = 'ArticleEventsTopic';
/** record-result's environment holds the price and the concurrency (core/cost.ts). */
export const RECORD_RESULT_FUNCTION = 'RecordResultLambdaFunction';

/** One function of the packaged template, or a clear error naming it. */
export const functionOf = (config: StackConfig, logicalId: string): LocalFunction => {
  const fn = config.functions[logicalId];
  if (!fn) throw new Error(`the packaged template has no ${logicalId}: run npm run build`);
  return fn;
};

/** The config with one function's environment changed, as a redeploy with other parameters would (tests, benchmarks). */
export const withFunctionEnvironment = (config: StackConfig, logicalId: string, vars: Record<string, string>): StackConfig => {
  const fn = functionOf(config, logicalId);
  return { ...config, functions: { ...config.functions, [logicalId]: { ...fn, environment: { ...fn.environment, ...vars } } } };
};

export interface StackConfigOptions {
  projectRoot: string;
  stage?: string;
  region?: string;
  accountId?: string;
}

export const readStackConfig = (options: StackConfigOptions): StackConfig => {
  const { projectRoot } = options;
  const path = join(projectRoot, TEMPLATE_PATH);
  let template: Template;
  try {
    template = JSON.parse(readFileSync(path, 'utf-8')) as Template;
  } catch (cause) {
    throw new Error(`cannot read ${path}: run \`npx serverless package\` first (npm start does it)`, { cause });
  }
  return stackConfigFrom(template, options);
};

export const stackConfigFrom = (template: Template, options: StackConfigOptions): StackConfig => {
  const region = options.region ?? DEFAULTS.region;
  const accountId = options.accountId ?? DEFAULTS.accountId;
  const lambdaFunction = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
  const stackName = stackNameFor(options.stage ?? stageOf(String(lambdaFunction?.Properties?.FunctionName ?? '')));
  const view = templateView(template, stackResolver(template.Resources, { stackName, region, accountId }, template.Conditions));

  const notifications = bucketNotificationsOf(view);
  const first = notifications[0];
  if (!first) throw new Error('the packaged template has no S3 notification to a function');
  const functions = functionsOf(view, options.projectRoot);
  const topics = topicsOf(view);
  return {
    stackName,
    region,
    accountId,
    bucket: first.bucket,
    inputPrefix: first.prefix,
    notifications,
    table: tableOf(view),
    functions,
    topics,
    ...(topics[ARTICLE_EVENTS_TOPIC] ? { articleEventsTopicArn: topics[ARTICLE_EVENTS_TOPIC] } : {}),
    subscriptions: subscriptionsOf(view, functions),
    schedules: schedulesOf(view, functions),
    endpoint: endpointOf(view),
    scaling: scalingOf(view),
  };
};

const stageOf = (functionName: string): string => new RegExp(`^${SERVICE}-(.+)-[^-]+$`).exec(functionName)?.[1] ?? 'dev';
