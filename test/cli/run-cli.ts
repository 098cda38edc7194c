import { runCli } from '../../cli/program';

/**
 * One command line run in this process, as dist/cli/main.js runs it, with stdout and stderr captured.
 * The project root does not exist, so neither does the default state folder: a command that got past
 * its checks would fail on that, never reach a running `npm start`.
 */
export const runInProcess = async (...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    projectRoot: '/nonexistent/research-summarizer',
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    columns: () => undefined,
  });
  return { code, stdout, stderr };
};
