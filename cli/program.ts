import { Command, CommanderError } from 'commander';
import { describeError } from '../core/errors';
import { TrendsQueryError } from '../core/trends/query';
import { OptionError } from './options';
import type { CommandContext } from './command-context';
import { demoCommand } from './commands/demo';
import { dropCommand } from './commands/drop';
import { reconcileCommand } from './commands/reconcile';
import { resultsCommand } from './commands/results';
import { retryCommand } from './commands/retry';
import { startCommand } from './commands/start';
import { statusCommand } from './commands/status';
import { trendsCommand } from './commands/trends';
import { upgradeLedgerCommand } from './commands/upgrade-ledger';

/** Where the command line prints: stdout and stderr, or a test's buffers. */
export type CliIo = Pick<CommandContext, 'projectRoot' | 'out' | 'err' | 'columns'>;

/** Every command, in the order the help lists them. */
const COMMANDS = [
  startCommand,
  dropCommand,
  resultsCommand,
  statusCommand,
  trendsCommand,
  reconcileCommand,
  retryCommand,
  upgradeLedgerCommand,
  demoCommand,
] as const;

/**
 * The operator's command line, with its help generated from each command's definition
 * (cli/commands/<name>.ts). Run as `npm run <command> -- [options]`, hence the program's name.
 */
export const buildProgram = (cli: CommandContext): Command => {
  const program = new Command('npm run')
    .usage('<command> -- [options]')
    .description(
      'research-summarizer: articles dropped in S3 summarized on a SageMaker asynchronous endpoint, into a DynamoDB ledger.\n' +
        'Every command but start and demo works on the running local cloud (npm start), or with --aws on a deployed stage.',
    )
    .configureOutput({
      writeOut: (text) => cli.out(text),
      writeErr: (text) => cli.err(text),
      // Wrapped to the terminal, or to 80 columns when stdout is a pipe or a file (or a test's buffer).
      getOutHelpWidth: () => cli.columns() ?? 80,
      getErrHelpWidth: () => cli.columns() ?? 80,
    })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText('after', "\nEach command's options: npm run <command> -- --help");
  for (const define of COMMANDS) {
    const command = define(cli);
    command.copyInheritedSettings(program);
    command.usage(`-- ${command.usage()}`);
    program.addCommand(command);
  }
  return program;
};

/** A refusal of what was typed reads as it is; anything else with its error's name and cause. */
const messageOf = (error: unknown): string =>
  error instanceof OptionError || error instanceof TrendsQueryError ? error.message : describeError(error);

/**
 * Runs one command line (`process.argv.slice(2)`) to its exit code: the action's, 0 after help, 2
 * without a command (the help is printed), 1 on a refused option or a failure, said on stderr.
 */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  let exitCode = 0;
  const program = buildProgram({
    ...io,
    run:
      (action) =>
      async (...args) => {
        exitCode = await action(...args);
      },
  });
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // commander has printed its own refusal (unknown option or command, missing value) or the help.
    if (error instanceof CommanderError) return error.exitCode;
    io.err(`error: ${messageOf(error)}\n`);
    return 1;
  }
};
