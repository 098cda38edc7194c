import { join } from 'node:path';

/**
 * The arguments that run the local cloud as `npm start` does (the built CLI, dist/cli/main.js) in a
 * process of its own: on a free port, with the fixed-latency stand-in model (100 ms), its state in
 * `stateDir`, and `extra` options after those. For the kill -9 tests (test/support/child-cloud.ts) and
 * bench:sdk-floor --local-cloud.
 */
export const cloudProcessArgs = (projectRoot: string, stateDir: string, extra: string[] = []): string[] => [
  '--openssl-legacy-provider',
  join(projectRoot, 'dist', 'cli', 'main.js'),
  'start',
  '--port',
  '0',
  '--model',
  'fixed',
  '--latency-ms',
  '100',
  '--state-dir',
  stateDir,
  ...extra,
];
