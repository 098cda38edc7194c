import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStackResourcesCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { loadDeployGuard, stackDoesNotExist } from '../support/deploy-guards';
type Hook = () => Promise<void>;
const EndpointUpdateGuard = loadDeployGuard('endpoint-update-guard.js');
const { refusalFor } = EndpointUpdateGuard;

// SageMaker refuses to change the instance type of a variant registered with Application Auto
// Scaling (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-delete.html): an
// AWS-only answer, so the deployed stack is mocked.
const withInstanceType = (instanceType: string) => ({
  Resources: {
    EndpointConfig: {
      Type: 'AWS::SageMaker::EndpointConfig',
      Properties: { ProductionVariants: [{ VariantName: 'AllTraffic', InstanceType: instanceType }] },
    },
  },
});
const scalableTarget = {
  ResourceType: 'AWS::ApplicationAutoScaling::ScalableTarget',
  LogicalResourceId: 'EndpointScalableTarget',
  Timestamp: new Date(),
  ResourceStatus: 'UPDATE_COMPLETE' as const,
};

describe('serverless deploy with a new instanceType on an autoscaled endpoint', () => {
  const cfn = mockClient(CloudFormationClient);
  afterEach(() => cfn.reset());
  afterAll(() => cfn.restore());
  const check = (instanceType: string) =>
    refusalFor({
      cloudFormation: new CloudFormationClient({ region: 'eu-west-1' }),
      stackName: 'research-summarizer-qa',
      newTemplate: withInstanceType(instanceType),
      stage: 'qa',
      region: 'eu-west-1',
    });

  it('stops before CloudFormation with the two deploys that do it', async () => {
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(withInstanceType('ml.m5.xlarge')) });
    cfn.on(DescribeStackResourcesCommand).resolves({ StackResources: [scalableTarget] });

    await expect(check('ml.c5.2xlarge')).resolves.toBe(
      'instanceType ml.m5.xlarge -> ml.c5.2xlarge: SageMaker refuses to change the instance type of an endpoint variant registered with autoscaling, ' +
        'and CloudFormation would deregister it only after updating the endpoint. Deploy in two steps: ' +
        '1) npx serverless deploy --stage qa --region eu-west-1 --param="autoscaling=off" (removes the scalable target; the endpoint keeps ml.m5.xlarge and its instance count), ' +
        '2) npx serverless deploy --stage qa --region eu-west-1 --param="instanceType=ml.c5.2xlarge" (updates the endpoint, then registers the target again).',
    );
  });

  it('fails `serverless deploy` before the stack update, as a plugin hooked on before:deploy:deploy', async () => {
    // Prepare: the framework's own CloudFormation client, stack name and compiled template.
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(withInstanceType('ml.m5.xlarge')) });
    cfn.on(DescribeStackResourcesCommand).resolves({ StackResources: [scalableTarget] });
    class ServerlessError extends Error {}
    const provider = {
      getCloudFormationClient: async () => new CloudFormationClient({ region: 'eu-west-1' }),
      naming: { getStackName: () => 'research-summarizer-qa' },
      getStage: () => 'qa',
      getRegion: () => 'eu-west-1',
    };
    const serverless = {
      getProvider: () => provider,
      service: { provider: { compiledCloudFormationTemplate: withInstanceType('ml.c5.2xlarge') } },
      classes: { Error: ServerlessError },
    };
    // Act
    const hook = new EndpointUpdateGuard(serverless, {}).hooks['before:deploy:deploy'] as Hook;
    // Assess
    await expect(hook()).rejects.toBeInstanceOf(ServerlessError);
    await expect(hook()).rejects.toThrow(/^instanceType ml\.m5\.xlarge -> ml\.c5\.2xlarge: /);
  });

  it('lets the second step through: no scalable target is deployed', async () => {
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(withInstanceType('ml.m5.xlarge')) });
    cfn.on(DescribeStackResourcesCommand).resolves({ StackResources: [] });

    await expect(check('ml.c5.2xlarge')).resolves.toBeUndefined();
  });

  it('lets a deploy with the same instance type through without looking at the resources', async () => {
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(withInstanceType('ml.m5.xlarge')) });

    await expect(check('ml.m5.xlarge')).resolves.toBeUndefined();
    expect(cfn.commandCalls(DescribeStackResourcesCommand)).toHaveLength(0);
  });

  it('lets the first deploy through', async () => {
    cfn.on(GetTemplateCommand).rejects(stackDoesNotExist());

    await expect(check('ml.m5.xlarge')).resolves.toBeUndefined();
  });

  it('passes on any other CloudFormation error', async () => {
    cfn
      .on(GetTemplateCommand)
      .rejects(new CloudFormationServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'not allowed' }));

    await expect(check('ml.m5.xlarge')).rejects.toThrow('not allowed');
  });
});
