import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLines } from '../../../local/support/journal-lines';

describe('reading a journal line by line', () => {
  it('reads lines across block boundaries, multi-byte characters whole, and a last line without a newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-lines-'));
    try {
      const file = join(dir, 'j.jsonl');
      writeFileSync(file, 'ü€😀 first\n\nsecond ü€😀 line\n{"torn":');

      expect([...readLines(file, 3)]).toEqual(['ü€😀 first', '', 'second ü€😀 line', '{"torn":']);
      expect([...readLines(file)]).toEqual(['ü€😀 first', '', 'second ü€😀 line', '{"torn":']);
      expect([...readLines(join(dir, 'missing.jsonl'))]).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
