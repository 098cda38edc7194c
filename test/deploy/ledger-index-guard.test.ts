import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CloudFormationClient, DescribeStackResourceCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describeTableAnswer, type IndexAnswer } from '../support/describe-table';
import { fakeServerless, loadDeployGuard, stackDoesNotExist, testClients } from '../support/deploy-guards';

type Hook = () => Promise<void>;
type Template = { Conditions: Record<string, unknown>; Resources: Record<string, { Properties: Record<string, unknown> }> };
const LedgerIndexGuard = loadDeployGuard('ledger-index-guard.js');
const { refusalFor } = LedgerIndexGuard;

// DynamoDB builds one global secondary index per UpdateTable call, changes none in place, and refuses a
// table update while an index builds (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html):
// AWS-only answers dynalite does not give, so the deployed stack and its table are mocked, the table
// with DescribeTable answers built from the API reference's example (test/events/README.md).

const projectRoot = path.join(__dirname, '..', '..');
/** This release's template as `serverless package` wrote it for the test run (test/support/global-setup.ts). */
const packaged = (): Template =>
  JSON.parse(readFileSync(path.join(projectRoot, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8')) as Template;

/** The packaged template as if packaged with these index switches (serverless bakes each parameter into its conditions). */
const packagedWith = (settings: { batchIndex?: string; pendingIndex?: string; stateIndex?: string; dayIndex?: string }): Template => {
  const template = packaged();
  const equals = (param: string | undefined, value: string) => ({ 'Fn::Equals': [param ?? 'on', value] });
  Object.assign(template.Conditions, {
    BatchIndexOn: equals(settings.batchIndex, 'on'),
    PendingIndexOn: equals(settings.pendingIndex, 'on'),
    StateIndexOff: equals(settings.stateIndex, 'off'),
    StateIndexAll: equals(settings.stateIndex, 'all'),
    DayIndexOff: equals(settings.dayIndex, 'off'),
    DayIndexAll: equals(settings.dayIndex, 'all'),
  });
  return template;
};

/** A stage deployed from an earlier release: its indexes as test/template/previous-releases.json lists them. */
const deployedRelease = (release: string): Template => {
  const template = packaged();
  const releases = JSON.parse(readFileSync(path.join(projectRoot, 'test', 'template', 'previous-releases.json'), 'utf8')) as Record<
    string,
    unknown[]
  >;
  const table = template.Resources.LedgerTable as { Properties: Record<string, unknown> };
  table.Properties = { ...table.Properties, GlobalSecondaryIndexes: releases[release] };
  return template;
};

const ACTIVE_BEFORE_PROJECTIONS: IndexAnswer[] = [
  { name: 'byState', hash: 'state', range: 'receivedAt', projection: 'ALL' },
  { name: 'byDay', hash: 'day', range: 'receivedAt', projection: 'ALL' },
  { name: 'byPublishedDay', hash: 'publishedDay', range: 'receivedAt', projection: ['state', 'key', 'title', 'keyphrases', 'publishedAt'] },
  {
    name: 'byBatch',
    hash: 'batch',
    range: 'receivedAt',
    projection: ['key', 'state', 'completedAt', 'costUsd', 'requestCount', 'parts', 'partsDone'],
  },
];

const TABLE = 'research-summarizer-qa-LedgerTable-1ABCDEFGHIJK';
const deploy = 'npx serverless deploy --stage qa --region eu-west-1';

describe('serverless deploy that changes the ledger table indexes', () => {
  const cfn = mockClient(CloudFormationClient);
  const dynamodb = mockClient(DynamoDBClient);
  beforeEach(() => {
    cfn.on(DescribeStackResourceCommand).resolves({
      StackResourceDetail: {
        LogicalResourceId: 'LedgerTable',
        PhysicalResourceId: TABLE,
        ResourceType: 'AWS::DynamoDB::Table',
        ResourceStatus: 'UPDATE_COMPLETE',
        LastUpdatedTimestamp: new Date(),
      },
    });
    dynamodb.on(DescribeTableCommand).resolves(describeTableAnswer(TABLE, ACTIVE_BEFORE_PROJECTIONS));
  });
  afterEach(() => {
    cfn.reset();
    dynamodb.reset();
  });
  afterAll(() => {
    cfn.restore();
    dynamodb.restore();
  });
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

  it('refuses to change the projection of byState, byDay and byBatch in place and add byPendingEvent, with the seven deploys that do it', async () => {
    await expect(check(deployedRelease('before projections'), packaged())).resolves.toBe(
      "The ledger table's indexes: this deploy adds byPendingEvent, changes byState (state HASH, receivedAt RANGE; ALL -> state HASH, receivedAt RANGE; " +
        'INCLUDE key, batch, completedAt, costUsd, costItems, summary, reason, level, levelSize, levelDone), changes byDay (day HASH, receivedAt RANGE; ALL -> day HASH, ' +
        'receivedAt RANGE; INCLUDE key), changes byBatch (batch HASH, receivedAt RANGE; INCLUDE key, state, completedAt, costUsd, requestCount, parts, partsDone -> ' +
        "batch HASH, receivedAt RANGE; INCLUDE key, state, completedAt, costUsd, costItems). DynamoDB adds or deletes one global secondary index per table update and cannot change an index's " +
        'keys or projection in place, so CloudFormation would fail and roll back. Deploy in 7 steps, each once the index the step before ' +
        'added is ACTIVE (this check waits for it): ' +
        `1) ${deploy} --param="batchIndex=off" --param="pendingIndex=off" --param="stateIndex=all" --param="dayIndex=all" (removes byBatch), ` +
        `2) ${deploy} --param="pendingIndex=off" --param="stateIndex=all" --param="dayIndex=all" (adds byBatch), ` +
        `3) ${deploy} --param="stateIndex=all" --param="dayIndex=all" (adds byPendingEvent), ` +
        `4) ${deploy} --param="stateIndex=all" --param="dayIndex=off" (removes byDay), ` +
        `5) ${deploy} --param="stateIndex=all" (adds byDay), ` +
        `6) ${deploy} --param="stateIndex=off" (removes byState), ` +
        `7) ${deploy} (adds byState).`,
    );
  });

  it('lets a stage of the release before byPendingEvent add it in one deploy', async () => {
    await expect(check(packagedWith({ pendingIndex: 'off' }), packaged())).resolves.toBeUndefined();
  });

  it('lets each of those deploys through, one index each', async () => {
    const steps = [
      packagedWith({ batchIndex: 'off', pendingIndex: 'off', stateIndex: 'all', dayIndex: 'all' }),
      packagedWith({ pendingIndex: 'off', stateIndex: 'all', dayIndex: 'all' }),
      packagedWith({ stateIndex: 'all', dayIndex: 'all' }),
      packagedWith({ stateIndex: 'all', dayIndex: 'off' }),
      packagedWith({ stateIndex: 'all' }),
      packagedWith({ stateIndex: 'off' }),
      packagedWith({}),
    ];
    for (let i = 1; i < steps.length; i++) {
      await expect(check(steps[i - 1] as Template, steps[i] as Template)).resolves.toBeUndefined();
    }
  });

  it('carries on the plan from a stage left half-way', async () => {
    await expect(check(packagedWith({ stateIndex: 'all', dayIndex: 'off' }), packaged())).resolves.toMatch(
      new RegExp(
        `Deploy in 3 steps, .*: 1\\) ${deploy} --param="stateIndex=all" \\(adds byDay\\), 2\\) .*\\(removes byState\\), 3\\) ${deploy} \\(adds byState\\)\\.$`,
      ),
    );
  });

  it('plans the seven deploys from a stage of the release before trends: three indexes to add, two to change', async () => {
    const refusal = await check(deployedRelease('before trends and batches'), packaged());
    expect(refusal).toMatch(/Deploy in 7 steps/);
    expect(refusal?.match(/\d\) [^,]*\((adds|removes) \w+\)/g)?.map((step) => step.replace(/^.*\((.*)\)$/, '$1'))).toEqual([
      'adds byPublishedDay',
      'adds byBatch',
      'adds byPendingEvent',
      'removes byDay',
      'adds byDay',
      'removes byState',
      'adds byState',
    ]);
  });

  it('refuses a changed key schema of an index no switch can leave out, saying how to change an index', async () => {
    // Prepare: byPublishedDay keyed by day instead.
    const next = packaged();
    const indexes = next.Resources.LedgerTable?.Properties.GlobalSecondaryIndexes as { IndexName?: string; KeySchema?: unknown[] }[];
    const published = indexes.find((index) => index.IndexName === 'byPublishedDay') as { KeySchema: unknown[] };
    published.KeySchema = [{ AttributeName: 'publishedDay', KeyType: 'HASH' }];
    // Act / Assess
    await expect(check(packaged(), next)).resolves.toBe(
      "The ledger table's indexes: this deploy changes byPublishedDay (publishedDay HASH, receivedAt RANGE; INCLUDE state, key, title, " +
        'keyphrases, publishedAt -> publishedDay HASH; INCLUDE state, key, title, keyphrases, publishedAt). DynamoDB adds or deletes one ' +
        "global secondary index per table update and cannot change an index's keys or projection in place, so CloudFormation would fail " +
        'and roll back. Deploy a template that changes one index at a time; to change an index, remove it in one deploy and add it back ' +
        'in the next (or add it under a new name).',
    );
  });

  it('refuses any change of the table while an index is being built, with the command that waits for it', async () => {
    // Prepare: step 2 of the plan added byDay, which DynamoDB is still backfilling.
    dynamodb
      .on(DescribeTableCommand)
      .resolves(
        describeTableAnswer(TABLE, [
          ACTIVE_BEFORE_PROJECTIONS[0] as IndexAnswer,
          { name: 'byDay', hash: 'day', range: 'receivedAt', projection: ['key'], status: 'CREATING', backfilling: true },
          ...ACTIVE_BEFORE_PROJECTIONS.slice(2),
        ]),
      );
    // Act / Assess
    await expect(check(packagedWith({ stateIndex: 'all' }), packagedWith({ stateIndex: 'off' }))).resolves.toBe(
      `The ledger table ${TABLE}: index byDay is CREATING (backfilling: reading every row into it). CloudFormation does not wait for a ` +
        'new index to be built, and DynamoDB refuses any update of the table until every index is ACTIVE, so this deploy would fail. ' +
        `Wait, then deploy again: until [ "$(aws dynamodb describe-table --table-name ${TABLE} --region eu-west-1 ` +
        `--query "length(Table.GlobalSecondaryIndexes[?IndexStatus!='ACTIVE'])" --output text)" = "0" ]; do sleep 60; done`,
    );
    expect(dynamodb.commandCalls(DescribeTableCommand)[0]?.args[0].input).toEqual({ TableName: TABLE });
  });

  it('looks at no index when the deploy leaves the table as it is, and lets a fresh stack create every index', async () => {
    await expect(check(packaged(), packaged())).resolves.toBeUndefined();
    await expect(check('none', packaged())).resolves.toBeUndefined();
    expect(dynamodb.commandCalls(DescribeTableCommand)).toHaveLength(0);
  });

  it('lets the answer of the API reference example (one local index, no global one) through as ACTIVE', async () => {
    dynamodb.on(DescribeTableCommand).resolves(describeTableAnswer(TABLE, []));
    await expect(check(packagedWith({ stateIndex: 'off' }), packaged())).resolves.toBeUndefined();
  });

  it('fails `serverless deploy` before the stack update, as a plugin hooked on before:deploy:deploy', async () => {
    // Prepare: the framework's own CloudFormation client, stack name, compiled template and credentials.
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(deployedRelease('before projections')) });
    const { serverless, ServerlessError } = fakeServerless(packaged());
    // Act
    const hook = new LedgerIndexGuard(serverless, {}).hooks['before:deploy:deploy'] as Hook;
    // Assess
    await expect(hook()).rejects.toBeInstanceOf(ServerlessError);
    await expect(hook()).rejects.toThrow(/^The ledger table's indexes: this deploy adds byPendingEvent, changes byState/);
  });
});
