import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Endpoints } from '../local/types';

/**
 * The local cloud as `npm start` runs it (the built CLI, dist/cli/main.js) in a process of its own, for
 * the kill -9 tests (test/support/child-cloud.ts) and bench:sdk-floor --local-cloud.
 */

/** Its arguments: a free port, the fixed-latency stand-in model (100 ms), its state in `stateDir`, then `extra`. */
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

/**
 * The endpoints it wrote to its state folder, once its edge answers; undefined when `timeoutMs` passes
 * first, or `gone()` says the process has ended.
 */
export const endpointsOnceUp = async (
  stateDir: string,
  { timeoutMs, gone = () => false }: { timeoutMs: number; gone?: () => boolean },
): Promise<Endpoints | undefined> => {
  const deadline = Date.now() + timeoutMs;
  const file = join(stateDir, 'endpoints.json');
  while (Date.now() < deadline && !gone()) {
    if (existsSync(file)) {
      const endpoints = JSON.parse(readFileSync(file, 'utf-8')) as Endpoints;
      const health = await fetch(`${endpoints.edgeUrl}/_localcloud/health`).catch(() => undefined);
      if (health?.ok) return endpoints;
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  return undefined;
};
