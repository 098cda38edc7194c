import { CloudFormationClient, CloudFormationServiceException, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { resolveTarget } from '../../cli/target';

// Error paths of `--aws` that no local part can produce: no stack, no function, no credentials.
describe('commands with --aws, when AWS says no', () => {
  const cfn = mockClient(CloudFormationClient);
  const lambda = mockClient(LambdaClient);
  afterEach(() => {
    cfn.reset();
    lambda.reset();
  });
  afterAll(() => {
    cfn.restore();
    lambda.restore();
  });
  const aws = () => resolveTarget({ aws: true, stage: 'qa', region: 'eu-west-1', stateDir: '/nonexistent', projectRoot: '/nonexistent' });

  it('says to deploy the stack when it does not exist', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: 'ValidationError',
        $fault: 'client',
        $metadata: {},
        message: 'Stack with id research-summarizer-qa does not exist',
      }),
    );

    await expect(aws()).rejects.toThrow(
      'stack research-summarizer-qa not found: deploy stack research-summarizer-qa first (npx serverless deploy), or pass the --stage and --region it was deployed with',
    );
  });

  it('says to configure credentials when there are none', async () => {
    const missing = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    cfn.on(DescribeStacksCommand).rejects(missing);

    await expect(aws()).rejects.toThrow('no AWS credentials for --aws: configure them (aws configure, AWS_PROFILE or AWS_ACCESS_KEY_ID)');
  });

  it('names the submit function when the stack has outputs but the function is gone', async () => {
    const outputs = { BucketName: 'b', InputPrefix: 'input/', LedgerTableName: 't' };
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'research-summarizer-qa',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });
    lambda
      .on(GetFunctionConfigurationCommand)
      .rejects(new ResourceNotFoundException({ $metadata: {}, message: 'Function not found: research-summarizer-qa-submitArticle' }));

    const target = await aws();

    expect(target).toMatchObject({ bucket: 'b', inputPrefix: 'input/', table: 't', description: 'AWS stack research-summarizer-qa' });
    await expect(target.submitConfig()).rejects.toThrow(
      'function research-summarizer-qa-submitArticle not found: deploy stack research-summarizer-qa first',
    );
  });

  it('names a missing output instead of failing later', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'research-summarizer-qa', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [] }],
    });

    await expect(aws()).rejects.toThrow('stack research-summarizer-qa has no output BucketName: is it deployed with this version?');
  });
});
