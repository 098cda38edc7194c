import { Command } from 'commander';
import { Granularities } from '../../core/trends/periods';
import { DEFAULT_GRANULARITY, DEFAULT_SPAN, DEFAULT_TOP, type TrendsQueryInput } from '../../core/trends/query';
import { parseTrendsQuery, runTrends } from '../read-trends';
import { formatTrends, formatTrendsCsv, formatTrendsJson } from '../trends-table';
import { targetOf, withTargetOptions, type CommandContext, type TargetOptions } from '../command-context';

type TrendsOptions = TargetOptions & TrendsQueryInput & { json?: boolean; csv?: boolean };

const span = Granularities.map((by) => `${DEFAULT_SPAN[by]} ${by}s`).join(', ');

/** `npm run trends`: per published day, week or month, the articles and their top and rising key phrases. */
export const trendsCommand = (cli: CommandContext): Command =>
  withTargetOptions(
    new Command('trends')
      .description('articles, top and rising key phrases per published day, week or month (docs/trends.md)')
      .option('--from <date>', `the first day, YYYY-MM-DD (default: ${span} up to --to, by --by)`)
      .option('--to <date>', 'the last day, YYYY-MM-DD (default: today, UTC)')
      .option('--by <period>', `${Granularities.join('|')} (default: ${DEFAULT_GRANULARITY})`)
      .option('--top <n>', `phrases per period, top and rising each (default: ${DEFAULT_TOP})`)
      .option('--prefix <sub/folder>', 'only articles under this folder of the input prefix')
      .option('--json', 'the periods as JSON')
      .option('--csv', 'one CSV row per period and phrase'),
    cli.projectRoot,
  ).action(
    cli.run(async (o: TrendsOptions) => {
      if (o.json && o.csv) throw new Error('--json and --csv: choose one');
      // Checked by the schema the dashboard's trends API shares (core/trends/query.ts), before anything is read.
      const query = parseTrendsQuery(o, new Date().toISOString().slice(0, 10));
      const periods = await runTrends(await targetOf(o, cli.projectRoot), query);
      cli.out(`${o.json ? formatTrendsJson(periods) : o.csv ? formatTrendsCsv(periods) : formatTrends(periods)}\n`);
      return 0;
    }),
  );
