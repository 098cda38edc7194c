/**
 * Creates a table if it does not exist yet. The local cloud takes the definition from the packaged
 * template (../template/stack-config.ts), so keys and indexes cannot drift from what AWS gets; emulators lack
 * TTL, PITR and SSE settings, which only the AWS table carries. Given a spill file, a table an earlier
 * version created gains the template's new indexes (table-upgrade.ts), and `fill` gives its rows the
 * attributes those indexes are keyed on.
 */

import {
  CreateTableCommand,
  ResourceInUseException,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { batchOf } from '../../core/status/batch';
import { upgradeTable, type ItemFill, type UpgradeLog } from './table-upgrade';

type Item = Record<string, AttributeValue>;

/** Rows written before the ledger had `batch` get it from their key (core/status/batch.ts). */
export const withBatch =
  (inputPrefix: string): ItemFill =>
  (item: Item): Item =>
    item.batch || item.key?.S === undefined ? item : { ...item, batch: { S: batchOf(item.key.S, inputPrefix) } };

export const ensureTable = async (
  db: DynamoDBClient,
  input: CreateTableCommandInput,
  upgrade?: { spillFile: string; log?: UpgradeLog; fill?: ItemFill },
): Promise<void> => {
  try {
    await db.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  if (upgrade) await upgradeTable(db, input, upgrade.spillFile, upgrade.log, upgrade.fill);
};
