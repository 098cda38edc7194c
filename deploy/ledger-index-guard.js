// A Serverless Framework plugin that stops `serverless deploy` before CloudFormation is touched when
// the deploy would add or delete more than one global secondary index of the ledger table. DynamoDB's
// UpdateTable creates or deletes one index per call ("You can create or delete only one global
// secondary index per UpdateTable operation":
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html), so
// CloudFormation fails such an update and rolls it back after the rest of the stack changed. The
// message gives the deploys that do it one index at a time.
const { GetTemplateCommand } = require('@aws-sdk/client-cloudformation');
const { deployGuard } = require('./deploy-guard');

const TABLE = 'LedgerTable';

/** Indexes whose template switch leaves them out for a first step (resources/ledger-table.yml). */
const SWITCHES = { byBatch: 'batchIndex' };

/** Condition functions over literals (serverless has put every parameter in already). */
const conditionValue = (node, conditions) => {
  const [key, value] = Object.entries(node ?? {})[0] ?? [];
  const args = Array.isArray(value) ? value : [value];
  switch (key) {
    case 'Fn::Equals':
      return String(args[0]) === String(args[1]);
    case 'Fn::Not':
      return !conditionValue(args[0], conditions);
    case 'Fn::And':
      return args.every((arg) => conditionValue(arg, conditions));
    case 'Fn::Or':
      return args.some((arg) => conditionValue(arg, conditions));
    case 'Condition':
      return conditionValue(conditions?.[value], conditions);
    default:
      throw new Error(`ledger-index-guard: cannot evaluate the condition ${JSON.stringify(node)}`);
  }
};

/**
 * The index names the template gives the ledger table, with its Fn::If evaluated; `overrides` sets
 * conditions (tests and the steps below ask "what if BatchIndexOn were false").
 */
const ledgerIndexes = (template, overrides = {}) => {
  const conditions = template?.Conditions ?? {};
  const holds = (name) => (name in overrides ? overrides[name] : conditionValue(conditions[name], conditions));
  const indexes = template?.Resources?.[TABLE]?.Properties?.GlobalSecondaryIndexes ?? [];
  return indexes.flatMap((entry) => {
    const chosen = entry?.['Fn::If'] ? (holds(entry['Fn::If'][0]) ? entry['Fn::If'][1] : entry['Fn::If'][2]) : entry;
    return chosen?.IndexName ? [chosen.IndexName] : [];
  });
};

/**
 * Why this deploy must not go ahead, or undefined when it may.
 * @param {{ cloudFormation: { send(command: unknown): Promise<any> }, stackName: string, newTemplate: unknown, stage: string, region: string }} input
 */
const refusalFor = async ({ cloudFormation, stackName, newTemplate, stage, region }) => {
  let deployed;
  try {
    const { TemplateBody } = await cloudFormation.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }));
    deployed = JSON.parse(TemplateBody ?? '{}');
  } catch (error) {
    if (/does not exist/.test(error?.message ?? '')) return undefined; // the first deploy creates every index
    throw error;
  }
  const before = ledgerIndexes(deployed);
  const after = ledgerIndexes(newTemplate);
  const added = after.filter((name) => !before.includes(name));
  const removed = before.filter((name) => !after.includes(name));
  if (added.length + removed.length <= 1) return undefined;
  const deploy = `npx serverless deploy --stage ${stage} --region ${region}`;
  const change = [...added.map((name) => `adds ${name}`), ...removed.map((name) => `removes ${name}`)].join(', ');
  const switchable = added.filter((name) => SWITCHES[name]);
  if (removed.length === 0 && added.length === 2 && switchable.length >= 1) {
    const later = switchable[0];
    const first = added.find((name) => name !== later);
    return (
      `The ledger table's indexes: this deploy ${change}, and DynamoDB creates one global secondary index per table update, so ` +
      `CloudFormation would fail and roll back. Deploy in two steps: ` +
      `1) ${deploy} --param="${SWITCHES[later]}=off" (adds ${first}), ` +
      `2) ${deploy} (adds ${later}).`
    );
  }
  return (
    `The ledger table's indexes: this deploy ${change}, and DynamoDB creates or deletes one global secondary index per table update, ` +
    `so CloudFormation would fail and roll back. Deploy a template that changes one index at a time.`
  );
};

module.exports = deployGuard(refusalFor);
module.exports.refusalFor = refusalFor;
module.exports.ledgerIndexes = ledgerIndexes;
