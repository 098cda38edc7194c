/**
 * Packages the service with other parameters, as `serverless deploy --param=...` would for a stage,
 * without touching the project's own .serverless/ and .esbuild/ (the local cloud and the other tests
 * use them): the configuration is copied to a temporary folder, the sources are linked, and
 * `serverless package` runs there with no credentials, as scripts/build.js runs it.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const projectRoot = path.resolve(__dirname, '..', '..');
const LINKED = ['functions', 'core', 'adapters', 'resources', 'deploy', 'node_modules'];
const COPIED = ['serverless.yml', 'package.json', 'tsconfig.json'];

export interface PackagedStage {
  template: Record<string, unknown>;
  /** Removes the temporary folder. */
  remove(): Promise<void>;
}

export const packageWithParams = async (params: Record<string, string>): Promise<PackagedStage> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'research-summarizer-package-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await Promise.all([
      ...LINKED.map((name) => symlink(path.join(projectRoot, name), path.join(dir, name))),
      ...COPIED.map((name) => copyFile(path.join(projectRoot, name), path.join(dir, name))),
    ]);
    await promisify(execFile)(
      path.join(dir, 'node_modules', '.bin', 'serverless'),
      ['package', ...Object.entries(params).map(([key, value]) => `--param=${key}=${value}`)],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: 'true', CI: 'true' },
        timeout: 300_000,
      },
    );
    const template = JSON.parse(
      await readFile(path.join(dir, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as Record<string, unknown>;
    return { template, remove };
  } catch (error) {
    await remove();
    throw error;
  }
};
