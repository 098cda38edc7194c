/** The ledger table, read from the packaged template: what CreateTable needs to make it locally. */

import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { TemplateView } from './template-view';

export type LocalTable = CreateTableCommandInput & { TableName: string };

export const tableOf = ({ ofType, ev, resolver }: TemplateView): LocalTable => {
  const [tableId, tableResource] = ofType('AWS::DynamoDB::Table')[0] ?? [];
  if (!tableId || !tableResource) throw new Error('the packaged template has no DynamoDB table');
  const t = ev<Record<string, unknown>>(tableResource.Properties);
  return {
    TableName: resolver.ref(tableId),
    BillingMode: t.BillingMode,
    AttributeDefinitions: t.AttributeDefinitions,
    KeySchema: t.KeySchema,
    GlobalSecondaryIndexes: t.GlobalSecondaryIndexes,
  } as LocalTable;
};
