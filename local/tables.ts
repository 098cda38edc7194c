import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, ResourceInUseException, type DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { parseDocument, type Tags } from 'yaml';

/**
 * Local tables are created from the same CloudFormation the AWS deployment uses (resources/*.yml), so
 * keys and indexes cannot drift. CloudFormation short-form tags (!Ref, !Sub, ...) are kept as plain
 * values; the table definition does not need them.
 */
const cfnTags: Tags = ['Ref', 'Sub', 'GetAtt', 'Join', 'Select', 'If', 'Equals', 'ImportValue', 'FindInMap', 'Split', 'Not', 'And', 'Or', 'Base64', 'GetAZs', 'Cidr']
  .flatMap((name) => (['scalar', 'seq', 'map'] as const).map((collection) => ({
    tag: `!${name}`,
    collection: collection === 'scalar' ? undefined : collection,
    resolve: (value: unknown) => ({ [`Fn::${name}`]: value }),
  }))) as Tags;

interface CfnTable {
  Type: string;
  Properties: Omit<CreateTableCommandInput, 'TableName'> & Record<string, unknown>;
}

export const readCfnResources = (file: string): Record<string, CfnTable> => {
  const doc = parseDocument(readFileSync(file, 'utf-8'), { customTags: cfnTags });
  return (doc.toJS() as { Resources: Record<string, CfnTable> }).Resources;
};

/** The ledger table's CreateTable input, from resources/ledger-table.yml. */
export const ledgerTableInput = (tableName: string, projectRoot = join(__dirname, '..')): CreateTableCommandInput => {
  const table = readCfnResources(join(projectRoot, 'resources', 'ledger-table.yml')).LedgerTable;
  if (table?.Type !== 'AWS::DynamoDB::Table') throw new Error('resources/ledger-table.yml has no LedgerTable');
  const p = table.Properties;
  // Emulators lack TTL, PITR and SSE settings; only the shape of the table matters locally.
  return {
    TableName: tableName,
    BillingMode: p.BillingMode,
    AttributeDefinitions: p.AttributeDefinitions,
    KeySchema: p.KeySchema,
    GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
  };
};

export const ensureTable = async (db: DynamoDBClient, input: CreateTableCommandInput): Promise<void> => {
  try {
    await db.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
};
