import { Command } from 'commander';
import { targetOf, withTargetOptions, type CommandContext, type TargetOptions } from '../command-context';
import { indexLines, upgradeLedger } from '../upgrade-ledger';

/** `npm run upgrade-ledger`: after each deploy of an upgrade, where the indexes stand; rows of the previous release get their batch. */
export const upgradeLedgerCommand = (cli: CommandContext): Command =>
  withTargetOptions(
    new Command('upgrade-ledger').description(
      'after each deploy of an upgrade: where the ledger indexes stand, and rows of an earlier release get their batch (docs/aws.md "Upgrading")',
    ),
    cli.projectRoot,
  ).action(
    cli.run(async (o: TargetOptions) => {
      const t = await targetOf(o, cli.projectRoot);
      const { indexes, backfill } = await upgradeLedger(t, (r) =>
        cli.err(`scanned ${r.scanned} row(s), gave ${r.updated} their batch so far\n`),
      );
      cli.out(`${indexLines(indexes, t.table).join('\n')}\n`);
      cli.out(
        `scanned ${backfill.scanned} row(s): ${backfill.updated} got their batch, ${backfill.skipped} had one meanwhile (${t.description})\n`,
      );
      return 0;
    }),
  );
