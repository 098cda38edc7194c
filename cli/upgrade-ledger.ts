import { backfillBatch, type BackfillReport } from '../adapters/ledger-backfill';
import { describeLedgerIndexes, type LedgerIndex } from '../adapters/ledger-indexes';
import type { Target } from './target';

/**
 * `npm run upgrade-ledger`: where the ledger's indexes stand after a deploy of an upgrade, and rows of
 * an earlier release given their `batch`. An index being built is said as such, with the command that
 * waits for it: the next deploy of an upgrade (docs/aws.md "Upgrading") goes ahead only once every
 * index is ACTIVE, and status, results, retry and reconcile read an index only then.
 */
export interface UpgradeReport {
  indexes: LedgerIndex[];
  backfill: BackfillReport;
}

/** This release's indexes (resources/ledger-table.yml): one missing is a step of the upgrade still to deploy. */
const LEDGER_INDEXES = ['byState', 'byDay', 'byPublishedDay', 'byBatch'];

const waitCommand = (table: string) =>
  `until [ "$(aws dynamodb describe-table --table-name ${table} ` +
  `--query "length(Table.GlobalSecondaryIndexes[?IndexStatus!='ACTIVE'])" --output text)" = "0" ]; do sleep 60; done`;

/** What the indexes say, one line each, and what to do while one is not ACTIVE. */
export const indexLines = (indexes: readonly LedgerIndex[], table: string): string[] => {
  const lines = indexes.map(
    (index) =>
      `  ${index.name.padEnd(15)} ${index.status.padEnd(8)} ${index.backfilling ? 'backfilling: DynamoDB is reading every row into it; ' : ''}${index.projection}`,
  );
  const building = indexes.filter((index) => index.status !== 'ACTIVE');
  const absent = LEDGER_INDEXES.filter((name) => !indexes.some((index) => index.name === name));
  return [
    `the ledger's indexes (${table}):`,
    ...lines,
    ...(building.length > 0
      ? [
          `${building.map((index) => index.name).join(', ')} ${building.length === 1 ? 'is' : 'are'} not ACTIVE yet: npm run status, results, ` +
            `retry, reconcile and the next deploy of an upgrade wait for it. This returns once every index is ACTIVE:`,
          `  ${waitCommand(table)}`,
        ]
      : []),
    ...(absent.length > 0
      ? [
          `${absent.join(' and ')} ${absent.length === 1 ? 'is' : 'are'} not on the table: the next deploys of the upgrade add ` +
            `${absent.length === 1 ? 'it' : 'them'} (docs/aws.md "Upgrading").`,
        ]
      : []),
  ];
};

export const upgradeLedger = async (
  target: Pick<Target, 'dynamo' | 'table' | 'inputPrefix'>,
  progress: (report: BackfillReport) => void = () => undefined,
): Promise<UpgradeReport> => {
  const indexes = await describeLedgerIndexes(target.dynamo, target.table);
  // A Scan and conditional updates of the table: they work while an index is being built.
  const backfill = await backfillBatch(target.dynamo, target.table, target.inputPrefix, progress);
  return { indexes, backfill };
};
