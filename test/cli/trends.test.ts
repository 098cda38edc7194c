import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { checkedPublished, collectFiles, dropFiles } from '../../cli/drop';
import { parseTrendsQuery } from '../../cli/read-trends';
import { formatTrends, formatTrendsCsv } from '../../cli/trends-table';
import type { PeriodTrend } from '../../core/trends/periods';
import { startEmulators, type Emulators } from '../support/emulators';

describe('npm run trends: options', () => {
  it('defaults to the 7 days, 4 weeks or 3 months to today, and 10 phrases', () => {
    expect(parseTrendsQuery({}, '2026-11-20')).toEqual({ from: '2026-11-14', to: '2026-11-20', by: 'day', top: 10 });
    expect(parseTrendsQuery({ by: 'week' }, '2026-11-20')).toMatchObject({ from: '2026-10-26', to: '2026-11-20' });
    expect(parseTrendsQuery({ by: 'month', to: '2026-11-05' }, '2026-11-20')).toMatchObject({ from: '2026-09-01', to: '2026-11-05' });
    expect(parseTrendsQuery({ from: '2026-11-01', top: '3', prefix: 'archive/' }, '2026-11-20')).toEqual({
      from: '2026-11-01',
      to: '2026-11-20',
      by: 'day',
      top: 3,
      prefix: 'archive/',
    });
  });

  it.each([
    [{ by: 'year' }, /--by must be one of day, week, month/],
    [{ from: '1/11/2026' }, /--from must be a date like 2026-11-04/],
    [{ from: '2026-11-10', to: '2026-11-01' }, /--from 2026-11-10 is after --to 2026-11-01/],
    [{ top: '0' }, /--top must be a whole number of at least 1/],
    [{ top: 'ten' }, /--top must be a number/],
  ])('refuses %j, saying why', (values, message) => {
    expect(() => parseTrendsQuery(values, '2026-11-20')).toThrow(message);
  });

  it('checks drop --published before uploading anything', () => {
    expect(checkedPublished('2026-11-04')).toBe('2026-11-04');
    expect(checkedPublished(undefined)).toBeUndefined();
    expect(() => checkedPublished('yesterday')).toThrow(/^--published: published metadata "yesterday" is not an ISO 8601 date/);
  });
});

describe('npm run trends: output', () => {
  const periods: PeriodTrend[] = [
    { start: '2026-11-04', end: '2026-11-04', articles: 0, top: [], rising: [] },
    {
      start: '2026-11-05',
      end: '2026-11-05',
      articles: 6,
      top: [
        { phrase: 'heat pump', count: 4 },
        { phrase: 'say "hi", \u001b[31m', count: 1 },
      ],
      rising: [{ phrase: 'heat pump', score: 2.51, count: 4 }],
    },
  ];

  it('writes one CSV row per period and phrase, quoting phrases', () => {
    expect(formatTrendsCsv(periods).split('\n')).toEqual([
      'start,end,articles,kind,rank,phrase,count,score',
      '2026-11-05,2026-11-05,6,top,1,"heat pump",4,',
      '2026-11-05,2026-11-05,6,top,2,"say ""hi"", \u001b[31m",1,',
      '2026-11-05,2026-11-05,6,rising,1,"heat pump",4,2.51',
    ]);
  });

  it('prints a table with top and rising side by side, control characters made visible', () => {
    const text = formatTrends(periods);
    expect(text).toContain('2026-11-04  0 article(s)');
    expect(text).toMatch(
      /2026-11-05 {2}6 article\(s\)\n {2}top phrases \(articles\) +rising \(z-score, articles\)\n {2}heat pump \(4\) +heat pump \(2\.51, 4\)/,
    );
    expect(text).not.toContain('\u001b');
  });
});

describe('npm run drop --published', () => {
  let emulators: Emulators;
  let dir: string;
  beforeAll(async () => {
    emulators = await startEmulators();
    dir = mkdtempSync(join(tmpdir(), 'rs-drop-'));
  });
  afterAll(async () => {
    await emulators.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the date as the published user metadata of every file', async () => {
    writeFileSync(join(dir, 'a.txt'), 'Heat pumps cut bills.');
    const files = collectFiles([join(dir, 'a.txt')], 'input/').map((f) => ({ ...f, published: '2026-11-04' }));

    expect(await dropFiles({ s3: emulators.s3, bucket: emulators.bucket }, files)).toEqual([]);

    const head = await emulators.s3.send(new HeadObjectCommand({ Bucket: emulators.bucket, Key: 'input/a.txt' }));
    expect(head.Metadata).toEqual({ published: '2026-11-04' });
  });
});
