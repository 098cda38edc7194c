import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeServerless, loadDeployGuard, stackDoesNotExist, testClients } from '../support/deploy-guards';

type Hook = () => Promise<void>;
type Template = { Resources: Record<string, { Type: string; DeletionPolicy?: string; Properties: Record<string, unknown> }> };
const LedgerReplacementGuard = loadDeployGuard('ledger-replacement-guard.js');
const { refusalFor } = LedgerReplacementGuard;

// CloudFormation replaces a table whose TableName, KeySchema or LocalSecondaryIndexes change, or whose
// existing attribute definition is edited (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html):
// only a real stack update shows it, so the deployed stack is mocked.
const packaged = (): Template =>
  JSON.parse(
    readFileSync(path.join(__dirname, '..', '..', '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
const ledger = (template: Template) => template.Resources.LedgerTable as Template['Resources'][string];

describe('serverless deploy that would replace the ledger table', () => {
  const cfn = mockClient(CloudFormationClient);
  afterEach(() => cfn.reset());
  afterAll(() => cfn.restore());
  const check = (deployed: Template | 'none', next: Template) => {
    if (deployed === 'none') cfn.on(GetTemplateCommand).rejects(stackDoesNotExist());
    else cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(deployed) });
    return refusalFor({
      cloudFormation: new CloudFormationClient({ region: 'eu-west-1' }),
      client: testClients,
      stackName: 'research-summarizer-qa',
      newTemplate: next,
      stage: 'qa',
      region: 'eu-west-1',
    });
  };

  it('refuses a new key schema, naming the property and what it does to the data', async () => {
    // Prepare
    const next = packaged();
    ledger(next).Properties.KeySchema = [
      { AttributeName: 'articleId', KeyType: 'HASH' },
      { AttributeName: 'receivedAt', KeyType: 'RANGE' },
    ];
    // Act / Assess
    await expect(check(packaged(), next)).resolves.toBe(
      'This deploy would replace the ledger table (LedgerTable): its KeySchema changes from [{"AttributeName":"articleId","KeyType":"HASH"}] ' +
        'to [{"AttributeName":"articleId","KeyType":"HASH"},{"AttributeName":"receivedAt","KeyType":"RANGE"}]. CloudFormation replaces a ' +
        'table for that, and the functions would then write to a new, empty table (retainData=on keeps the old one, retainData=off deletes ' +
        'it). Keep those properties as deployed; a new key needs a new table beside this one and its rows copied across (docs/aws.md, "A production stage").',
    );
  });

  it('refuses a table name, and a changed type of an attribute it already defines', async () => {
    const named = packaged();
    ledger(named).Properties.TableName = 'ledger';
    const retyped = packaged();
    ledger(retyped).Properties.AttributeDefinitions = [{ AttributeName: 'articleId', AttributeType: 'N' }];

    await expect(check(packaged(), named)).resolves.toMatch(/: its TableName changes from null to "ledger"\. /);
    await expect(check(packaged(), retyped)).resolves.toMatch(/: the attribute definition of articleId changes type from S to N\. /);
  });

  it('refuses a template without the ledger table', async () => {
    const next = packaged();
    delete next.Resources.LedgerTable;
    await expect(check(packaged(), next)).resolves.toMatch(/^This deploy removes the ledger table \(LedgerTable\) from the stack/);
  });

  it('lets through what changes the table in place: retainData, an index, an attribute definition added or removed', async () => {
    // Prepare
    const retained = packaged();
    Object.assign(ledger(retained), { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    ledger(retained).Properties.DeletionProtectionEnabled = true;
    const fewer = packaged();
    ledger(fewer).Properties.GlobalSecondaryIndexes = [];
    ledger(fewer).Properties.AttributeDefinitions = [{ AttributeName: 'articleId', AttributeType: 'S' }];
    // Act / Assess
    await expect(check(packaged(), retained)).resolves.toBeUndefined();
    await expect(check(packaged(), fewer)).resolves.toBeUndefined();
    await expect(check(fewer, packaged())).resolves.toBeUndefined();
    await expect(check('none', packaged())).resolves.toBeUndefined();
  });

  it('fails `serverless deploy` before the stack update, as a plugin hooked on before:deploy:deploy', async () => {
    const next = packaged();
    ledger(next).Properties.TableName = 'ledger';
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(packaged()) });
    const { serverless, ServerlessError } = fakeServerless(next);

    const hook = new LedgerReplacementGuard(serverless, {}).hooks['before:deploy:deploy'] as Hook;

    await expect(hook()).rejects.toBeInstanceOf(ServerlessError);
  });
});
