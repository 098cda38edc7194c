import { Command } from 'commander';
import { formatStatus } from '../../core/status/batch-status';
import { awsStatusSource, localStatusSource, readStatus, statusJson, watchStatus } from '../status';
import { targetOf, withTargetOptions, type CommandContext, type TargetOptions } from '../command-context';

interface StatusOptions extends TargetOptions {
  prefix?: string;
  watch?: boolean;
  json?: boolean;
}

/** `npm run status`: a batch's progress, throughput, ETA, the endpoint and the cost so far. */
export const statusCommand = (cli: CommandContext): Command =>
  withTargetOptions(
    new Command('status')
      .description("a batch's progress, ETA, endpoint and cost so far")
      .option('--prefix <prefix>', 'the batch: batch-2026-11, input/batch-2026-11/ or deeper (default: every article)')
      .option('--watch', 'redraw every 2 s until nothing is QUEUED')
      .option('--json', 'one JSON object: {"prefix","total","byState","completedPerMinute","etaSeconds","instances","backlog","costUsd"}'),
    cli.projectRoot,
  ).action(
    cli.run(async (o: StatusOptions) => {
      const t = await targetOf(o, cli.projectRoot);
      // A deployed stage's endpoint is read from CloudWatch; the local cloud's from its dashboard data.
      const source = t.endpointFigures ? await awsStatusSource(t, t.endpointFigures) : localStatusSource(o.stateDir, cli.projectRoot);
      const read = () => readStatus(t, source, o.prefix);
      if (o.watch) {
        await watchStatus(read, (text) => cli.out(text));
        return 0;
      }
      const status = await read();
      cli.out(`${o.json ? statusJson(status) : formatStatus(status)}\n`);
      return 0;
    }),
  );
