import { Command } from 'commander';
import { runDemo } from '../demo';
import { checked, timeScaleNumber } from '../options';
import type { CommandContext } from '../command-context';

/** `npm run demo`: a throwaway local cloud of its own; exits 1 unless every sample ends COMPLETED. */
export const demoCommand = (cli: CommandContext): Command =>
  new Command('demo')
    .description('a throwaway local cloud (its own state folder and port): the samples in, their summaries and the scaling out')
    .option('--time-scale <x>', 'simulated seconds per real second', checked(timeScaleNumber, 'time-scale'), 30)
    .action(
      cli.run(async (o: { timeScale: number }) => ((await runDemo({ projectRoot: cli.projectRoot, timeScale: o.timeScale })) ? 0 : 1)),
    );
