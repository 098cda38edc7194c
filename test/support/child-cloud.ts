import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudProcessArgs, endpointsOnceUp } from '../../bench/cloud-process';
import type { Endpoints } from '../../local/types';
import { projectRoot } from './local-cloud';

/**
 * `npm start`'s process (the built CLI), on a free port, with a stand-in model; for the kill -9 tests.
 * `output` gets what it prints, when given.
 */
export const startChildCloud = (stateDir: string, output?: (text: string) => void): ChildProcess => {
  const cloud = spawn(process.execPath, cloudProcessArgs(projectRoot, stateDir, ['--time-scale', '60']), {
    stdio: ['ignore', output ? 'pipe' : 'ignore', 'ignore'],
  });
  cloud.stdout?.on('data', (chunk: Buffer) => output?.(chunk.toString()));
  return cloud;
};

/** The endpoints a started cloud wrote to its state folder, once its edge answers. */
export const endpointsOf = async (stateDir: string): Promise<Endpoints> => {
  const endpoints = await endpointsOnceUp(stateDir, { timeoutMs: 60_000 });
  if (!endpoints) throw new Error(`the local cloud in ${stateDir} did not answer within 60 s`);
  return endpoints;
};

/** kill -9, and wait until the process is gone. */
export const killNow = async (cloud: ChildProcess): Promise<void> => {
  const exited = new Promise((resolve) => cloud.once('exit', resolve));
  cloud.kill('SIGKILL');
  await exited;
};

/**
 * A kill test's state folder, made before each test, and its cloud, killed and the folder removed after
 * it: set `cloud` to what startChildCloud returns.
 */
export const childCloudPerTest = (prefix: string): { stateDir: string; cloud?: ChildProcess } => {
  const current: { stateDir: string; cloud?: ChildProcess } = { stateDir: '' };
  beforeEach(() => {
    current.stateDir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (current.cloud && current.cloud.exitCode === null) await killNow(current.cloud);
    current.cloud = undefined;
    rmSync(current.stateDir, { recursive: true, force: true });
  });
  return current;
};
