import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../../local/support/journal';
import { readLines } from '../../../local/support/journal-lines';

describe('Journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rs-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replays what is still pending after a restart, and tolerates a line cut short by a kill', () => {
    const file = join(dir, 'j.jsonl');
    const first = new Journal<{ n: number }>(file);
    first.add('a', { n: 1 });
    first.add('b', { n: 2 });
    first.done('a');
    writeFileSync(file, `${readFileSync(file, 'utf-8')}{"op":"add","id":"c","it`);

    const reopened = new Journal<{ n: number }>(file);

    expect(reopened.entries()).toEqual([['b', { n: 2 }]]);
    expect(readFileSync(file, 'utf-8')).toBe('{"op":"add","id":"b","item":{"n":2}}\n');
  });

  it('compacts while running: a long run keeps the file proportional to the pending work', () => {
    const file = join(dir, 'j.jsonl');
    const journal = new Journal<{ n: number }>(file, { compactFloor: 100 });

    let largest = 0;
    for (let n = 0; n < 2_000; n++) {
      journal.add(`id-${n}`, { n });
      if (n >= 3) journal.done(`id-${n - 3}`); // three always pending
      largest = Math.max(largest, [...readLines(file)].length);
    }

    expect(largest).toBeLessThanOrEqual(101);
    expect(journal.recordsInFile).toBeLessThanOrEqual(101);
    expect(new Journal<{ n: number }>(file).entries().map(([id]) => id)).toEqual(['id-1997', 'id-1998', 'id-1999']);
  });
});
