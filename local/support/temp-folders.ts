/**
 * Folders the local cloud makes in the system temp folder (dynalite's socket folder; the packaging
 * folder of scripts/build.js) carry their owner's pid in their name, `<prefix><pid>-<random>`. The
 * owner removes its folder when it stops; a start after a crash or a kill -9 removes the folders whose
 * owner is gone, and never one whose owner still runs: several local clouds and test runs may share
 * the machine. A pid the system has since given to another process keeps its folder (the safe side).
 */

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new folder only this user can enter (mkdtemp's mode is 0700), named after this process. */
export const ownedTempFolder = (prefix: string, root = tmpdir()): string => mkdtempSync(join(root, `${prefix}${process.pid}-`));

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** A folder name and the pid of its owner: the first capture group of `pattern`. */
export interface OwnedFolderPattern {
  pattern: RegExp;
}

const literally = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The pattern of `ownedTempFolder(prefix)`'s folders. */
export const ownedBy = (prefix: string): OwnedFolderPattern => ({ pattern: new RegExp(`^${literally(prefix)}(\\d+)-[^/]+$`) });

/**
 * Removes the folders under `root` that match a pattern and whose owner pid is not running; returns
 * their names. A folder that cannot be removed (another user's) is left as it is.
 */
export const removeOrphanedTempFolders = (
  patterns: OwnedFolderPattern[],
  { root = tmpdir(), alive = isProcessAlive }: { root?: string; alive?: (pid: number) => boolean } = {},
): string[] => {
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    const pid = patterns.map(({ pattern }) => Number(pattern.exec(name)?.[1])).find((n) => Number.isInteger(n) && n > 0);
    if (pid === undefined || pid === process.pid || alive(pid)) continue;
    try {
      rmSync(join(root, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Not ours to remove (another user's, in a shared temp folder): leave it.
    }
  }
  return removed;
};

/** scripts/build.js's packaging folders, `rs-package-<pid>-<random>`. */
export const PACKAGING_FOLDERS = ownedBy('rs-package-');

/**
 * The folders serverless-esbuild zipped each function from before scripts/build.js gave packaging a
 * folder of its own: `<function>-<pid of serverless>-<ms>-<8 hex>`, which it never removed. Named by
 * the framework's function keys (SubmitArticleLambdaFunction was `submitArticle`).
 */
export const esbuildZipFolders = (functionLogicalIds: string[]): OwnedFolderPattern => {
  const keys = functionLogicalIds.map((id) => {
    const key = id
      .replace(/LambdaFunction$/, '')
      .replace(/Dash/g, '-')
      .replace(/Underscore/g, '_');
    return literally(`${key.charAt(0).toLowerCase()}${key.slice(1)}`);
  });
  return { pattern: new RegExp(`^(?:${keys.join('|')})-(\\d+)-\\d{13}-[0-9a-f]{8}$`) };
};
