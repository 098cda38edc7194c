import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeServerless, loadDeployGuard, stackDoesNotExist, testClients } from '../support/deploy-guards';

type Hook = () => Promise<void>;
type Template = { Resources: Record<string, unknown> };
const EndpointLogGroupGuard = loadDeployGuard('endpoint-log-group-guard.js');
const { refusalFor } = EndpointLogGroupGuard;

// Whether SageMaker already created /aws/sagemaker/Endpoints/<endpoint> is an AWS-only answer, so
// CloudWatch Logs and the deployed stack are mocked.
const GROUP = '/aws/sagemaker/Endpoints/research-summarizer-dev';
const packaged = (): Template =>
  JSON.parse(
    readFileSync(path.join(__dirname, '..', '..', '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
/** The stack as deployed before it declared the endpoint's log group. */
const withoutLogGroup = (): Template => {
  const template = packaged();
  delete template.Resources.EndpointLogGroup;
  return template;
};

describe("serverless deploy that creates the endpoint's log group", () => {
  const cfn = mockClient(CloudFormationClient);
  const logs = mockClient(CloudWatchLogsClient);
  afterEach(() => {
    cfn.reset();
    logs.reset();
  });
  afterAll(() => {
    cfn.restore();
    logs.restore();
  });
  const check = (deployed: Template | 'none', groups: string[]) => {
    if (deployed === 'none') cfn.on(GetTemplateCommand).rejects(stackDoesNotExist());
    else cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(deployed) });
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: groups.map((logGroupName) => ({ logGroupName })) });
    return refusalFor({
      cloudFormation: new CloudFormationClient({ region: 'eu-west-1' }),
      client: testClients,
      stackName: 'research-summarizer-dev',
      newTemplate: packaged(),
      stage: 'dev',
      region: 'eu-west-1',
    });
  };

  it("refuses while SageMaker's own group of that name exists, saying how to delete it safely", async () => {
    await expect(check(withoutLogGroup(), [GROUP])).resolves.toBe(
      `The endpoint's log group ${GROUP} already exists outside the stack (SageMaker created it), and this deploy would create it with a ` +
        'retention period, which CloudFormation cannot do while it exists. Delete it (its logs go with it) while the endpoint has no ' +
        'instance, so that nothing creates it again before the deploy does, then deploy again: aws sagemaker describe-endpoint ' +
        '--endpoint-name research-summarizer-dev --region eu-west-1 --query "ProductionVariants[].CurrentInstanceCount" (0, or no ' +
        `endpoint), then aws logs delete-log-group --log-group-name ${GROUP} --region eu-west-1.`,
    );
    expect(logs.commandCalls(DescribeLogGroupsCommand)[0]?.args[0].input).toEqual({ logGroupNamePrefix: GROUP });
  });

  it('refuses on a first deploy too, when a removed stage left the group behind', async () => {
    await expect(check('none', [GROUP])).resolves.toMatch(/^The endpoint's log group .* already exists outside the stack/);
  });

  it('lets the deploy create it when no group of that name exists (a longer name with it as prefix does not count)', async () => {
    await expect(check(withoutLogGroup(), [`${GROUP}-old`])).resolves.toBeUndefined();
    await expect(check('none', [])).resolves.toBeUndefined();
  });

  it('asks CloudWatch Logs nothing once the stack owns the group', async () => {
    await expect(check(packaged(), [GROUP])).resolves.toBeUndefined();
    expect(logs.commandCalls(DescribeLogGroupsCommand)).toHaveLength(0);
  });

  it('fails `serverless deploy` before the stack update, as a plugin hooked on before:deploy:deploy', async () => {
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(withoutLogGroup()) });
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: GROUP }] });
    const { serverless, ServerlessError } = fakeServerless(packaged());

    const hook = new EndpointLogGroupGuard(serverless, {}).hooks['before:deploy:deploy'] as Hook;

    await expect(hook()).rejects.toBeInstanceOf(ServerlessError);
  });
});
