import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, stackResolver, UnknownAttributeError } from '../../../local/template/cfn-intrinsics';
import { readStackConfig, stackConfigFrom, TEMPLATE_PATH } from '../../../local/template/stack-config';
import type { Template } from '../../../local/template/template-view';
import { idleAlarmOfTemplate, stepAlarmOfTemplate } from '../../support/template-alarms';

const projectRoot = join(__dirname, '..', '..', '..');

describe('the local cloud reads its configuration from the packaged template', () => {
  const config = readStackConfig({ projectRoot });

  it('names the bucket, table, topics and endpoint as CloudFormation would, with local account and region', () => {
    expect(config.stackName).toBe('research-summarizer-dev');
    expect(config.bucket).toBe('research-summarizer-dev-000000000000-us-east-1');
    expect(config.inputPrefix).toBe('input/');
    expect(config.table.TableName).toBe('research-summarizer-dev-LedgerTable');
    expect(config.topics).toEqual({
      SuccessTopic: 'arn:aws:sns:us-east-1:000000000000:research-summarizer-dev-success',
      ErrorTopic: 'arn:aws:sns:us-east-1:000000000000:research-summarizer-dev-error',
      AlertsTopic: 'arn:aws:sns:us-east-1:000000000000:research-summarizer-dev-alerts',
      ArticleEventsTopic: 'arn:aws:sns:us-east-1:000000000000:research-summarizer-dev-article-events',
    });
  });

  it('takes the async inference config and scaling policies from the endpoint resources', () => {
    expect(config.endpoint).toEqual({
      endpointName: 'research-summarizer-dev',
      variantName: 'AllTraffic',
      initialInstanceCount: 1,
      maxConcurrentInvocationsPerInstance: 2,
      s3OutputPath: 's3://research-summarizer-dev-000000000000-us-east-1/outputs',
      s3FailurePath: 's3://research-summarizer-dev-000000000000-us-east-1/failures',
      successTopicArn: config.topics.SuccessTopic,
      errorTopicArn: config.topics.ErrorTopic,
      includeInferenceResponseIn: ['SUCCESS_NOTIFICATION_TOPIC', 'ERROR_NOTIFICATION_TOPIC'],
    });
    expect(config.scaling).toEqual({
      minCapacity: 0,
      maxCapacity: 5,
      targetTracking: { targetValue: 5, scaleInCooldownS: 120, scaleOutCooldownS: 120 },
      stepScaling: {
        cooldownS: 600,
        adjustmentType: 'ChangeInCapacity',
        scalingAdjustment: 1,
        alarm: stepAlarmOfTemplate,
      },
      scaleInToZero: {
        cooldownS: 120,
        capacity: 0,
        alarm: idleAlarmOfTemplate,
      },
    });
  });

  it('wires the S3 notification, the SNS subscriptions and each function bundle with its resolved environment', () => {
    expect(config.notifications).toEqual([
      {
        bucket: config.bucket,
        functionLogicalId: 'SubmitArticleLambdaFunction',
        event: 's3:ObjectCreated:*',
        prefix: 'input/',
        suffix: '',
      },
    ]);
    expect(config.subscriptions).toEqual(
      expect.arrayContaining([
        { topicArn: config.topics.SuccessTopic, functionLogicalId: 'RecordResultLambdaFunction' },
        { topicArn: config.topics.ErrorTopic, functionLogicalId: 'RecordResultLambdaFunction' },
      ]),
    );
    expect(config.schedules).toEqual([
      { ruleName: 'ReconcileEventsRuleSchedule1', everyS: 900, functionLogicalId: 'ReconcileLambdaFunction' },
    ]);
    const submit = config.functions.SubmitArticleLambdaFunction;
    expect(submit).toMatchObject({
      name: 'research-summarizer-dev-submitArticle',
      bundle: join(projectRoot, '.esbuild', '.build', 'functions', 'submit-article', 'handler.js'),
      exportName: 'handler',
      timeoutS: 300,
      memorySizeMB: 2048,
      maximumRetryAttempts: 2,
      onFailureQueue: 'research-summarizer-dev-SubmitArticleDeadLetterQueue',
    });
    expect(submit?.environment).toMatchObject({
      LEDGER_TABLE: 'research-summarizer-dev-LedgerTable',
      ARTICLES_BUCKET: config.bucket,
      INPUT_PREFIX: 'input/',
      ENDPOINT_NAME: 'research-summarizer-dev',
    });
    // sourceMaps=off: the Fn::If gives AWS::NoValue, so the variable is not there at all.
    expect(submit?.environment).not.toHaveProperty('NODE_OPTIONS');
  });

  it("reads each function's MemorySize, and CloudFormation's 128 MB where the template sets none", () => {
    // Prepare: the packaged template with submit-article's MemorySize changed and record-result's removed.
    const template = JSON.parse(readFileSync(join(projectRoot, TEMPLATE_PATH), 'utf-8')) as Template;
    const propertiesOf = (id: string) => template.Resources[id]?.Properties ?? {};
    propertiesOf('SubmitArticleLambdaFunction').MemorySize = 1769;
    delete propertiesOf('RecordResultLambdaFunction').MemorySize;

    // Act
    const changed = stackConfigFrom(template, { projectRoot });

    // Assess
    expect(changed.functions.SubmitArticleLambdaFunction?.memorySizeMB).toBe(1769);
    expect(changed.functions.RecordResultLambdaFunction?.memorySizeMB).toBe(128);
  });
});

describe("Ref and Fn::GetAtt on the stack's resources", () => {
  const resources = {
    Articles: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'articles' } },
    Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
  };
  const resolver = stackResolver(resources, { stackName: 'stack', region: 'eu-west-1', accountId: '111122223333' });

  it('answers the attributes CloudFormation documents for a resource type', () => {
    expect(evaluate({ 'Fn::GetAtt': ['Articles', 'Arn'] }, resolver)).toBe('arn:aws:s3:::articles');
    expect(evaluate({ 'Fn::Sub': 'x/${Articles.Arn}' }, resolver)).toBe('x/arn:aws:s3:::articles');
    expect(evaluate({ Ref: 'Alerts' }, resolver)).toBe('arn:aws:sns:eu-west-1:111122223333:alerts');
  });

  it('refuses an attribute it does not know, naming the resource, its type and the attribute', () => {
    const getAtt = () => evaluate({ 'Fn::GetAtt': ['Articles', 'DualStackDomainName'] }, resolver);
    expect(getAtt).toThrow(UnknownAttributeError);
    expect(getAtt).toThrow('Fn::GetAtt Articles.DualStackDomainName');
    expect(getAtt).toThrow("AWS::S3::Bucket's DualStackDomainName");
    expect(() => evaluate({ 'Fn::Sub': '${Alerts.Nope}' }, resolver)).toThrow('Fn::GetAtt Alerts.Nope');
  });

  it('refuses a reference to a resource the template does not have', () => {
    expect(() => evaluate({ Ref: 'Missing' }, resolver)).toThrow('unknown Missing');
  });
});

describe('CloudFormation intrinsic functions', () => {
  const resolver = {
    ref: (id: string) => (id === 'AWS::Region' ? 'eu-west-1' : `ref-${id}`),
    getAtt: (id: string, a: string) => `${id}.${a}`,
  };

  it('evaluates Sub with variables, GetAtt attributes and escaped literals', () => {
    expect(evaluate({ 'Fn::Sub': ['${A}/${Thing.Arn}/${AWS::Region}/${!Literal}', { A: { Ref: 'X' } }] }, resolver)).toBe(
      'ref-X/Thing.Arn/eu-west-1/${Literal}',
    );
  });

  it('evaluates Join, Select and Split', () => {
    const image = '763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:2.1.0';
    expect(evaluate({ 'Fn::Select': [3, { 'Fn::Split': ['.', image] }] }, resolver)).toBe('us-east-1');
    expect(evaluate({ 'Fn::Join': ['-', ['a', { Ref: 'B' }]] }, resolver)).toBe('a-ref-B');
  });

  it('refuses an intrinsic it does not know rather than guessing', () => {
    expect(() => evaluate({ 'Fn::Transform': {} }, resolver)).toThrow('unsupported intrinsic Fn::Transform');
  });
});
