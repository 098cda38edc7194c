import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What creating a small file costs the disk under `dir` now, in µs of this process's CPU per file: the
 * local cloud's S3 store creates two files per object (and now and then a folder), and on some disks that cost moves by
 * an order of magnitude with what was deleted there in the minutes before (ext4 without a journal
 * checks each recently freed inode before it reuses one: `recently_deleted()` in fs/ext4/ialloc.c,
 * https://github.com/torvalds/linux/blob/master/fs/ext4/ialloc.c). The files are left in place for the
 * caller's own clean-up: deleting them would add to the very cost measured.
 */
export const fileCreationMicros = (dir: string, files = 300): number => {
  const probe = join(dir, 'file-creation-probe');
  mkdirSync(probe, { recursive: true });
  const before = process.cpuUsage();
  for (let i = 0; i < files; i++) {
    const fd = openSync(join(probe, `${i}`), 'wx');
    writeSync(fd, 'x');
    closeSync(fd);
  }
  const used = process.cpuUsage(before);
  return Math.round((used.user + used.system) / files);
};
