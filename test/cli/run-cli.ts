import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/program';

/**
 * One command line run in this process, as dist/cli/main.js runs it, with stdout and stderr captured.
 * The project root is an empty folder, so the default state folder holds no local cloud: a command
 * that got past its checks would fail on that, not reach a running `npm start`.
 */
export const runInProcess = async (...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    projectRoot: mkdtempSync(join(tmpdir(), 'rs-cli-root-')),
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    columns: () => undefined,
  });
  return { code, stdout, stderr };
};
