import type { LedgerRow } from '../../../core/ledger';
import { partsProgress } from '../../../core/long-article/steps';
import { formatResults } from '../../../cli/results';

const base = {
  articleId: 'a'.repeat(32),
  bucket: 'b',
  key: 'input/long/paper.txt',
  receivedAt: '2026-11-26T12:00:00.000Z',
  requestCount: 7,
} as LedgerRow;

describe('a long article’s progress, for people', () => {
  it('counts parts while they are summarized, then the reduce level, then the requests it took', () => {
    expect(partsProgress({ ...base, state: 'QUEUED' })).toBeUndefined();
    expect(partsProgress({ ...base, state: 'QUEUED', parts: 7, partsDone: 3, level: 0, levelSize: 7 })).toBe('3/7 parts');
    expect(partsProgress({ ...base, state: 'QUEUED', parts: 7, partsDone: 7, level: 1, levelDone: 0, levelSize: 2, requestCount: 9 })).toBe(
      '7/7 parts, reducing: level 1, 0/2',
    );
    expect(partsProgress({ ...base, state: 'FAILED', parts: 7, partsDone: 6, level: 0 })).toBe('6/7 parts');
    expect(partsProgress({ ...base, state: 'COMPLETED', parts: 7, partsDone: 7, level: 2, levelSize: 1, requestCount: 10 })).toBe(
      '7 parts, 10 requests',
    );
  });

  it('is shown by npm run results beside the key, with where the part summaries are', () => {
    const rows: LedgerRow[] = [
      { ...base, state: 'QUEUED', parts: 7, partsDone: 3, level: 0, levelSize: 7 },
      {
        ...base,
        key: 'input/long/done.txt',
        state: 'COMPLETED',
        parts: 2,
        partsDone: 2,
        level: 1,
        levelSize: 1,
        requestCount: 3,
        summary: 'Short.',
        partSummariesLocation: 's3://b/summaries/x.json',
      },
      { ...base, key: 'input/short.txt', state: 'COMPLETED', requestCount: 1, summary: 'One.' },
    ];

    const text = formatResults(rows);

    expect(text).toContain('QUEUED    input/long/paper.txt  (3/7 parts)');
    expect(text).toContain('COMPLETED input/long/done.txt  (2 parts, 3 requests)');
    expect(text).toContain('part summaries: s3://b/summaries/x.json');
    expect(text).toMatch(/COMPLETED input\/short\.txt\n/);
  });
});
