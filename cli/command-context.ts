import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { resolveTarget, type Target } from './target';

/** What every command is given: where the project is, where to print, and how to end with an exit code. */
export interface CommandContext {
  projectRoot: string;
  out(text: string): void;
  err(text: string): void;
  /** The terminal's width, when stdout is one. */
  columns(): number | undefined;
  /**
   * The command's action: commander ignores what an action returns, so the exit code it resolves to
   * is kept here for the one exit path (cli/main.ts).
   */
  run<A extends unknown[]>(action: (...args: A) => Promise<number>): (...args: A) => Promise<void>;
}

export interface StateDirOptions {
  stateDir: string;
}

/** Where the local cloud keeps its state and endpoints.json; every command that reaches it takes this. */
export const stateDirOption = (projectRoot: string): Option =>
  new Option('--state-dir <dir>', "the local cloud's state folder (endpoints.json, logs/)")
    .default(join(projectRoot, '.local-cloud'), '.local-cloud')
    .argParser((dir) => resolve(dir));

/** `--aws [--stage] [--region]` and `--state-dir`: the options of every command that works on a Target. */
export interface TargetOptions extends StateDirOptions {
  aws?: boolean;
  stage: string;
  region?: string;
}

export const withTargetOptions = (command: Command, projectRoot: string): Command =>
  command
    .option('--aws', 'work on a deployed stage on AWS instead of the local cloud (names from its stack outputs)')
    .option('--stage <stage>', 'the stage it was deployed with (with --aws)', 'dev')
    .option('--region <region>', "its region (with --aws; default: the AWS SDK's, e.g. AWS_REGION)")
    .addOption(stateDirOption(projectRoot));

export const targetOf = (options: TargetOptions, projectRoot: string): Promise<Target> =>
  resolveTarget({
    aws: options.aws ?? false,
    stage: options.stage,
    ...(options.region ? { region: options.region } : {}),
    stateDir: options.stateDir,
    projectRoot,
  });
