// The first step of `npm test`: finds the two system tools the tests drive, and installs what is missing.
//  - the AWS CLI v2 (the end-to-end test drives the local cloud with it): Debian's `awscli` package;
//  - Chromium (the dashboard test loads the page in it through playwright-core, which never downloads a
//    browser): Debian's `chromium`, with `fonts-liberation` so the page renders text.
// As root with apt-get, it runs `apt-get update` and `apt-get install -y <missing>` and says so; otherwise it
// prints the exact command and fails, so no test is ever skipped for a missing tool.
// The tests find the tools with the same functions (test/support/tools.ts).
// Usage: node scripts/ensure-test-tools.js
const { spawnSync } = require('node:child_process');
const { accessSync, constants } = require('node:fs');
const path = require('node:path');

const say = (line) => process.stdout.write(`${line}\n`);
const complain = (line) => process.stderr.write(`${line}\n`);

/** Every executable called `name` on `pathEnv`, in PATH order, without repeats. */
const onPath = (name, pathEnv = process.env.PATH ?? '') => {
  const found = [];
  for (const dir of pathEnv.split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (!found.includes(file)) found.push(file);
    } catch {
      // not here
    }
  }
  return found;
};

/** What `file --version` prints, or '' when it cannot run (a broken pyenv shim, say). */
const versionOf = (file) => {
  const run = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, AWS_PAGER: '' } });
  return run.status === 0 ? (`${run.stdout}${run.stderr}`.trim().split('\n')[0] ?? '') : '';
};

/**
 * The AWS CLI v2: Debian's /usr/bin/aws when it is v2, else the first v2 on PATH. A pip or pyenv `aws`
 * v1 often comes first on PATH and speaks an older CLI, so each candidate must print `aws-cli/2`.
 */
const findAwsCliV2 = ({ pathEnv = process.env.PATH ?? '', preferred = ['/usr/bin/aws'], version = versionOf } = {}) => {
  const candidates = [...new Set([...preferred, ...onPath('aws', pathEnv)])];
  for (const file of candidates) {
    const printed = version(file);
    if (printed.startsWith('aws-cli/2')) return { path: file, version: printed };
  }
  return undefined;
};

/** Chromium as Debian (`chromium`) or other distributions (`chromium-browser`) name it, first on PATH. */
const findChromium = ({ pathEnv = process.env.PATH ?? '' } = {}) => {
  const file = [...onPath('chromium', pathEnv), ...onPath('chromium-browser', pathEnv)][0];
  return file ? { path: file } : undefined;
};

/** Debian packages for what is missing, and the commands that install them. */
const installPlan = ({ awsCli, chromium }) => {
  const packages = [...(awsCli ? [] : ['awscli']), ...(chromium ? [] : ['chromium', 'fonts-liberation'])];
  return {
    packages,
    commands: packages.length
      ? [
          ['apt-get', 'update'],
          ['apt-get', 'install', '-y', ...packages],
        ]
      : [],
  };
};

const find = () => ({ awsCli: findAwsCliV2(), chromium: findChromium() });

const main = () => {
  const found = find();
  const { packages, commands } = installPlan(found);
  if (packages.length > 0) {
    const shell = commands.map((c) => c.join(' ')).join(' && ');
    const isRoot = process.getuid?.() === 0;
    if (!isRoot || onPath('apt-get').length === 0) {
      complain(
        `npm test needs the AWS CLI v2 and Chromium; missing: ${packages.join(', ')}.\n` +
          (onPath('apt-get').length
            ? `Install them with:\n  sudo sh -c '${shell}'\n`
            : "Install the AWS CLI v2 and Chromium with your system's package manager.\n") +
          'Then run npm test again.',
      );
      process.exit(1);
    }
    say(`npm test: installing what the tests need: ${shell}`);
    for (const [command, ...args] of commands) {
      const run = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      if (run.status !== 0) {
        complain(`npm test: \`${[command, ...args].join(' ')}\` failed (exit ${run.status ?? run.signal}).`);
        process.exit(1);
      }
    }
  }
  const { awsCli, chromium } = packages.length ? find() : found;
  if (!awsCli || !chromium) {
    complain(
      `npm test: still missing after the install: ${[awsCli ? '' : 'AWS CLI v2', chromium ? '' : 'Chromium'].filter(Boolean).join(', ')}.`,
    );
    process.exit(1);
  }
  say(
    `npm test: ${awsCli.version} at ${awsCli.path}; Chromium at ${chromium.path}${packages.length ? ` (installed ${packages.join(' ')})` : ''}`,
  );
};

if (require.main === module) main();

module.exports = { findAwsCliV2, findChromium, installPlan, onPath };
