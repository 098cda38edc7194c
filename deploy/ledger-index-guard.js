// A Serverless Framework plugin that stops `serverless deploy` before CloudFormation is touched when
// the deploy would change the ledger table's global secondary indexes in a way one table update
// cannot do, and says which deploys can:
//  - DynamoDB creates or deletes one index per UpdateTable call ("You can create or delete only one
//    global secondary index per UpdateTable operation":
//    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html);
//  - an existing index's key schema and projection cannot change ("Updates are not supported", except
//    throughput and adding or deleting one index:
//    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html),
//    so a changed index is deleted by one deploy and added back by the next;
//  - CloudFormation does not wait for a new index to be built, and "You can't use the index or update
//    the table until the index's status is ACTIVE" (same page), so no deploy that changes the table
//    goes ahead while an index is not ACTIVE.
// Each of these would fail the stack update and roll it back after the rest of the stack changed.
const { DescribeStackResourceCommand } = require('@aws-sdk/client-cloudformation');
const { DescribeTableCommand, DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { deployGuard } = require('./deploy-guard');
const { deployedTemplate } = require('./deployed-template');
const {
  SWITCHES,
  TABLE,
  describeIndex,
  indexChanges,
  indexDefinitions,
  ledgerTable,
  overridesFor,
  switchSettings,
} = require('./ledger-table');

/** A shell loop that returns once every index of the table is ACTIVE. */
const waitCommand = (table, region) =>
  `until [ "$(aws dynamodb describe-table --table-name ${table} --region ${region} ` +
  `--query "length(Table.GlobalSecondaryIndexes[?IndexStatus!='ACTIVE'])" --output text)" = "0" ]; do sleep 60; done`;

/** What of the deployed table is not ACTIVE yet, in words (DescribeTable), and the table's name. */
const notActive = async ({ cloudFormation, client, stackName }) => {
  const { StackResourceDetail } = await cloudFormation.send(
    new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: TABLE }),
  );
  const table = StackResourceDetail?.PhysicalResourceId;
  const dynamodb = await client(DynamoDBClient);
  const { Table = {} } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
  const pending = [
    ...(Table.TableStatus && Table.TableStatus !== 'ACTIVE' ? [`the table is ${Table.TableStatus}`] : []),
    ...(Table.GlobalSecondaryIndexes ?? [])
      .filter((index) => index.IndexStatus !== 'ACTIVE')
      .map(
        (index) =>
          `index ${index.IndexName} is ${index.IndexStatus}${index.Backfilling ? ' (backfilling: reading every row into it)' : ''}`,
      ),
  ];
  return { table, pending };
};

const keyOf = (definitions) => JSON.stringify([...definitions.entries()].sort(([a], [b]) => a.localeCompare(b)));

const settingsOf = (params) =>
  params.reduce(
    (all, param) =>
      all.flatMap((settings) =>
        Object.keys(SWITCHES.find((s) => s.param === param).values).map((value) => ({ ...settings, [param]: value })),
      ),
    [{}],
  );

/**
 * The shortest sequence of switch settings that takes the deployed indexes to the new template's,
 * each deploy adding or removing exactly one index; undefined when the switches cannot.
 */
const planSteps = (deployed, newTemplate) => {
  const target = switchSettings(newTemplate);
  const goal = keyOf(indexDefinitions(newTemplate));
  const candidates = settingsOf(Object.keys(target)).map((settings) => ({
    settings,
    definitions: indexDefinitions(newTemplate, overridesFor(settings)),
  }));
  const seen = new Set([keyOf(deployed)]);
  let frontier = [{ definitions: deployed, steps: [] }];
  while (frontier.length > 0) {
    const next = [];
    for (const { definitions, steps } of frontier) {
      for (const candidate of candidates) {
        const key = keyOf(candidate.definitions);
        if (seen.has(key)) continue;
        const { added, removed, changed } = indexChanges(definitions, candidate.definitions);
        if (changed.length > 0 || added.length + removed.length !== 1) continue;
        // The last deploy is the one asked for, whatever other settings give the same indexes.
        const step = { settings: key === goal ? target : candidate.settings, adds: added[0], removes: removed[0] };
        if (key === goal) return [...steps, step];
        seen.add(key);
        next.push({ definitions: candidate.definitions, steps: [...steps, step] });
      }
    }
    frontier = next;
  }
  return undefined;
};

const changeWords = (before, after) => {
  const { added, removed, changed } = indexChanges(before, after);
  return [
    ...added.map((name) => `adds ${name}`),
    ...removed.map((name) => `removes ${name}`),
    ...changed.map((name) => `changes ${name} (${describeIndex(before.get(name))} -> ${describeIndex(after.get(name))})`),
  ].join(', ');
};

/**
 * Why this deploy must not go ahead, or undefined when it may.
 * @param {import('./deploy-guard').GuardInput} input
 */
const refusalFor = async (input) => {
  const { cloudFormation, stackName, newTemplate, stage, region } = input;
  const deployed = await deployedTemplate(cloudFormation, stackName);
  const [was, is] = [ledgerTable(deployed), ledgerTable(newTemplate)];
  // A first deploy creates every index at once; a missing table is the replacement guard's to refuse.
  if (!was || !is || JSON.stringify(was.Properties) === JSON.stringify(is.Properties)) return undefined;

  const { table, pending } = await notActive(input);
  if (pending.length > 0) {
    return (
      `The ledger table ${table}: ${pending.join(', ')}. CloudFormation does not wait for a new index to be built, and DynamoDB ` +
      `refuses any update of the table until every index is ACTIVE, so this deploy would fail. Wait, then deploy again: ${waitCommand(table, region)}`
    );
  }

  const [before, after] = [indexDefinitions(deployed), indexDefinitions(newTemplate)];
  const { added, removed, changed } = indexChanges(before, after);
  if (changed.length === 0 && added.length + removed.length <= 1) return undefined;

  const why =
    `The ledger table's indexes: this deploy ${changeWords(before, after)}. DynamoDB adds or deletes one global secondary index per ` +
    `table update and cannot change an index's keys or projection in place, so CloudFormation would fail and roll back.`;
  const steps = planSteps(before, newTemplate);
  if (!steps) {
    return (
      `${why} Deploy a template that changes one index at a time; to change an index, remove it in one deploy and add it ` +
      `back in the next (or add it under a new name).`
    );
  }
  const target = switchSettings(newTemplate);
  const deploy = `npx serverless deploy --stage ${stage} --region ${region}`;
  const commands = steps.map(({ settings, adds, removes }, i) => {
    const params = Object.entries(settings)
      .filter(([param, value]) => target[param] !== value)
      .map(([param, value]) => ` --param="${param}=${value}"`)
      .join('');
    return `${i + 1}) ${deploy}${params} (${adds ? `adds ${adds}` : `removes ${removes}`})`;
  });
  return (
    `${why} Deploy in ${steps.length} steps, each once the index the step before added is ACTIVE (this check waits for it): ` +
    `${commands.join(', ')}.`
  );
};

module.exports = deployGuard(refusalFor);
module.exports.refusalFor = refusalFor;
module.exports.planSteps = planSteps;
module.exports.waitCommand = waitCommand;
