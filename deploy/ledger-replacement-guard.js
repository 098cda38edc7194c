// A Serverless Framework plugin that stops `serverless deploy` before CloudFormation is touched when
// the deploy would replace or remove the ledger table. CloudFormation replaces an
// AWS::DynamoDB::Table when its TableName, KeySchema or LocalSecondaryIndexes change, or an existing
// attribute definition is edited (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html,
// "Update requires: Replacement"). With retainData=off the rows would be deleted; with retainData=on
// (UpdateReplacePolicy: Retain) the old table would be kept, but the functions would move to a new,
// empty one. Either way every summary would be out of reach, so the deploy is refused on every stage.
const { deployGuard } = require('./deploy-guard');
const { deployedTemplate } = require('./deployed-template');
const { TABLE, ledgerTable } = require('./ledger-table');

/** Properties whose change replaces the table. */
const REPLACING = ['TableName', 'KeySchema', 'LocalSecondaryIndexes'];

const typesByName = (table) => new Map((table.Properties.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));

/** What in the new template would replace the deployed table, in words; empty when nothing would. */
const replacements = (before, after) => {
  const changed = REPLACING.filter((name) => JSON.stringify(before.Properties[name]) !== JSON.stringify(after.Properties[name])).map(
    (name) =>
      `its ${name} changes from ${JSON.stringify(before.Properties[name] ?? null)} to ${JSON.stringify(after.Properties[name] ?? null)}`,
  );
  const [was, is] = [typesByName(before), typesByName(after)];
  const edited = [...is.keys()]
    .filter((name) => was.has(name) && was.get(name) !== is.get(name))
    .map((name) => `the attribute definition of ${name} changes type from ${was.get(name)} to ${is.get(name)}`);
  return [...changed, ...edited];
};

/**
 * Why this deploy must not go ahead, or undefined when it may.
 * @param {import('./deploy-guard').GuardInput} input
 */
const refusalFor = async ({ cloudFormation, stackName, newTemplate }) => {
  const deployed = await deployedTemplate(cloudFormation, stackName);
  const before = ledgerTable(deployed);
  if (!before) return undefined; // the first deploy, or a stack without the ledger yet
  const after = ledgerTable(newTemplate);
  if (!after || after.Type !== before.Type) {
    return (
      `This deploy removes the ledger table (${TABLE}) from the stack: with retainData=off CloudFormation deletes it and every ` +
      `summary in it. Keep ${TABLE} in the template (resources/ledger-table.yml).`
    );
  }
  const reasons = replacements(before, after);
  if (reasons.length === 0) return undefined;
  return (
    `This deploy would replace the ledger table (${TABLE}): ${reasons.join('; ')}. CloudFormation replaces a table for that, and ` +
    `the functions would then write to a new, empty table (retainData=on keeps the old one, retainData=off deletes it). ` +
    `Keep those properties as deployed; a new key needs a new table beside this one and its rows copied across (docs/aws.md, "A production stage").`
  );
};

module.exports = deployGuard(refusalFor);
module.exports.refusalFor = refusalFor;
