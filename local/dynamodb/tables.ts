/**
 * Creates a table if it does not exist yet. The local cloud takes the definition from the packaged
 * template (../template/stack-config.ts), so keys and indexes cannot drift from what AWS gets; emulators lack
 * TTL, PITR and SSE settings, which only the AWS table carries. Given a spill file, a table an earlier
 * version created gains the template's new indexes (table-upgrade.ts).
 */

import { CreateTableCommand, ResourceInUseException, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { upgradeTable, type UpgradeLog } from './table-upgrade';

export const ensureTable = async (db: DynamoDBClient, input: CreateTableCommandInput, upgrade?: { spillFile: string; log?: UpgradeLog }): Promise<void> => {
  try {
    await db.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  if (upgrade) await upgradeTable(db, input, upgrade.spillFile, upgrade.log);
};
