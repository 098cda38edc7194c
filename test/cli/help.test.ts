import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../support/local-cloud';
import { runInProcess } from './run-cli';

const run = promisify(execFile);

const TARGET = ['--aws', '--stage', '--region', '--state-dir'];

/** The command line's interface: every command and each of its options (docs/usage.md). */
const COMMANDS: Record<string, string[]> = {
  start: [
    '--port',
    '--time-scale',
    '--provisioning-delay',
    '--model',
    '--latency-ms',
    '--model-error-rate',
    '--model-crash-after',
    '--model-slow-rate',
    '--model-slow-ms',
    '--model-fail-start-rate',
    '--s3-error-rate',
    '--dynamodb-error-rate',
    '--duplicate-rate',
    '--state-dir',
  ],
  drop: ['--prefix', '--published', ...TARGET],
  results: ['--state', '--since', '--json', ...TARGET],
  status: ['--prefix', '--watch', '--json', ...TARGET],
  trends: ['--from', '--to', '--by', '--top', '--prefix', '--json', '--csv', ...TARGET],
  reconcile: ['--ttl', '--timeout', '--grace', ...TARGET],
  retry: ['--state', ...TARGET],
  'upgrade-ledger': TARGET,
  demo: ['--time-scale'],
};

/** The long flags a help text lists, one per option line (`  -h, --help  display help …`). */
const listedOptions = (help: string): string[] =>
  [...help.split('Options:')[1]!.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1] as string);

/** The commands a help text lists under `Commands:`. */
const listedCommands = (help: string): string[] => [...help.split('Commands:')[1]!.matchAll(/^ {2}([\w-]+)/gm)].map((m) => m[1] as string);

describe('the generated help', () => {
  it('lists every command, and prints itself with exit code 0 on --help', async () => {
    const { code, stdout, stderr } = await runInProcess('--help');

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: npm run <command> -- \[options\]\n/);
    expect(listedCommands(stdout)).toEqual([...Object.keys(COMMANDS), 'help']);
  });

  it('prints the same help on stdout with exit code 2 when no command is given', async () => {
    const help = await runInProcess('--help');

    expect(await runInProcess()).toEqual({ code: 2, stdout: help.stdout, stderr: '' });
  });

  it.each(Object.entries(COMMANDS))('shows each option of %s, and no other', async (name, options) => {
    const { code, stdout, stderr } = await runInProcess(name, '--help');

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(new RegExp(`^Usage: npm run ${name} -- \\[options\\]`));
    expect(listedOptions(stdout).sort()).toEqual([...options, '--help'].sort());
  });

  it('shows the defaults a command falls back to', async () => {
    expect((await runInProcess('start', '--help')).stdout).toMatch(
      /--port <port> +edge port, on 127\.0\.0\.1 only \(0: any free\s+port\) \(default: 4566\)/,
    );
    expect((await runInProcess('reconcile', '--help')).stdout).toMatch(/--ttl <seconds>.*\(default: 21600\)/);
    expect((await runInProcess('trends', '--help')).stdout).toMatch(/--by <period> +day\|week\|month \(default: day\)/);
  });

  it('is what the built command line prints: `node dist/cli/main.js --help` and `start --help`', async () => {
    const main = join(projectRoot, 'dist', 'cli', 'main.js');

    const program = await run(process.execPath, [main, '--help']);
    const start = await run(process.execPath, [main, 'start', '--help']);

    expect(program.stdout).toBe((await runInProcess('--help')).stdout);
    expect(start.stdout).toBe((await runInProcess('start', '--help')).stdout);
  });
});
