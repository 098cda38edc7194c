/**
 * The dynalite process (dynalite-process.ts starts it, bundled as dist/local/dynalite.js): dynalite
 * on the Unix socket it is given, with tables ACTIVE at once, one "listening" line when ready, and a
 * clean stop on SIGTERM or when the local cloud's process is gone (the IPC channel closes).
 */

import dynalite from 'dynalite';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`dynalite process: ${name} is not set`);
  return value;
};

const server = dynalite({ path: required('DYNALITE_DIR'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(required('DYNALITE_SOCKET'), () => process.stdout.write('listening\n'));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', () => undefined);
process.on('disconnect', stop);
