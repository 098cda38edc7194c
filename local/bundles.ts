/**
 * The local cloud's programs that run in a process or thread of their own, as scripts/build.js
 * bundles them from TypeScript (npm start, the benchmarks and the tests' global setup all build first).
 */

import { join } from 'node:path';

export type LocalProgram = 'model-server' | 'lambda-host' | 'lambda-worker' | 'dynalite';

export const localBundle = (projectRoot: string, program: LocalProgram): string => join(projectRoot, 'dist', 'local', `${program}.js`);
