// The system tools the tests drive, found as `npm test`'s first step (scripts/ensure-test-tools.js) finds
// and installs them: a missing tool fails the test that needs it, with the command that installs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tools = require('../../scripts/ensure-test-tools.js') as {
  findAwsCliV2: (options?: {
    pathEnv?: string;
    preferred?: string[];
    version?: (file: string) => string;
  }) => { path: string; version: string } | undefined;
  findChromium: (options?: { pathEnv?: string }) => { path: string } | undefined;
  installPlan: (found: { awsCli?: unknown; chromium?: unknown }) => { packages: string[]; commands: string[][] };
  onPath: (name: string, pathEnv?: string) => string[];
};

export const { findAwsCliV2, findChromium, installPlan, onPath } = tools;

const missing = (what: string): Error =>
  new Error(`${what} not found: run \`node scripts/ensure-test-tools.js\` (the first step of npm test) to install it`);

/** The AWS CLI v2's path: /usr/bin/aws when it is v2, else the first v2 on PATH (a pyenv v1 may come first). */
export const awsCliV2 = (): string => {
  const found = findAwsCliV2();
  if (!found) throw missing('the AWS CLI v2');
  return found.path;
};

/** Chromium's path (`chromium` or `chromium-browser` on PATH), for playwright-core's executablePath. */
export const chromiumExecutable = (): string => {
  const found = findChromium();
  if (!found) throw missing('Chromium');
  return found.path;
};
