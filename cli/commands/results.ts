import { Command } from 'commander';
import { ArticleStates, type ArticleState } from '../../core/ledger';
import { formatResults, parseSince, parseState, queryLedger } from '../results';
import { targetOf, withTargetOptions, type CommandContext, type TargetOptions } from '../command-context';

interface ResultsOptions extends TargetOptions {
  state?: ArticleState;
  since?: string;
  json?: boolean;
}

/** `npm run results`: the count per state, then one block per article (or the rows as JSON). */
export const resultsCommand = (cli: CommandContext): Command =>
  withTargetOptions(
    new Command('results')
      .description('the ledger, readable: the count per state, then each article with its summary or reason')
      .option('--state <state>', `only rows in this state: ${ArticleStates.join('|')}`, (value) => parseState(value))
      .option('--since <date>', 'only rows received at or after this date or date-time (2026-11-26, 2026-11-26T10:00:00Z)', (value) =>
        parseSince(value),
      )
      .option('--json', 'the rows as a JSON array'),
    cli.projectRoot,
  ).action(
    cli.run(async (o: ResultsOptions) => {
      const t = await targetOf(o, cli.projectRoot);
      const rows = await queryLedger(t, { ...(o.state ? { state: o.state } : {}), ...(o.since ? { since: o.since } : {}) });
      cli.out(o.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatResults(rows, cli.columns() ?? 100)}\n`);
      return 0;
    }),
  );
