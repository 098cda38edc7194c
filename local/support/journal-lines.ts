/**
 * The journal's file mechanics (journal.ts). A journal is read a block at a time, line by line: read into one string,
 * a journal of a few hundred thousand entries passes V8's string limit and the local cloud could not
 * restart. Lines are split on the newline byte and decoded one by one, so a UTF-8 character split
 * across two blocks is read whole.
 */

import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, writeSync } from 'node:fs';

const BLOCK_BYTES = 1 << 20;

export function* readLines(path: string, blockBytes = BLOCK_BYTES): Generator<string> {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.alloc(blockBytes);
    let carry = Buffer.alloc(0);
    for (;;) {
      const read = readSync(fd, block, 0, blockBytes, null);
      if (read === 0) break;
      let data = carry.length > 0 ? Buffer.concat([carry, block.subarray(0, read)]) : block.subarray(0, read);
      let newline = data.indexOf(0x0a);
      while (newline >= 0) {
        yield data.subarray(0, newline).toString('utf-8');
        data = data.subarray(newline + 1);
        newline = data.indexOf(0x0a);
      }
      carry = Buffer.from(data); // a copy: `block` is reused for the next read
    }
    if (carry.length > 0) yield carry.toString('utf-8');
  } finally {
    closeSync(fd);
  }
}

/** Replaces the file with `lines` (write, fsync, rename): a kill meanwhile leaves the old file whole. */
export const rewriteLines = (path: string, lines: Iterable<string>): void => {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    for (const line of lines) writeSync(fd, `${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
};

/**
 * When to compact while running: once the file holds more than twice the live entries and at least
 * `floor` records, so a long run's journal stays proportional to its pending work and the rewrite
 * costs amortised O(1) per record.
 */
export const shouldCompact = (recordsInFile: number, live: number, floor = 10_000): boolean =>
  recordsInFile >= floor && recordsInFile > 2 * live;
