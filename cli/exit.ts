/**
 * The one way the command line ends. process.exit() drops whatever stdout and stderr still hold, and to
 * a pipe Node writes asynchronously once the pipe is full (https://nodejs.org/api/process.html#a-note-on-process-io),
 * so `npm run results -- --json | jq` stopped at 65,536 bytes, the pipe's capacity. Each stream is
 * flushed first: a write's callback runs once everything written before it has been handed to the
 * operating system. Whether stdout is a pipe, a file or a terminal, the output is complete.
 */

/** What the exit path needs of stdout and stderr. */
interface Output {
  writable?: boolean;
  write(chunk: string, callback: (error?: Error | null) => void): boolean;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

const flushed = (stream: Output): Promise<void> =>
  new Promise((resolve) => {
    // A stream already closed or broken holds nothing more that can be written.
    if (stream.writable === false) return resolve();
    stream.write('', () => resolve());
  });

/**
 * A reader that goes away (`| head`) breaks the pipe: nothing more the command prints can arrive, so
 * it ends at once, quietly and with 0, as a Unix tool ends on SIGPIPE without a message (npm would
 * report any other code as a failed script). Any other write error still throws.
 */
export const endingWhenReaderCloses = (
  streams: readonly Output[] = [process.stdout, process.stderr],
  exit: (code: number) => void = (c) => process.exit(c),
): void => {
  for (const stream of streams)
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      exit(0);
    });
};

/** Exits with `code` once stdout and stderr have handed everything written to the operating system. */
export const exitWhenFlushed = async (
  code: number,
  streams: readonly Output[] = [process.stdout, process.stderr],
  exit: (code: number) => void = (c) => process.exit(c),
): Promise<void> => {
  await Promise.all(streams.map(flushed));
  exit(code);
};
