import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  esbuildZipFolders,
  ownedBy,
  ownedTempFolder,
  PACKAGING_FOLDERS,
  removeOrphanedTempFolders,
} from '../../../local/support/temp-folders';

/** The pid of a process that has exited (and, this soon after, not been given to another). */
const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());

describe('temp folders named after their owner', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rs-temp-root-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('makes a private folder whose name carries this process id', () => {
    const folder = ownedTempFolder('rs-dynalite-', root);

    expect(basename(folder)).toMatch(new RegExp(`^rs-dynalite-${process.pid}-\\w{6}$`));
    expect(statSync(folder).mode & 0o777).toBe(0o700);
  });

  it('removes the folders of owners that are gone and keeps those of running ones and everything else', () => {
    // Prepare: a dead owner's socket and packaging folders, a live one's (a parent of this process:
    // another local cloud), this process's own, and folders that only look alike.
    const dead = deadPid();
    const live = process.ppid;
    const names = [
      `rs-dynalite-${dead}-aB3dE9`,
      `rs-package-${dead}-x1y2z3`,
      `rs-dynalite-${live}-Qw12Er`,
      `rs-dynalite-${process.pid}-Zx90Cv`,
      'rs-dynalite-Ab12Cd',
      `rs-dynalite-${dead}`,
      `other-${dead}-aB3dE9`,
    ];
    for (const name of names) mkdirSync(join(root, name));
    writeFileSync(join(root, names[0] as string, 'dynamodb.sock'), '');

    // Act
    const removed = removeOrphanedTempFolders([ownedBy('rs-dynalite-'), PACKAGING_FOLDERS], { root });

    // Assess
    expect(removed.sort()).toEqual([`rs-dynalite-${dead}-aB3dE9`, `rs-package-${dead}-x1y2z3`]);
    expect(readdirSync(root).sort()).toEqual(names.slice(2).sort());
  });

  it("removes serverless-esbuild's zip folders of a packaging process that is gone, for the stack's functions only", () => {
    // Prepare
    const dead = deadPid();
    const names = [
      `submitArticle-${dead}-1796599976026-64b345d4`,
      `recordResult-${dead}-1796599976028-b9fb443a`,
      `recordResult-${process.ppid}-1796599976028-b9fb443a`,
      `otherFunction-${dead}-1796599976028-b9fb443a`,
    ];
    for (const name of names) mkdirSync(join(root, name));

    // Act
    const removed = removeOrphanedTempFolders([esbuildZipFolders(['SubmitArticleLambdaFunction', 'RecordResultLambdaFunction'])], { root });

    // Assess
    expect(removed.sort()).toEqual(names.slice(0, 2).sort());
  });
});
