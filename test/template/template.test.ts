// Packages the service exactly as `serverless deploy` would (offline, with no AWS credentials) and
// checks the CloudFormation template it produces: the resources in resources/*.yml plus what the
// framework generates from serverless.yml (functions, SNS subscriptions, event invoke configs).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chooseBranches, templateStrings } from './template-walk';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

interface Template {
  Resources: Record<string, Resource>;
  Outputs: Record<string, { Value: unknown }>;
  Mappings?: Record<string, Record<string, Record<string, string>>>;
  Conditions?: Record<string, unknown>;
}

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

interface PolicyDocument {
  Statement: Statement | Statement[];
}

const projectRoot = path.resolve(__dirname, '..', '..');
const templatePath = path.join(projectRoot, '.serverless', 'cloudformation-template-update-stack.json');
const bucketName = '${AWS::StackName}-${AWS::AccountId}-${AWS::Region}';

let template: Template;

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([] as T[]).concat(value));

const resource = (id: string): Resource => {
  const found = template.Resources[id];
  if (found === undefined) throw new Error(`no resource ${id} in the packaged template`);
  return found;
};

const resourcesOfType = (type: string): [string, Resource][] =>
  Object.entries(template.Resources).filter(([, candidate]) => candidate.Type === type);

// Every statement of every role's inline policies and of every standalone policy, with its owner; a
// statement under Fn::If counts as the template's conditions choose.
const policyStatements = (): { owner: string; statement: Statement }[] => {
  const inline = resourcesOfType('AWS::IAM::Role').flatMap(([id, role]) =>
    asList(role.Properties.Policies as { PolicyDocument: PolicyDocument }[]).map((policy) => [id, policy.PolicyDocument] as const),
  );
  const standalone = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].flatMap((type) =>
    resourcesOfType(type).map(([id, policy]) => [id, policy.Properties.PolicyDocument as PolicyDocument] as const),
  );
  return [...inline, ...standalone].flatMap(([owner, document]) =>
    asList(chooseBranches(document.Statement, template.Conditions) as Statement | Statement[]).map((statement) => ({ owner, statement })),
  );
};

const allowStatements = () => policyStatements().filter(({ statement }) => statement.Effect === 'Allow');

// Logical IDs (and GetAtt/Sub attribute owners) a piece of template refers to. Names defined in the
// variable map of a two-argument Fn::Sub are local, not references.
const references = (node: unknown): string[] => {
  if (Array.isArray(node)) return node.flatMap(references);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key === 'Ref') return [value as string];
    if (key === 'Fn::GetAtt') return [asList(value as string | string[])[0] as string];
    if (key === 'Fn::Sub') {
      const [text, variables = {}] = asList(value as string | [string, Record<string, unknown>]) as [string, Record<string, unknown>?];
      const named = [...text.matchAll(/\$\{([^!}][^}.]*)[^}]*\}/g)].map((match) => match[1] as string);
      return [...named.filter((name) => !(name in variables)), ...references(variables)];
    }
    return references(value);
  });
};

/** Condition values as literal conditions, to lay over the template's own. */
const asConditions = (values: Record<string, boolean>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { 'Fn::Equals': [String(value), 'true'] }]));

const dependencies = (id: string): string[] => {
  const declared = resource(id);
  const internal = references(declared.Properties).filter((name) => name in template.Resources);
  return [...new Set([...internal, ...asList(declared.DependsOn)])];
};

beforeAll(async () => {
  // test/support/global-setup.ts packaged the stack for this run (scripts/build.js): it deletes any
  // stale .serverless/ first and runs `serverless package` with a minimal environment, so any
  // credential or account lookup would have failed the run.
  template = JSON.parse(await readFile(templatePath, 'utf8')) as Template;
});

describe('the asynchronous inference endpoint', () => {
  it('writes results under outputs/ and failures/ of the articles bucket and notifies both topics', () => {
    // Act
    const config = resource('EndpointConfig').Properties.AsyncInferenceConfig;
    // Assess
    expect(config).toEqual({
      ClientConfig: { MaxConcurrentInvocationsPerInstance: '2' },
      OutputConfig: {
        S3OutputPath: { 'Fn::Sub': 's3://${ArticlesBucket}/outputs' },
        S3FailurePath: { 'Fn::Sub': 's3://${ArticlesBucket}/failures' },
        NotificationConfig: {
          SuccessTopic: { Ref: 'SuccessTopic' },
          ErrorTopic: { Ref: 'ErrorTopic' },
          IncludeInferenceResponseIn: ['SUCCESS_NOTIFICATION_TOPIC', 'ERROR_NOTIFICATION_TOPIC'],
        },
      },
    });
  });

  it('serves PEGASUS CNN/DailyMail for summarization with model-server timeouts equal to the invocation timeout', () => {
    // Prepare
    const submitEnvironment = resource('SubmitArticleLambdaFunction').Properties.Environment as { Variables: Record<string, unknown> };
    const timeout = submitEnvironment.Variables.INVOCATION_TIMEOUT_SECONDS;
    // Act: as deployed with the default modelDataUrl (none): the model comes from the Hub.
    const model = chooseBranches(resource('Model').Properties, template.Conditions);
    // Assess
    expect(timeout).toBe('900');
    expect(model).toMatchObject({
      ExecutionRoleArn: { 'Fn::GetAtt': ['SageMakerExecutionRole', 'Arn'] },
      PrimaryContainer: {
        Environment: {
          HF_MODEL_ID: 'google/pegasus-cnn_dailymail',
          HF_TASK: 'summarization',
          MMS_MAX_REQUEST_SIZE: '2000000000',
          MMS_MAX_RESPONSE_SIZE: '2000000000',
          MMS_DEFAULT_RESPONSE_TIMEOUT: timeout,
          TS_DEFAULT_RESPONSE_TIMEOUT: timeout,
          SAGEMAKER_MODEL_SERVER_TIMEOUT: timeout,
        },
      },
    });
  });

  // The model image: the Hugging Face PyTorch inference DLC from the region's DLC registry account
  // (sagemaker-python-sdk image_uri_config/huggingface.json), pulled by a role scoped to that repository.
  const modelImage = () => {
    const [text, variables] = (resource('Model').Properties.PrimaryContainer as { Image: { 'Fn::Sub': [string, Record<string, unknown>] } })
      .Image['Fn::Sub'];
    const tag = text.split(':').pop() as string;
    return { text, variables, tag };
  };

  it.each([
    ['us-east-1', '763104351884'],
    ['eu-west-1', '763104351884'],
    ['af-south-1', '626614931356'],
    ['ap-east-1', '871362719292'],
    ['ap-northeast-3', '364406365360'],
    ['ap-southeast-3', '907027046896'],
    ['eu-south-1', '692866216735'],
    ['me-central-1', '914824155844'],
    ['il-central-1', '780543022126'],
    ['cn-north-1', '727897471807'],
    ['us-gov-west-1', '442386744353'],
  ])('pulls the model image in %s from DLC registry account %s', (region, account) => {
    // Act
    const { text, variables } = modelImage();
    // Assess
    expect(text).toMatch(/^\$\{RegistryAccount\}\.dkr\.ecr\.\$\{AWS::Region\}\.\$\{AWS::URLSuffix\}\/huggingface-pytorch-inference:/);
    expect(variables.RegistryAccount).toEqual({ 'Fn::FindInMap': ['DlcRegistryAccounts', { Ref: 'AWS::Region' }, 'account'] });
    expect(template.Mappings?.DlcRegistryAccounts?.[region]).toEqual({ account });
  });

  it('lets the endpoint role pull only the model image repository of the mapped registry account', () => {
    // Act
    const pull = allowStatements().find(({ statement }) => asList(statement.Action).includes('ecr:BatchGetImage'));
    // Assess
    expect(pull?.owner).toBe('SageMakerExecutionRole');
    expect(pull?.statement.Resource).toEqual({
      'Fn::Sub': [
        'arn:${AWS::Partition}:ecr:${AWS::Region}:${RegistryAccount}:repository/huggingface-pytorch-inference',
        { RegistryAccount: { 'Fn::FindInMap': ['DlcRegistryAccounts', { Ref: 'AWS::Region' }, 'account'] } },
      ],
    });
  });

  it('serves summarization from a transformers 4.x image on a patched PyTorch (transformers 5 has no summarization pipeline)', () => {
    // Prepare
    const environment = (resource('Model').Properties.PrimaryContainer as { Environment: Record<string, string> }).Environment;
    // Act
    const { tag } = modelImage();
    const [, pytorch, transformers] = /^(\d+\.\d+)\.\d+-transformers(\d+)\./.exec(tag) ?? [];
    // Assess
    expect(environment.HF_TASK).toBe('summarization');
    expect(transformers).toBe('4');
    expect(Number(pytorch)).toBeGreaterThanOrEqual(2.6);
    expect(tag).toBe('2.6.0-transformers4.51.3-cpu-py312-ubuntu22.04');
  });

  it('runs one model server worker per concurrent invocation and pins the model revision', () => {
    // Prepare
    const concurrency = (
      resource('EndpointConfig').Properties.AsyncInferenceConfig as { ClientConfig: { MaxConcurrentInvocationsPerInstance: string } }
    ).ClientConfig.MaxConcurrentInvocationsPerInstance;
    // Act
    const model = chooseBranches(resource('Model').Properties, template.Conditions) as {
      PrimaryContainer: { Environment: Record<string, string> };
    };
    const environment = model.PrimaryContainer.Environment;
    // Assess
    expect(environment.SAGEMAKER_MODEL_SERVER_WORKERS).toBe(concurrency);
    expect(concurrency).toBe('2');
    expect(environment.HF_MODEL_REVISION).toBe('main');
  });

  it('creates the named endpoint with one AllTraffic instance only after the role and topic policy exist', () => {
    // Act
    const endpoint = resource('Endpoint');
    const variants = resource('EndpointConfig').Properties.ProductionVariants;
    // Assess
    expect(endpoint.Properties.EndpointName).toBe('research-summarizer-dev');
    expect(asList(endpoint.DependsOn)).toEqual(expect.arrayContaining(['SageMakerExecutionRole', 'SnsTopicPolicy']));
    expect(variants).toEqual([
      expect.objectContaining({ VariantName: 'AllTraffic', InitialInstanceCount: 1, ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] } }),
    ]);
  });
});

describe('autoscaling', () => {
  it('scales the AllTraffic variant between 0 and 5 instances and is registered after the endpoint', () => {
    // Act
    const target = resource('EndpointScalableTarget');
    // Assess
    expect(asList(target.DependsOn)).toContain('Endpoint');
    expect(target.Properties).toEqual({
      ServiceNamespace: 'sagemaker',
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      ResourceId: { 'Fn::Sub': 'endpoint/${Endpoint.EndpointName}/variant/AllTraffic' },
      MinCapacity: 0,
      MaxCapacity: 5,
    });
  });

  it('tracks a backlog of 5 requests per instance with 120 s cooldowns', () => {
    // Act
    const policy = resource('BacklogTargetTrackingPolicy').Properties;
    // Assess
    expect(policy).toMatchObject({
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: { Ref: 'EndpointScalableTarget' },
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 5,
        ScaleInCooldown: 120,
        ScaleOutCooldown: 120,
        CustomizedMetricSpecification: {
          Namespace: 'AWS/SageMaker',
          MetricName: 'ApproximateBacklogSizePerInstance',
          Dimensions: [{ Name: 'EndpointName', Value: { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] } }],
          Statistic: 'Average',
        },
      },
    });
  });

  it('adds the first instance as soon as requests wait with no capacity, and no second one while it starts', () => {
    // Act
    const policy = resource('ScaleOutFromZeroPolicy').Properties;
    const alarm = resource('HasBacklogWithoutCapacityAlarm').Properties;
    // Assess: +1, never a scale-in of what target tracking asked for; a 600 s cooldown of its own (not
    // target tracking's 120 s), so its alarm, in ALARM until the instance is in service, repeats it in vain.
    expect(policy).toMatchObject({
      PolicyType: 'StepScaling',
      ScalingTargetId: { Ref: 'EndpointScalableTarget' },
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity',
        Cooldown: 600,
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      },
    });
    expect(alarm).toMatchObject({
      Namespace: 'AWS/SageMaker',
      MetricName: 'HasBacklogWithoutCapacity',
      Dimensions: [{ Name: 'EndpointName', Value: { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] } }],
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: 'ScaleOutFromZeroPolicy' }],
    });
  });

  it('goes back to zero instances after 5 minutes with nothing queued, running or waiting for capacity', () => {
    // Act
    const policy = resource('ScaleInToZeroPolicy').Properties;
    const alarm = resource('EndpointIdleAlarm').Properties;
    const endpointMetric = (MetricName: string) => ({
      Namespace: 'AWS/SageMaker',
      MetricName,
      Dimensions: [{ Name: 'EndpointName', Value: { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] } }],
    });
    // Assess: ApproximateBacklogSize counts queued and in-flight requests; with HasBacklogWithoutCapacity
    // added, the minute that fired the scale-out from zero is never idle to this alarm (no undo of it).
    // The sum's Maximum over each of 5 minutes at 0 sets the exact capacity 0.
    expect(policy).toMatchObject({
      PolicyType: 'StepScaling',
      ScalingTargetId: { Ref: 'EndpointScalableTarget' },
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ExactCapacity',
        MetricAggregationType: 'Maximum',
        StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: 0 }],
      },
    });
    expect(alarm).toMatchObject({
      Metrics: [
        { Id: 'busy', Expression: 'backlog + backlogWithoutCapacity', ReturnData: true },
        { Id: 'backlog', MetricStat: { Metric: endpointMetric('ApproximateBacklogSize'), Period: 60, Stat: 'Maximum' }, ReturnData: false },
        {
          Id: 'backlogWithoutCapacity',
          MetricStat: { Metric: endpointMetric('HasBacklogWithoutCapacity'), Period: 60, Stat: 'Maximum' },
          ReturnData: false,
        },
      ],
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      Threshold: 0,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      TreatMissingData: 'missing',
      AlarmActions: [{ Ref: 'ScaleInToZeroPolicy' }],
    });
    // A metric-math alarm names no metric of its own.
    expect(alarm).not.toHaveProperty('MetricName');
  });
});

describe('updating the endpoint', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-endpoint.html
  it('keeps the instance count autoscaling reached when the endpoint is updated', () => {
    expect(resource('Endpoint').Properties.RetainAllVariantProperties).toBe(true);
  });

  it('can leave autoscaling out (autoscaling=off), the first of two deploys that change the instance type', () => {
    // Act
    const scaling = Object.entries(template.Resources).filter(([, r]) => r.Type.startsWith('AWS::ApplicationAutoScaling::'));
    const alarms = [resource('HasBacklogWithoutCapacityAlarm'), resource('EndpointIdleAlarm')];
    // Assess
    expect(scaling.map(([id]) => id).sort()).toEqual([
      'BacklogTargetTrackingPolicy',
      'EndpointScalableTarget',
      'ScaleInToZeroPolicy',
      'ScaleOutFromZeroPolicy',
    ]);
    for (const [, r] of scaling) expect(r.Condition).toBe('AutoscalingOn');
    for (const alarm of alarms) expect(alarm.Condition).toBe('AutoscalingOn');
    expect(template.Conditions?.AutoscalingOn).toEqual({ 'Fn::Equals': ['on', 'on'] });
  });

  it('stops a deploy that would change the instance type of an autoscaled variant (deploy/endpoint-update-guard.js)', async () => {
    // Act
    const service = await readFile(path.join(projectRoot, 'serverless.yml'), 'utf8');
    // Assess
    expect(service).toMatch(/^plugins:\n(?: {2}(?:- |#).*\n)* {2}- \.\/deploy\/endpoint-update-guard\.js$/m);
  });
});

describe('event wiring', () => {
  it('gives the functions that send model requests the model input limit and the long-summary length', () => {
    for (const name of ['SubmitArticle', 'RecordResult', 'Reconcile']) {
      const variables = (resource(`${name}LambdaFunction`).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables).toMatchObject({
        MAX_INPUT_TOKENS: '1024',
        LONG_SUMMARY_WORDS: '200',
        SUMMARIES_PREFIX: 'summaries/',
        REQUESTS_PREFIX: 'requests/',
      });
    }
  });

  it('subscribes recordResult to the success and error topics', () => {
    // Act
    const subscriptions = resourcesOfType('AWS::SNS::Subscription')
      .map(([, subscription]) => subscription.Properties)
      .filter((properties) => properties.Protocol === 'lambda');
    // Assess
    expect(subscriptions).toEqual(
      ['SuccessTopic', 'ErrorTopic'].map((topic) => ({
        TopicArn: { Ref: topic },
        Protocol: 'lambda',
        Endpoint: { 'Fn::GetAtt': ['RecordResultLambdaFunction', 'Arn'] },
      })),
    );
  });

  it('lets SNS invoke recordResult from each topic', () => {
    // Act
    const permissions = resourcesOfType('AWS::Lambda::Permission')
      .map(([, permission]) => permission.Properties)
      .filter((properties) => properties.Principal === 'sns.amazonaws.com');
    // Assess
    expect(permissions).toEqual(
      ['SuccessTopic', 'ErrorTopic'].map((topic) => ({
        Action: 'lambda:InvokeFunction',
        Principal: 'sns.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': ['RecordResultLambdaFunction', 'Arn'] },
        SourceArn: { Ref: topic },
      })),
    );
  });

  it('starts submitArticle only for objects created under input/', () => {
    // Act
    const notified = resourcesOfType('AWS::S3::Bucket').filter(([, bucket]) => 'NotificationConfiguration' in bucket.Properties);
    // Assess
    expect(notified.map(([id]) => id)).toEqual(['ArticlesBucket']);
    expect(resource('ArticlesBucket').Properties.NotificationConfiguration).toEqual({
      LambdaConfigurations: [
        {
          Event: 's3:ObjectCreated:*',
          Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'input/' }] } },
          Function: { 'Fn::GetAtt': ['SubmitArticleLambdaFunction', 'Arn'] },
        },
      ],
    });
  });

  it('lets only the articles bucket of this account invoke submitArticle, before the notification is saved', () => {
    // Act
    const permission = resource('SubmitArticleS3Permission').Properties;
    // Assess
    expect(permission).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': ['SubmitArticleLambdaFunction', 'Arn'] },
      Principal: 's3.amazonaws.com',
      SourceArn: { 'Fn::Sub': `arn:${'${AWS::Partition}'}:s3:::${bucketName}` },
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    expect(resource('ArticlesBucket').Properties.BucketName).toEqual({ 'Fn::Sub': bucketName });
    expect(asList(resource('ArticlesBucket').DependsOn)).toContain('SubmitArticleS3Permission');
  });

  it.each([
    ['SubmitArticle', 'SubmitArticleDeadLetterQueue'],
    ['RecordResult', 'RecordResultDeadLetterQueue'],
  ])('retries %s twice, then sends the event to its own dead-letter queue', (name, queue) => {
    // Act
    const invokeConfig = resource(`${name}LambdaEvConf`).Properties;
    // Assess
    expect(invokeConfig).toMatchObject({
      FunctionName: { Ref: `${name}LambdaFunction` },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    expect(resource(queue)).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } });
  });
});

describe('the ledger table', () => {
  interface IndexDefinition {
    IndexName: string;
    KeySchema: unknown[];
    Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
  }
  type Definitions = Map<string, Omit<IndexDefinition, 'IndexName'>>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tables = require('../../deploy/ledger-table.js') as {
    indexDefinitions(template: unknown, overrides?: Record<string, boolean>): Definitions;
    indexChanges(before: Definitions, after: Definitions): { added: string[]; removed: string[]; changed: string[] };
    overridesFor(settings: Record<string, string>): Record<string, boolean>;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { planSteps } = require('../../deploy/ledger-index-guard.js') as {
    planSteps(
      deployed: Definitions,
      template: unknown,
    ): { settings: Record<string, string>; adds?: string; removes?: string }[] | undefined;
  };
  const asDefinitions = (indexes: IndexDefinition[]): Definitions =>
    new Map(indexes.map(({ IndexName, ...definition }) => [IndexName, definition]));

  // DynamoDB adds or deletes one global secondary index per UpdateTable call and changes none in
  // place, which dynalite does not enforce: each release's upgrade path is checked here.
  it.each([
    ['before trends and batches', 7],
    // byBatch gave requestCount, parts and partsDone (written on every step of a long article) for costItems.
    ['before projections', 7],
    // The article event's pending mark moved from an S3 object to the row (core/article-events.ts).
    ['before byPendingEvent', 1],
  ])(
    'upgrades a stage deployed %s in %i deploys of one index each, and creates every index on a fresh deploy',
    async (release, deploys) => {
      // Prepare
      const previous = JSON.parse(await readFile(path.join(__dirname, 'previous-releases.json'), 'utf8')) as Record<
        string,
        IndexDefinition[]
      >;
      const deployed = asDefinitions(previous[release] as IndexDefinition[]);
      // Act
      const steps = planSteps(deployed, template) ?? [];
      // Assess: each step's template differs from the one before by exactly one index, and the last is this one.
      let current = deployed;
      for (const step of steps) {
        const next = tables.indexDefinitions(template, tables.overridesFor(step.settings));
        const { added, removed, changed } = tables.indexChanges(current, next);
        expect({ added, removed, changed }).toEqual({
          added: step.adds ? [step.adds] : [],
          removed: step.removes ? [step.removes] : [],
          changed: [],
        });
        current = next;
      }
      expect(steps).toHaveLength(deploys);
      expect(steps.at(-1)?.settings).toEqual({ batchIndex: 'on', pendingIndex: 'on', stateIndex: 'on', dayIndex: 'on' });
      expect([...current.keys()].sort()).toEqual(['byBatch', 'byDay', 'byPendingEvent', 'byPublishedDay', 'byState']);
      expect(tables.indexChanges(current, tables.indexDefinitions(template))).toEqual({ added: [], removed: [], changed: [] });
    },
  );

  it('leaves each switch at this release in the packaged template, and drops the key definition of an index left out', () => {
    // Act
    const off = tables.overridesFor({ batchIndex: 'off', pendingIndex: 'off', stateIndex: 'off', dayIndex: 'off' });
    const attributes = (overrides: Record<string, boolean>) =>
      (
        chooseBranches(resource('LedgerTable').Properties.AttributeDefinitions, { ...template.Conditions, ...asConditions(overrides) }) as {
          AttributeName: string;
        }[]
      ).map((a) => a.AttributeName);
    // Assess
    expect(template.Conditions).toMatchObject({
      BatchIndexOn: { 'Fn::Equals': ['on', 'on'] },
      PendingIndexOn: { 'Fn::Equals': ['on', 'on'] },
      StateIndexOff: { 'Fn::Equals': ['on', 'off'] },
      StateIndexAll: { 'Fn::Equals': ['on', 'all'] },
      DayIndexOff: { 'Fn::Equals': ['on', 'off'] },
      DayIndexAll: { 'Fn::Equals': ['on', 'all'] },
    });
    expect(attributes({}).sort()).toEqual(['articleId', 'batch', 'day', 'eventPendingSince', 'publishedDay', 'receivedAt', 'state']);
    expect(attributes(off).sort()).toEqual(['articleId', 'publishedDay', 'receivedAt']);
  });

  it('indexes each batch (the first folder under input/) with what its progress needs', () => {
    const indexes = resource('LedgerTable').Properties.GlobalSecondaryIndexes as unknown[];
    expect(indexes).toContainEqual({
      'Fn::If': [
        'BatchIndexOn',
        {
          IndexName: 'byBatch',
          KeySchema: [
            { AttributeName: 'batch', KeyType: 'HASH' },
            { AttributeName: 'receivedAt', KeyType: 'RANGE' },
          ],
          Projection: {
            ProjectionType: 'INCLUDE',
            NonKeyAttributes: ['key', 'state', 'completedAt', 'costUsd', 'costItems'],
          },
        },
        { Ref: 'AWS::NoValue' },
      ],
    });
  });

  it('is keyed by articleId with byState and byDay indexes projecting what their readers use, billed per request, with PITR and SSE', () => {
    // Prepare
    const index = (hash: string, NonKeyAttributes: string[]) => ({
      KeySchema: [
        { AttributeName: hash, KeyType: 'HASH' },
        { AttributeName: 'receivedAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes },
    });
    // Act
    const table = chooseBranches(resource('LedgerTable').Properties, template.Conditions) as Record<string, unknown>;
    const indexes = tables.indexDefinitions(template);
    // Assess: none of these changes between a row's creation and its terminal state, except with it.
    expect(indexes.get('byState')).toEqual(
      index('state', ['key', 'batch', 'completedAt', 'costUsd', 'costItems', 'summary', 'reason', 'level', 'levelSize', 'levelDone']),
    );
    expect(indexes.get('byDay')).toEqual(index('day', ['key']));
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'articleId', KeyType: 'HASH' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    expect(table.AttributeDefinitions).toEqual(
      expect.arrayContaining(['articleId', 'state', 'day', 'receivedAt'].map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
  });

  it('keeps byState and byDay as releases before this one defined them with stateIndex=all and dayIndex=all', () => {
    // Act
    const indexes = tables.indexDefinitions(template, tables.overridesFor({ stateIndex: 'all', dayIndex: 'all' }));
    // Assess
    expect(indexes.get('byState')?.Projection).toEqual({ ProjectionType: 'ALL' });
    expect(indexes.get('byDay')?.Projection).toEqual({ ProjectionType: 'ALL' });
  });

  it('has a byPublishedDay index (publishedDay, receivedAt) projecting only what a trend reads', () => {
    // Act
    const table = chooseBranches(resource('LedgerTable').Properties, template.Conditions) as {
      GlobalSecondaryIndexes: { IndexName: string }[];
      AttributeDefinitions: unknown[];
    };
    const index = table.GlobalSecondaryIndexes.find((i) => i.IndexName === 'byPublishedDay');
    // Assess
    expect(index).toEqual({
      IndexName: 'byPublishedDay',
      KeySchema: [
        { AttributeName: 'publishedDay', KeyType: 'HASH' },
        { AttributeName: 'receivedAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['state', 'key', 'title', 'keyphrases', 'publishedAt'] },
    });
    expect(table.AttributeDefinitions).toContainEqual({ AttributeName: 'publishedDay', AttributeType: 'S' });
  });
});

describe('encryption and public access', () => {
  it('encrypts the articles bucket and blocks every form of public access', () => {
    // Act
    const bucket = resource('ArticlesBucket').Properties;
    // Assess
    expect(bucket).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('denies every request to the articles bucket and its objects that does not use TLS', () => {
    // Act
    const policy = resource('ArticlesBucketPolicy').Properties;
    // Assess
    expect(policy.Bucket).toEqual({ Ref: 'ArticlesBucket' });
    expect((policy.PolicyDocument as PolicyDocument).Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [{ 'Fn::GetAtt': ['ArticlesBucket', 'Arn'] }, { 'Fn::Sub': '${ArticlesBucket.Arn}/*' }],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('encrypts the notification topics with the SNS key and the dead-letter queues with SQS-managed keys', () => {
    // Act
    const topicKeys = ['SuccessTopic', 'ErrorTopic'].map((id) => resource(id).Properties.KmsMasterKeyId);
    const queueEncryption = resourcesOfType('AWS::SQS::Queue').map(([, queue]) => queue.Properties.SqsManagedSseEnabled);
    // Assess
    expect(topicKeys).toEqual(['alias/aws/sns', 'alias/aws/sns']);
    expect(queueEncryption).toEqual([true, true]);
  });

  it('leaves the alerts topic on no AWS-managed key, so CloudWatch alarms can publish to it', () => {
    // Act
    const alerts = resource('AlertsTopic').Properties;
    // Assess
    expect(alerts).not.toHaveProperty('KmsMasterKeyId');
  });
});

describe('IAM', () => {
  it('walks the inline policies of exactly the four roles this service defines', () => {
    // Act
    const owners = new Set(policyStatements().map(({ owner }) => owner));
    // Assess
    expect(owners).toEqual(new Set(['SageMakerExecutionRole', 'SubmitArticleRole', 'RecordResultRole', 'ReconcileRole']));
    expect(template.Resources).not.toHaveProperty('IamRoleLambdaExecution');
  });

  it('allows no wildcard action', () => {
    // Act
    const wildcards = allowStatements().flatMap(({ owner, statement }) =>
      asList(statement.Action)
        .filter((action) => action.includes('*'))
        .map((action) => `${owner} ${action}`),
    );
    // Assess
    expect(wildcards).toEqual([]);
  });

  it('allows Resource "*" only for the actions IAM cannot scope to a resource', () => {
    // Act
    const unscoped = allowStatements()
      .filter(({ statement }) => asList(statement.Resource).includes('*'))
      .flatMap(({ owner, statement }) => asList(statement.Action).map((action) => `${owner} ${action}`));
    // Assess
    expect(unscoped.sort()).toEqual([
      'SageMakerExecutionRole cloudwatch:PutMetricData',
      'SageMakerExecutionRole ecr:GetAuthorizationToken',
    ]);
  });

  it('limits the endpoint metrics permission to the SageMaker endpoint namespace', () => {
    // Act
    const putMetricData = allowStatements().find(({ statement }) => asList(statement.Action).includes('cloudwatch:PutMetricData'));
    // Assess
    expect(putMetricData?.statement.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/Endpoints' } });
  });

  it('attaches no managed policy to any role', () => {
    // Act
    const withManagedPolicies = resourcesOfType('AWS::IAM::Role').filter(([, role]) => 'ManagedPolicyArns' in role.Properties);
    // Assess
    expect(withManagedPolicies).toEqual([]);
  });

  it('runs each function with its own role', () => {
    // Act
    const roles = ['SubmitArticle', 'RecordResult', 'Reconcile'].map((name) => resource(`${name}LambdaFunction`).Properties.Role);
    // Assess
    expect(roles).toEqual([
      { 'Fn::GetAtt': ['SubmitArticleRole', 'Arn'] },
      { 'Fn::GetAtt': ['RecordResultRole', 'Arn'] },
      { 'Fn::GetAtt': ['ReconcileRole', 'Arn'] },
    ]);
  });

  it.each([
    ['SubmitArticleRole', 's3:GetObject', ['input/*']],
    ['SubmitArticleRole', 's3:PutObject', ['requests/*', 'extracted/*']],
    // An article's pending event is marked on its ledger row (core/article-events.ts): no function writes
    // events/pending/ any more; reconcile lists and deletes what an earlier version left there.
    ['SubmitArticleRole', 's3:DeleteObject', []],
    ['SageMakerExecutionRole', 's3:GetObject', ['requests/*']],
    ['SageMakerExecutionRole', 's3:PutObject', ['outputs/*', 'failures/*']],
    ['RecordResultRole', 's3:GetObject', ['outputs/*', 'failures/*']],
    ['ReconcileRole', 's3:GetObject', ['outputs/*', 'failures/*']],
    ['RecordResultRole', 's3:PutObject', ['requests/*', 'summaries/*']],
    ['ReconcileRole', 's3:PutObject', ['requests/*', 'summaries/*']],
    ['RecordResultRole', 's3:DeleteObject', []],
    ['ReconcileRole', 's3:DeleteObject', ['events/pending/*']],
  ])('lets %s use %s on exactly the object prefixes %j', (owner, action, prefixes) => {
    // Prepare
    const bucket = owner === 'SageMakerExecutionRole' ? '${ArticlesBucket}' : bucketName;
    // Act
    const granted = allowStatements()
      .filter((candidate) => candidate.owner === owner && asList(candidate.statement.Action).includes(action))
      .flatMap(({ statement }) => asList(statement.Resource));
    // Assess
    const arns = (list: unknown[]) => list.map((arn) => JSON.stringify(arn)).sort();
    expect(arns(granted)).toEqual(arns(prefixes.map((prefix) => ({ 'Fn::Sub': `arn:${'${AWS::Partition}'}:s3:::${bucket}/${prefix}` }))));
  });

  // Without s3:ListBucket S3 answers a GET of a missing key with 403 AccessDenied, not 404 NoSuchKey
  // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, Permissions).
  it.each([
    ['SubmitArticleRole', ['input/*']],
    ['RecordResultRole', ['outputs/*', 'failures/*']],
    ['ReconcileRole', ['outputs/*', 'failures/*', 'events/pending/*']],
  ])('lets %s list the articles bucket only under the prefixes it reads, %j, so a missing object answers 404', (owner, prefixes) => {
    // Act
    const listing = allowStatements()
      .filter((candidate) => candidate.owner === owner && asList(candidate.statement.Action).includes('s3:ListBucket'))
      .map(({ statement }) => statement);
    // Assess
    expect(listing).toEqual([
      expect.objectContaining({
        Action: 's3:ListBucket',
        Resource: { 'Fn::Sub': `arn:${'${AWS::Partition}'}:s3:::${bucketName}` },
        Condition: { StringLike: { 's3:prefix': prefixes } },
      }),
    ]);
  });

  it("lets submitArticle, recordResult and reconcile (reduce steps of long articles) queue requests on this stack's endpoint only", () => {
    const queueing = allowStatements().filter(({ statement }) => asList(statement.Action).includes('sagemaker:InvokeEndpointAsync'));

    expect(queueing.map(({ owner }) => owner).sort()).toEqual(['ReconcileRole', 'RecordResultRole', 'SubmitArticleRole']);
    for (const { statement } of queueing) {
      expect(statement.Resource).toEqual({
        'Fn::Sub': 'arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/research-summarizer-dev',
      });
    }
  });

  it('names the articles bucket with the same expression wherever an ARN cannot reference it', () => {
    // Act
    // (${ObjectPath} is the model artifact of modelDataUrl, in a bucket of its own.)
    const literalBucketArns =
      JSON.stringify(template).match(/arn:\$\{AWS::Partition\}:s3:::(?!\$\{ArticlesBucket|\$\{ObjectPath)[^"]*/g) ?? [];
    // Assess
    expect(literalBucketArns.length).toBeGreaterThan(0);
    for (const arn of literalBucketArns)
      expect(arn).toMatch(/^arn:\$\{AWS::Partition\}:s3:::\$\{AWS::StackName\}-\$\{AWS::AccountId\}-\$\{AWS::Region\}(\/|$)/);
  });

  it('lets only the SageMaker execution role publish to the success and error topics', () => {
    // Prepare
    const topics = [{ Ref: 'SuccessTopic' }, { Ref: 'ErrorTopic' }];
    const role = { 'Fn::GetAtt': ['SageMakerExecutionRole', 'Arn'] };
    // Act
    const policy = resource('SnsTopicPolicy').Properties;
    // Assess
    expect(policy.Topics).toEqual(topics);
    expect((policy.PolicyDocument as PolicyDocument).Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { AWS: role }, Action: 'sns:Publish', Resource: topics }),
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: topics,
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': role } },
      }),
    ]);
  });
});

describe('stage parameters at their defaults (a dev stage; test/template/stage-parameters.test.ts packages the others)', () => {
  it('lets `serverless remove` delete the ledger and the bucket (retainData=off)', () => {
    // Act
    const [table, bucket, bucketPolicy] = ['LedgerTable', 'ArticlesBucket', 'ArticlesBucketPolicy'].map(resource);
    // Assess
    expect([table?.DeletionPolicy, table?.UpdateReplacePolicy, table?.Properties.DeletionProtectionEnabled]).toEqual([
      'Delete',
      'Delete',
      false,
    ]);
    expect([bucket?.DeletionPolicy, bucket?.UpdateReplacePolicy, bucketPolicy?.DeletionPolicy]).toEqual(['Delete', 'Delete', 'Delete']);
  });

  it('parses no source map at cold start (sourceMaps=off) and reserves 50 submitArticle invocations and one reconcile run', () => {
    // Act
    const functions = resourcesOfType('AWS::Lambda::Function').map(
      ([id, fn]) => [id, chooseBranches(fn.Properties, template.Conditions)] as [string, Record<string, unknown>],
    );
    // Assess
    for (const [, properties] of functions)
      expect((properties.Environment as { Variables: object }).Variables).not.toHaveProperty('NODE_OPTIONS');
    expect(Object.fromEntries(functions.map(([id, properties]) => [id, properties.ReservedConcurrentExecutions]))).toEqual({
      SubmitArticleLambdaFunction: 50,
      RecordResultLambdaFunction: undefined,
      ReconcileLambdaFunction: 1,
    });
  });

  it("keeps the endpoint's logs 30 days in a log group the stack owns, created before the endpoint", () => {
    // Act
    const group = resource('EndpointLogGroup');
    const logs = allowStatements().find(
      ({ statement }) => asList(statement.Action).includes('logs:PutLogEvents') && statement.Sid === 'WriteEndpointLogs',
    );
    // Assess
    expect(group.Properties).toEqual({ LogGroupName: '/aws/sagemaker/Endpoints/research-summarizer-dev', RetentionInDays: 30 });
    expect(asList(resource('Endpoint').DependsOn)).toContain('EndpointLogGroup');
    expect(logs?.statement.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/sagemaker/Endpoints/research-summarizer-dev*',
    });
  });
});

describe('every partition (aws, aws-cn, aws-us-gov)', () => {
  // IAM in China and GovCloud refuses ARNs of the aws partition, so every ARN takes ${AWS::Partition}.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
  it('writes no literal partition anywhere in the packaged template, generated resources included', () => {
    // Act: every string, Fn::Sub text and Fn::Join result, with the path where it is.
    const literal = templateStrings(template).filter(({ text }) => /arn:aws(-[a-z-]+)?:/.test(text));
    // Assess
    expect(literal).toEqual([]);
  });

  it('names service hosts with ${AWS::URLSuffix}, and service principals in the form every partition accepts', () => {
    // Act
    const hosts = templateStrings(template).filter(({ text }) => /amazonaws\.com/.test(text));
    const principals = hosts.filter(({ at }) => /(\.Principal\.Service|\.Principal)$/.test(at));
    // Assess: amazonaws.com appears only as service principals, which are "<service>.amazonaws.com" in
    // aws-cn too (lambda.amazonaws.com.cn is refused there: aws/aws-cdk#2198).
    expect(hosts).toEqual(principals);
    expect([...new Set(principals.map(({ text }) => text))].sort()).toEqual([
      'events.amazonaws.com',
      'lambda.amazonaws.com',
      's3.amazonaws.com',
      'sagemaker.amazonaws.com',
      'sns.amazonaws.com',
    ]);
  });
});

describe('template integrity', () => {
  it('refers only to resources it declares and to pseudo parameters', () => {
    // Act
    const unknown = references(template).filter((name) => !(name in template.Resources) && !name.startsWith('AWS::'));
    // Assess
    expect(unknown).toEqual([]);
  });

  it('has no circular dependency between resources', () => {
    // Prepare
    const finished = new Set<string>();
    const cycles: string[] = [];
    const visit = (id: string, trail: string[]): void => {
      if (trail.includes(id)) cycles.push([...trail.slice(trail.indexOf(id)), id].join(' -> '));
      if (finished.has(id) || trail.includes(id)) return;
      for (const next of dependencies(id)) visit(next, [...trail, id]);
      finished.add(id);
    };
    // Act
    for (const id of Object.keys(template.Resources)) visit(id, []);
    // Assess
    expect(cycles).toEqual([]);
  });

  it('leaves no serverless variable unresolved', () => {
    // Act
    const unresolved = JSON.stringify(template).match(/\$\{(aws|ssm|cf|self|param|sls|opt|env|file)[:(][^}]*\}/g);
    // Assess
    expect(unresolved).toBeNull();
  });

  // nodejs22.x is deprecated on 2027-04-30 (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).
  it('runs every function on nodejs24.x and arm64', () => {
    // Act
    const functions = resourcesOfType('AWS::Lambda::Function').map(([, fn]) => [fn.Properties.Runtime, fn.Properties.Architectures]);
    // Assess
    expect(functions).toEqual([
      ['nodejs24.x', ['arm64']],
      ['nodejs24.x', ['arm64']],
      ['nodejs24.x', ['arm64']],
    ]);
  });

  it('bundles for Node 20, which the local cloud runs the same bundles on (test/local proves they run)', async () => {
    // Act: the service as `serverless package` resolved it.
    const state = JSON.parse(await readFile(path.join(projectRoot, '.serverless', 'serverless-state.json'), 'utf8')) as {
      service: { custom: { esbuild: { target: string } } };
    };
    // Assess
    expect(state.service.custom.esbuild.target).toBe('node20');
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(20);
  });
});

describe('monitoring', () => {
  it.each([
    ['OldestRequestAgeAlarm', 'AWS/SageMaker', 'ApproximateAgeOfOldestRequest', 'Maximum'],
    ['InvocationFailuresAlarm', 'AWS/SageMaker', 'InvocationFailures', 'Sum'],
    ['NotificationFailuresAlarm', 'AWS/SageMaker', 'NotificationFailures', 'Sum'],
    ['SubmitArticleDeadLetterAlarm', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum'],
    ['RecordResultDeadLetterAlarm', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum'],
    ['ReconcileErrorsAlarm', 'AWS/Lambda', 'Errors', 'Sum'],
  ])('%s watches %s %s (%s) and notifies the alerts topic', (id, namespace, metric, statistic) => {
    // Act
    const alarm = resource(id).Properties;
    // Assess
    expect(alarm).toMatchObject({
      Namespace: namespace,
      MetricName: metric,
      Statistic: statistic,
      AlarmActions: [{ Ref: 'AlertsTopic' }],
      OKActions: [{ Ref: 'AlertsTopic' }],
    });
  });

  it('alarms on any failed reconcile run: it has no retry and no dead-letter queue to show it', () => {
    // Act
    const alarm = resource('ReconcileErrorsAlarm').Properties;
    // Assess
    expect(alarm).toMatchObject({
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'ReconcileLambdaFunction' } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when the oldest request is older than 1800 s', () => {
    // Act
    const alarm = resource('OldestRequestAgeAlarm').Properties;
    // Assess
    expect(alarm).toMatchObject({ Threshold: 1800, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('charts the async-inference, dead-letter and function-error metrics on one dashboard', () => {
    // Prepare
    const body = resource('Dashboard').Properties.DashboardBody as { 'Fn::Sub': string };
    // Act
    const widgets = (JSON.parse(body['Fn::Sub']) as { widgets: { properties: { metrics: string[][] } }[] }).widgets;
    const charted = widgets.flatMap((widget) => widget.properties.metrics.map((metric) => metric.join(' ')));
    // Assess
    expect(resource('Dashboard').Properties.DashboardName).toBe('research-summarizer-dev');
    expect(charted.map((metric) => metric.split(' ')[1])).toEqual(
      expect.arrayContaining([
        'ApproximateBacklogSize',
        'ApproximateBacklogSizePerInstance',
        'ApproximateAgeOfOldestRequest',
        'HasBacklogWithoutCapacity',
        'InvocationsProcessed',
        'InvocationsProcesssed',
        'InvocationFailures',
        'TotalProcessingTime',
        'TimeInBacklog',
        'NotificationFailures',
      ]),
    );
    expect(charted).toEqual(
      expect.arrayContaining([
        'AWS/SQS ApproximateNumberOfMessagesVisible QueueName ${SubmitArticleDeadLetterQueue.QueueName}',
        'AWS/SQS ApproximateNumberOfMessagesVisible QueueName ${RecordResultDeadLetterQueue.QueueName}',
        'AWS/Lambda Errors FunctionName ${SubmitArticleLambdaFunction}',
        'AWS/Lambda Errors FunctionName ${RecordResultLambdaFunction}',
        'AWS/Lambda Errors FunctionName ${ReconcileLambdaFunction}',
      ]),
    );
  });
});

describe('reconcile', () => {
  it('runs every 15 minutes and may only query QUEUED rows, scan the rows whose event is pending, read and update them, read outcomes and carry long articles on', () => {
    // Act
    const rules = resourcesOfType('AWS::Events::Rule').map(([, rule]) => rule.Properties);
    const actions = allowStatements()
      .filter(({ owner }) => owner === 'ReconcileRole')
      .flatMap(({ statement }) => asList(statement.Action));
    // Assess
    expect(rules).toEqual([expect.objectContaining({ ScheduleExpression: 'rate(15 minutes)', State: 'ENABLED' })]);
    // One run at a time: a run that outlasts the rate waits instead of overlapping the next.
    expect(resource('ReconcileLambdaFunction').Properties.ReservedConcurrentExecutions).toBe(1);
    expect(actions.sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:UpdateItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:AbortMultipartUpload',
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      'sagemaker:InvokeEndpointAsync',
      'sns:Publish',
    ]);
  });
});

describe('article events (one message per finished article)', () => {
  it('declares the ArticleEventsTopic, encrypted, and outputs its ARN', () => {
    // Act
    const topic = resource('ArticleEventsTopic');
    // Assess
    expect(topic.Type).toBe('AWS::SNS::Topic');
    expect(topic.Properties).toEqual({ TopicName: 'research-summarizer-dev-article-events', KmsMasterKeyId: 'alias/aws/sns' });
    expect(template.Outputs.ArticleEventsTopicArn?.Value).toEqual({ Ref: 'ArticleEventsTopic' });
  });

  it('subscribes the notifyEmail address only when one is set (a Condition on an empty parameter)', () => {
    // Act
    const subscription = resource('ArticleEventsEmailSubscription');
    // Assess: the default notifyEmail is '', so the condition compares '' with '' and is false.
    expect(subscription).toMatchObject({
      Type: 'AWS::SNS::Subscription',
      Condition: 'NotifyEmailSet',
      Properties: { TopicArn: { Ref: 'ArticleEventsTopic' }, Protocol: 'email', Endpoint: '' },
    });
    expect(template.Conditions?.NotifyEmailSet).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });

  it('lets exactly the three functions that end articles publish, to that topic only', () => {
    // Act
    // (SageMaker's execution role publishes the endpoint's own notifications, to SuccessTopic and ErrorTopic.)
    const publishing = allowStatements().filter(
      ({ owner, statement }) => owner !== 'SageMakerExecutionRole' && asList(statement.Action).some((action) => action.startsWith('sns:')),
    );
    // Assess
    expect(publishing.map(({ owner }) => owner).sort()).toEqual(['ReconcileRole', 'RecordResultRole', 'SubmitArticleRole']);
    for (const { statement } of publishing) {
      expect(asList(statement.Action)).toEqual(['sns:Publish']);
      expect(statement.Resource).toEqual({ Ref: 'ArticleEventsTopic' });
    }
    const toEvents = allowStatements().filter(({ statement }) => JSON.stringify(statement.Resource).includes('"ArticleEventsTopic"'));
    expect(toEvents.map(({ owner }) => owner).sort()).toEqual(['ReconcileRole', 'RecordResultRole', 'SubmitArticleRole']);
  });

  it('indexes the rows whose event is pending, keys only, and lets only reconcile scan them, through that index alone', () => {
    // Act
    const indexes = resource('LedgerTable').Properties.GlobalSecondaryIndexes as unknown[];
    const pending = chooseBranches(indexes, template.Conditions as Record<string, unknown>) as { IndexName: string }[];
    const scans = allowStatements().filter(({ statement }) => asList(statement.Action).includes('dynamodb:Scan'));
    // Assess
    expect(pending.find((index) => index.IndexName === 'byPendingEvent')).toEqual({
      IndexName: 'byPendingEvent',
      KeySchema: [{ AttributeName: 'eventPendingSince', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
    expect(scans.map(({ owner, statement }) => [owner, statement.Resource])).toEqual([
      ['ReconcileRole', { 'Fn::Sub': '${LedgerTable.Arn}/index/byPendingEvent' }],
    ]);
  });

  it('gives every function the topic ARN and the pending events prefix', () => {
    // Act
    const environments = ['SubmitArticle', 'RecordResult', 'Reconcile'].map(
      (name) => (resource(`${name}LambdaFunction`).Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    );
    // Assess
    for (const variables of environments) {
      expect(variables).toMatchObject({ ARTICLE_EVENTS_TOPIC_ARN: { Ref: 'ArticleEventsTopic' }, EVENTS_PREFIX: 'events/' });
    }
  });
});

describe('stack outputs', () => {
  it('tell an operator where to upload and where to look', () => {
    // Act
    const outputs = Object.keys(template.Outputs);
    // Assess
    expect(outputs).toEqual(
      expect.arrayContaining([
        'BucketName',
        'InputPrefix',
        'LedgerTableName',
        'EndpointName',
        'SuccessTopicArn',
        'ErrorTopicArn',
        'AlertsTopicArn',
        'DashboardUrl',
        'SubmitArticleDeadLetterQueueUrl',
        'RecordResultDeadLetterQueueUrl',
      ]),
    );
    expect(template.Outputs.InputPrefix?.Value).toBe('input/');
    expect(template.Outputs.DashboardUrl?.Value).toEqual({
      'Fn::Sub': [
        'https://${ConsoleHost}/cloudwatch/home?region=${AWS::Region}#dashboards:name=${Dashboard}',
        { ConsoleHost: { 'Fn::FindInMap': ['ConsoleHosts', { Ref: 'AWS::Partition' }, 'host'] } },
      ],
    });
    expect(template.Mappings?.ConsoleHosts).toEqual({
      aws: { host: 'console.aws.amazon.com' },
      'aws-cn': { host: 'console.amazonaws.cn' },
      'aws-us-gov': { host: 'console.amazonaws-us-gov.com' },
    });
  });
});
