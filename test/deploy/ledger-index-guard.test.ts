import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { loadDeployGuard, stackDoesNotExist } from '../support/deploy-guards';

type Hook = () => Promise<void>;
type Template = Record<string, unknown>;
const LedgerIndexGuard = loadDeployGuard('ledger-index-guard.js');
const { refusalFor } = LedgerIndexGuard;

// DynamoDB builds one global secondary index per UpdateTable call
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html): an AWS-only
// answer (dynalite does not enforce it), so the deployed stack is mocked.
const index = (name: string) => ({
  IndexName: name,
  KeySchema: [{ AttributeName: name, KeyType: 'HASH' }],
  Projection: { ProjectionType: 'ALL' },
});
const table = (names: string[], batchIndex?: 'on' | 'off'): Template => ({
  ...(batchIndex ? { Conditions: { BatchIndexOn: { 'Fn::Equals': [batchIndex, 'on'] } } } : {}),
  Resources: {
    LedgerTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        GlobalSecondaryIndexes: [
          ...names.map(index),
          ...(batchIndex ? [{ 'Fn::If': ['BatchIndexOn', index('byBatch'), { Ref: 'AWS::NoValue' }] }] : []),
        ],
      },
    },
  },
});

describe('serverless deploy that changes the ledger table indexes', () => {
  const cfn = mockClient(CloudFormationClient);
  afterEach(() => cfn.reset());
  afterAll(() => cfn.restore());
  const check = (deployed: Template | 'none', next: Template) => {
    if (deployed === 'none') {
      cfn.on(GetTemplateCommand).rejects(stackDoesNotExist());
    } else {
      cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(deployed) });
    }
    return refusalFor({
      cloudFormation: new CloudFormationClient({ region: 'eu-west-1' }),
      stackName: 'research-summarizer-qa',
      newTemplate: next,
      stage: 'qa',
      region: 'eu-west-1',
    });
  };

  it('stops an upgrade that adds two indexes at once, with the two deploys that add one each', async () => {
    await expect(check(table(['byState', 'byDay']), table(['byState', 'byDay', 'byPublishedDay'], 'on'))).resolves.toBe(
      "The ledger table's indexes: this deploy adds byPublishedDay, adds byBatch, and DynamoDB creates one global secondary index per table update, " +
        'so CloudFormation would fail and roll back. Deploy in two steps: ' +
        '1) npx serverless deploy --stage qa --region eu-west-1 --param="batchIndex=off" (adds byPublishedDay), ' +
        '2) npx serverless deploy --stage qa --region eu-west-1 (adds byBatch).',
    );
  });

  it('lets each of those two steps through, and a fresh stack create every index', async () => {
    await expect(check(table(['byState', 'byDay']), table(['byState', 'byDay', 'byPublishedDay'], 'off'))).resolves.toBeUndefined();
    await expect(
      check(table(['byState', 'byDay', 'byPublishedDay'], 'off'), table(['byState', 'byDay', 'byPublishedDay'], 'on')),
    ).resolves.toBeUndefined();
    await expect(check(table(['byState', 'byDay']), table(['byState', 'byDay'], 'on'))).resolves.toBeUndefined();
    await expect(check('none', table(['byState', 'byDay', 'byPublishedDay'], 'on'))).resolves.toBeUndefined();
  });

  it('refuses any other change of two indexes without a switch to split it', async () => {
    await expect(check(table(['byState', 'byDay']), table(['byState', 'byMonth', 'byYear']))).resolves.toMatch(
      /^The ledger table's indexes: this deploy adds byMonth, adds byYear, removes byDay, .* Deploy a template that changes one index at a time\.$/,
    );
  });

  it('fails `serverless deploy` before the stack update, as a plugin hooked on before:deploy:deploy', async () => {
    // Prepare: the framework's own CloudFormation client, stack name and compiled template.
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(table(['byState', 'byDay'])) });
    class ServerlessError extends Error {}
    const provider = {
      getCloudFormationClient: async () => new CloudFormationClient({ region: 'eu-west-1' }),
      naming: { getStackName: () => 'research-summarizer-qa' },
      getStage: () => 'qa',
      getRegion: () => 'eu-west-1',
    };
    const serverless = {
      getProvider: () => provider,
      service: { provider: { compiledCloudFormationTemplate: table(['byState', 'byDay', 'byPublishedDay'], 'on') } },
      classes: { Error: ServerlessError },
    };
    // Act
    const hook = new LedgerIndexGuard(serverless, {}).hooks['before:deploy:deploy'] as Hook;
    // Assess
    await expect(hook()).rejects.toBeInstanceOf(ServerlessError);
  });
});
