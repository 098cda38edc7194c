/**
 * Everything the local cloud needs to know about the stack, read from the packaged CloudFormation
 * template (`npx serverless package` → .serverless/cloudformation-template-update-stack.json): the
 * single source of truth for names, prefixes, table keys, AsyncInferenceConfig and scaling.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DEFAULTS, SERVICE, stackNameFor } from '../defaults';
import { evaluate, evaluateCondition, type Resolver } from './cfn-intrinsics';
import type { AsyncEndpointConfig, ScalingConfig } from '../sagemaker-async';

export interface LocalFunction {
  logicalId: string;
  name: string;
  arn: string;
  /** The esbuild bundle the Lambda zip contains, and the exported handler name. */
  bundle: string;
  exportName: string;
  environment: Record<string, string>;
  timeoutS: number;
  maximumRetryAttempts: number;
  maximumEventAgeS: number;
  /** Name of the SQS queue of the OnFailure destination, if any. */
  onFailureQueue?: string;
}

export interface BucketNotification {
  bucket: string;
  functionLogicalId: string;
  event: string;
  prefix: string;
  suffix: string;
}

export interface StackConfig {
  stackName: string;
  region: string;
  accountId: string;
  bucket: string;
  inputPrefix: string;
  notifications: BucketNotification[];
  table: CreateTableCommandInput & { TableName: string };
  functions: Record<string, LocalFunction>;
  topics: Record<string, string>;
  subscriptions: { topicArn: string; functionLogicalId: string }[];
  /** EventBridge schedules: `rate(...)` rules invoking a function. */
  schedules: { ruleName: string; everyS: number; functionLogicalId: string }[];
  endpoint: AsyncEndpointConfig;
  scaling: ScalingConfig;
}

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}
interface Template {
  Resources: Record<string, Resource>;
  Conditions?: Record<string, unknown>;
}

export const TEMPLATE_PATH = join('.serverless', 'cloudformation-template-update-stack.json');
export const BUNDLE_DIR = join('.esbuild', '.build');

/** serverless.yml's `submitArticle` in the packaged template. */
export const SUBMIT_ARTICLE_FUNCTION = 'SubmitArticleLambdaFunction';

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
  const lambdaFunction = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function');
  const stage = options.stage ?? stageOf(String(lambdaFunction?.[1].Properties?.FunctionName ?? ''));
  const stackName = stackNameFor(stage);
  const resources = template.Resources;
  const pseudo: Record<string, string> = {
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::StackName': stackName,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const generatedName = (id: string) => `${stackName}-${id}`;
  // Physical names as CloudFormation would give them: explicit name properties, else stack-LogicalId.
  const resolver: Resolver = {
    ref: (id) => {
      if (id in pseudo) return pseudo[id] as string;
      const r = resources[id];
      if (!r) throw new Error(`the packaged template refers to unknown ${id}`);
      const p = r.Properties ?? {};
      switch (r.Type) {
        case 'AWS::S3::Bucket':
          return String(evaluate(p.BucketName ?? generatedName(id).toLowerCase(), resolver));
        case 'AWS::SNS::Topic':
          return `arn:aws:sns:${region}:${accountId}:${String(evaluate(p.TopicName ?? generatedName(id), resolver))}`;
        case 'AWS::SQS::Queue':
          return `http://sqs.${region}.localhost/${accountId}/${String(evaluate(p.QueueName ?? generatedName(id), resolver))}`;
        case 'AWS::DynamoDB::Table':
          return String(evaluate(p.TableName ?? generatedName(id), resolver));
        case 'AWS::Lambda::Function':
          return String(evaluate(p.FunctionName ?? generatedName(id), resolver));
        default:
          return generatedName(id);
      }
    },
    getAtt: (id, attribute) => {
      const r = resources[id];
      if (!r) throw new Error(`the packaged template refers to unknown ${id}`);
      const p = r.Properties ?? {};
      const name = resolver.ref(id);
      switch (`${r.Type}.${attribute}`) {
        case 'AWS::S3::Bucket.Arn':
          return `arn:aws:s3:::${name}`;
        case 'AWS::SQS::Queue.Arn':
          return `arn:aws:sqs:${region}:${accountId}:${name.split('/').pop()}`;
        case 'AWS::SQS::Queue.QueueName':
          return name.split('/').pop() as string;
        case 'AWS::Lambda::Function.Arn':
          return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
        case 'AWS::DynamoDB::Table.Arn':
          return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
        case 'AWS::SageMaker::Endpoint.EndpointName':
          return String(evaluate(p.EndpointName ?? generatedName(id), resolver));
        case 'AWS::IAM::Role.Arn':
          return `arn:aws:iam::${accountId}:role/${generatedName(id)}`;
        default:
          return `${name}.${attribute}`;
      }
    },
    condition: (name) => {
      if (!template.Conditions || !(name in template.Conditions)) throw new Error(`the packaged template has no condition ${name}`);
      return evaluateCondition(template.Conditions[name], resolver);
    },
  };
  const ev = <T>(node: unknown) => evaluate(node, resolver) as T;

  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  // S3 → Lambda notifications, with their key filters.
  const notifications: BucketNotification[] = ofType('AWS::S3::Bucket').flatMap(([id, r]) => {
    const config = ev<{ LambdaConfigurations?: { Event: string; Function: string; Filter?: { S3Key?: { Rules?: { Name: string; Value: string }[] } } }[] }>(
      r.Properties?.NotificationConfiguration ?? {},
    );
    return (config.LambdaConfigurations ?? []).map((c) => {
      const rules = c.Filter?.S3Key?.Rules ?? [];
      const functionArn = c.Function;
      const functionLogicalId = ofType('AWS::Lambda::Function').find(([fid]) => resolver.getAtt(fid, 'Arn') === functionArn)?.[0];
      if (!functionLogicalId) throw new Error(`bucket ${id} notifies unknown function ${functionArn}`);
      return {
        bucket: resolver.ref(id),
        functionLogicalId,
        event: c.Event,
        prefix: rules.find((rule) => rule.Name.toLowerCase() === 'prefix')?.Value ?? '',
        suffix: rules.find((rule) => rule.Name.toLowerCase() === 'suffix')?.Value ?? '',
      };
    });
  });
  const first = notifications[0];
  if (!first) throw new Error('the packaged template has no S3 notification to a function');

  const invokeConfigs = ofType('AWS::Lambda::EventInvokeConfig').map(([, r]) => ev<Record<string, any>>(r.Properties)); // eslint-disable-line @typescript-eslint/no-explicit-any
  const functions = Object.fromEntries(
    ofType('AWS::Lambda::Function').map(([id, r]) => {
      const p = ev<{ Handler: string; Environment?: { Variables?: Record<string, string> }; Timeout?: number }>(r.Properties);
      const name = resolver.ref(id);
      const invokeConfig = invokeConfigs.find((c) => c.FunctionName === name);
      const [file, exportName] = splitHandler(p.Handler);
      const destination: string | undefined = invokeConfig?.DestinationConfig?.OnFailure?.Destination;
      const fn: LocalFunction = {
        logicalId: id,
        name,
        arn: resolver.getAtt(id, 'Arn'),
        bundle: join(options.projectRoot, BUNDLE_DIR, `${file}.js`),
        exportName,
        environment: Object.fromEntries(Object.entries(p.Environment?.Variables ?? {}).map(([k, v]) => [k, String(v)])),
        timeoutS: p.Timeout ?? 6,
        // Lambda's defaults for asynchronous invocation: 2 retries, events kept up to 6 hours.
        maximumRetryAttempts: invokeConfig?.MaximumRetryAttempts ?? 2,
        maximumEventAgeS: invokeConfig?.MaximumEventAgeInSeconds ?? 21600,
        ...(destination ? { onFailureQueue: destination.split(':').pop() as string } : {}),
      };
      return [id, fn];
    }),
  );

  const topics = Object.fromEntries(ofType('AWS::SNS::Topic').map(([id]) => [id, resolver.ref(id)]));
  const subscriptions = ofType('AWS::SNS::Subscription')
    .map(([, r]) => ev<{ TopicArn: string; Protocol: string; Endpoint: string }>(r.Properties))
    .filter((s) => s.Protocol === 'lambda')
    .map((s) => {
      const fn = Object.values(functions).find((f) => f.arn === s.Endpoint);
      if (!fn) throw new Error(`SNS subscription to unknown function ${s.Endpoint}`);
      return { topicArn: s.TopicArn, functionLogicalId: fn.logicalId };
    });

  const schedules = ofType('AWS::Events::Rule').flatMap(([id, r]) => {
    const p = ev<{ ScheduleExpression?: string; State?: string; Targets?: { Arn: string }[] }>(r.Properties);
    const everyS = rateSeconds(p.ScheduleExpression);
    if (everyS === undefined || p.State === 'DISABLED') return [];
    return (p.Targets ?? []).flatMap((target) => {
      const fn = Object.values(functions).find((f) => f.arn === target.Arn);
      return fn ? [{ ruleName: id, everyS, functionLogicalId: fn.logicalId }] : [];
    });
  });

  const [tableId, tableResource] = ofType('AWS::DynamoDB::Table')[0] ?? [];
  if (!tableId || !tableResource) throw new Error('the packaged template has no DynamoDB table');
  const t = ev<Record<string, unknown>>(tableResource.Properties);
  const table = {
    TableName: resolver.ref(tableId),
    BillingMode: t.BillingMode,
    AttributeDefinitions: t.AttributeDefinitions,
    KeySchema: t.KeySchema,
    GlobalSecondaryIndexes: t.GlobalSecondaryIndexes,
  } as CreateTableCommandInput & { TableName: string };

  const [endpointId] = ofType('AWS::SageMaker::Endpoint')[0] ?? [];
  const [, configResource] = ofType('AWS::SageMaker::EndpointConfig')[0] ?? [];
  if (!endpointId || !configResource) throw new Error('the packaged template has no SageMaker endpoint');
  const ec = ev<{
    ProductionVariants: { VariantName: string; InitialInstanceCount?: number }[];
    AsyncInferenceConfig: {
      ClientConfig?: { MaxConcurrentInvocationsPerInstance?: number };
      OutputConfig: {
        S3OutputPath: string;
        S3FailurePath?: string;
        NotificationConfig?: { SuccessTopic?: string; ErrorTopic?: string; IncludeInferenceResponseIn?: ('SUCCESS_NOTIFICATION_TOPIC' | 'ERROR_NOTIFICATION_TOPIC')[] };
      };
    };
  }>(configResource.Properties);
  const variant = ec.ProductionVariants[0];
  const output = ec.AsyncInferenceConfig.OutputConfig;
  const endpoint: AsyncEndpointConfig = {
    endpointName: resolver.getAtt(endpointId, 'EndpointName'),
    variantName: variant?.VariantName ?? 'AllTraffic',
    initialInstanceCount: variant?.InitialInstanceCount ?? 1,
    // Unset means SageMaker chooses; 1 is the conservative local stand-in.
    maxConcurrentInvocationsPerInstance: Number(ec.AsyncInferenceConfig.ClientConfig?.MaxConcurrentInvocationsPerInstance ?? 1),
    s3OutputPath: output.S3OutputPath,
    ...(output.S3FailurePath ? { s3FailurePath: output.S3FailurePath } : {}),
    ...(output.NotificationConfig?.SuccessTopic ? { successTopicArn: output.NotificationConfig.SuccessTopic } : {}),
    ...(output.NotificationConfig?.ErrorTopic ? { errorTopicArn: output.NotificationConfig.ErrorTopic } : {}),
    ...(output.NotificationConfig?.IncludeInferenceResponseIn
      ? { includeInferenceResponseIn: output.NotificationConfig.IncludeInferenceResponseIn }
      : {}),
  };

  return {
    stackName,
    region,
    accountId,
    bucket: first.bucket,
    inputPrefix: first.prefix,
    notifications,
    table,
    functions,
    topics,
    subscriptions,
    schedules,
    endpoint,
    scaling: scalingFrom(ofType, ev),
  };
};

type OfType = (type: string) => [string, Resource][];

const scalingFrom = (ofType: OfType, ev: <T>(node: unknown) => T): ScalingConfig => {
  const [, target] = ofType('AWS::ApplicationAutoScaling::ScalableTarget')[0] ?? [];
  if (!target) throw new Error('the packaged template has no scalable target');
  const t = ev<{ MinCapacity: number; MaxCapacity: number }>(target.Properties);
  const policies = ofType('AWS::ApplicationAutoScaling::ScalingPolicy');
  const tracking = policies.map(([, p]) => ev<Record<string, any>>(p.Properties)).find((p) => p.PolicyType === 'TargetTrackingScaling'); // eslint-disable-line @typescript-eslint/no-explicit-any
  const adjustmentType = (p: Resource) => (p.Properties?.StepScalingPolicyConfiguration as { AdjustmentType?: string } | undefined)?.AdjustmentType;
  const stepEntry = policies.find(([, p]) => p.Properties?.PolicyType === 'StepScaling' && adjustmentType(p) !== 'ExactCapacity');
  const alarm = stepEntry
    ? ofType('AWS::CloudWatch::Alarm')
        .map(([, a]) => a.Properties ?? {})
        .find((a) => JSON.stringify(a.AlarmActions ?? []).includes(`"${stepEntry[0]}"`))
    : undefined;
  const step = stepEntry ? ev<Record<string, any>>(stepEntry[1].Properties).StepScalingPolicyConfiguration : undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  const tt = tracking?.TargetTrackingScalingPolicyConfiguration;
  return {
    minCapacity: Number(t.MinCapacity),
    maxCapacity: Number(t.MaxCapacity),
    // Application Auto Scaling's default cooldown is 300 s when a policy sets none.
    ...(tt ? { targetTracking: { targetValue: Number(tt.TargetValue), scaleInCooldownS: Number(tt.ScaleInCooldown ?? 300), scaleOutCooldownS: Number(tt.ScaleOutCooldown ?? 300) } } : {}),
    ...(step && alarm
      ? {
          stepScaling: {
            cooldownS: Number(step.Cooldown ?? 300),
            scalingAdjustment: Number(step.StepAdjustments?.[0]?.ScalingAdjustment ?? 1),
            alarm: {
              periodS: Number(alarm.Period),
              evaluationPeriods: Number(alarm.EvaluationPeriods),
              datapointsToAlarm: Number(alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods),
              threshold: Number(alarm.Threshold),
            },
          },
        }
      : {}),
    ...scaleInToZeroFrom(policies, ofType, ev),
  };
};

/** The ExactCapacity step policy and the alarm whose AlarmActions name it (resources/autoscaling.yml). */
const scaleInToZeroFrom = (policies: [string, Resource][], ofType: OfType, ev: <T>(node: unknown) => T): Pick<ScalingConfig, 'scaleInToZero'> => {
  const entry = policies.find(
    ([, p]) => p.Properties?.PolicyType === 'StepScaling' && (p.Properties?.StepScalingPolicyConfiguration as { AdjustmentType?: string } | undefined)?.AdjustmentType === 'ExactCapacity',
  );
  if (!entry) return {};
  const alarm = ofType('AWS::CloudWatch::Alarm')
    .map(([, a]) => a.Properties ?? {})
    .find((a) => JSON.stringify(a.AlarmActions ?? []).includes(`"${entry[0]}"`));
  if (!alarm) return {};
  const p = ev<{ StepScalingPolicyConfiguration: { Cooldown?: number; StepAdjustments?: { ScalingAdjustment: number }[] } }>(entry[1].Properties);
  const a = ev<{ Period: number; EvaluationPeriods: number; DatapointsToAlarm?: number; Threshold: number }>(alarm);
  return {
    scaleInToZero: {
      cooldownS: Number(p.StepScalingPolicyConfiguration.Cooldown ?? 300),
      capacity: Number(p.StepScalingPolicyConfiguration.StepAdjustments?.[0]?.ScalingAdjustment ?? 0),
      alarm: {
        periodS: Number(a.Period),
        evaluationPeriods: Number(a.EvaluationPeriods),
        datapointsToAlarm: Number(a.DatapointsToAlarm ?? a.EvaluationPeriods),
        threshold: Number(a.Threshold),
      },
    },
  };
};

/** `rate(15 minutes)` → 900; cron expressions are not run locally. */
const rateSeconds = (expression: string | undefined): number | undefined => {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression ?? '');
  if (!match) return undefined;
  const unit = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400 }[match[2] as string] as number;
  return Number(match[1]) * unit;
};

const stageOf = (functionName: string): string => new RegExp(`^${SERVICE}-(.+)-[^-]+$`).exec(functionName)?.[1] ?? 'dev';

const splitHandler = (handler: string): [string, string] => {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
};
