import { Command } from 'commander';
import { RetryableStates, type RetryableState } from '../../core/ledger';
import { formatRetry, parseRetryStates, runRetry } from '../retry';
import { targetOf, withTargetOptions, type CommandContext, type TargetOptions } from '../command-context';

interface RetryOptions extends TargetOptions {
  state?: readonly RetryableState[];
}

/** `npm run retry`: FAILED and EXPIRED articles go to the endpoint again as a new attempt. */
export const retryCommand = (cli: CommandContext): Command =>
  withTargetOptions(
    new Command('retry')
      .description('send FAILED and EXPIRED articles to the endpoint again (their history kept in the row)')
      .option('--state <state>', `only articles in this state: ${RetryableStates.join('|')}`, (value) => parseRetryStates(value)),
    cli.projectRoot,
  ).action(
    cli.run(async (o: RetryOptions) => {
      const t = await targetOf(o, cli.projectRoot);
      cli.out(`${formatRetry(await runRetry(t, o.state ?? RetryableStates), t.description)}\n`);
      return 0;
    }),
  );
