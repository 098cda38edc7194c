import { Command } from 'commander';
import { backfillBatch } from '../../adapters/ledger-backfill';
import { targetOf, withTargetOptions, type CommandContext, type TargetOptions } from '../command-context';

/** `npm run upgrade-ledger`: once after upgrading a deployed stage, rows of the previous release get their batch. */
export const upgradeLedgerCommand = (cli: CommandContext): Command =>
  withTargetOptions(
    new Command('upgrade-ledger').description(
      'once after upgrading a deployed stage: rows of the previous release get their batch (README "Upgrading")',
    ),
    cli.projectRoot,
  ).action(
    cli.run(async (o: TargetOptions) => {
      const t = await targetOf(o, cli.projectRoot);
      const report = await backfillBatch(t.dynamo, t.table, t.inputPrefix, (r) =>
        cli.err(`scanned ${r.scanned} row(s), gave ${r.updated} their batch so far\n`),
      );
      cli.out(
        `scanned ${report.scanned} row(s): ${report.updated} got their batch, ${report.skipped} had one meanwhile (${t.description})\n`,
      );
      return 0;
    }),
  );
