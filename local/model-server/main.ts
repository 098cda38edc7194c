/**
 * Process entry point of one model-server instance (bundled to a single file by the build). Stdout carries
 * exactly one line, {"event":"listening","port":N}, so a supervisor can read the port; everything else
 * goes to stderr. SIGTERM (what SageMaker sends before SIGKILL 30 s later) or SIGINT closes gracefully
 * and exits 0.
 */

import { parseCommandLine, USAGE, UsageError } from './options';
import { startModelServer } from './server';
import { describeError } from '../../core/errors';

const EXIT_USAGE = 2;
const EXIT_CRASH = 1;

const writeError = (entry: Record<string, unknown>): void => {
  process.stderr.write(`${JSON.stringify(entry)}\n`);
};

const main = async (): Promise<void> => {
  const options = parseCommandLine(process.argv.slice(2), process.env);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  // --fail-start-rate: an instance whose container dies before it listens (a bad image, no memory).
  if (options.failStartRate > 0 && Math.random() < options.failStartRate) {
    writeError({ event: 'crash', reason: `--fail-start-rate ${options.failStartRate}: failing at start-up` });
    process.exit(EXIT_CRASH);
  }
  const server = await startModelServer({
    ...options,
    log: options.verbose ? writeError : undefined,
    onCrash: () => {
      writeError({ event: 'crash', reason: `--crash-after ${options.crashAfter}` });
      process.exit(EXIT_CRASH);
    },
  });
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: server.port })}\n`);

  const stop = (signal: NodeJS.Signals): void => {
    if (options.verbose) writeError({ event: 'stopping', signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        writeError({ event: 'error', message: `close failed: ${describeError(error)}` });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Started by the local cloud with an IPC channel: if that process dies (even by kill -9), the
  // channel closes and this instance goes with it instead of lingering as an orphan.
  if (process.send) process.once('disconnect', stop);
};

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`model-server: ${error.message}\n\n${USAGE}`);
    process.exit(EXIT_USAGE);
  }
  writeError({ event: 'error', message: describeError(error) });
  process.exit(1);
});
