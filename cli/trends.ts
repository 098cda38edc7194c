import { PublishedDayIndex } from '../adapters/published-day-index';
import { readTrends } from '../core/trends/read';
import type { PeriodTrend } from '../core/trends/periods';
import { publishedDate } from '../core/trends/published-date';
import { trendsQuery, type TrendsQuery, type TrendsQueryInput } from '../core/trends/query';
import { printable } from './printable';
import type { Target } from './target';

/** The command line's options through the shared trends query schema: to today, from the span before it. */
export const parseTrendsQuery = (values: TrendsQueryInput, today: string): TrendsQuery =>
  trendsQuery(values, { today, name: (field) => `--${field}` });

/** `drop --published`: a date the pipeline will take, checked before anything is uploaded. */
export const checkedPublished = (value: string | undefined, now = new Date()): string | undefined => {
  if (value === undefined) return undefined;
  const { publishedIgnored } = publishedDate(value, now.toISOString());
  if (publishedIgnored) throw new Error(`--published: ${publishedIgnored.replace(/; the upload day .*$/, '')}`);
  return value.trim();
};

/** The trend of each requested period, read from the byPublishedDay index one day at a time. */
export const runTrends = async (target: Pick<Target, 'dynamo' | 'table' | 'inputPrefix'>, query: TrendsQuery): Promise<PeriodTrend[]> => {
  const keyPrefix =
    query.prefix === undefined
      ? undefined
      : query.prefix.startsWith(target.inputPrefix)
        ? query.prefix
        : `${target.inputPrefix}${query.prefix}`;
  const { periods } = await readTrends(new PublishedDayIndex(target.dynamo, target.table), query, keyPrefix);
  return periods;
};

export const formatTrendsJson = (periods: PeriodTrend[]): string => JSON.stringify({ periods }, null, 2);

/** One row per period and phrase: kind top or rising, rank, count, score (rising only). */
export const formatTrendsCsv = (periods: PeriodTrend[]): string => {
  const cell = (value: string | number) => (typeof value === 'number' ? String(value) : `"${value.replace(/"/g, '""')}"`);
  const lines = ['start,end,articles,kind,rank,phrase,count,score'];
  for (const p of periods) {
    p.top.forEach((t, i) => lines.push([p.start, p.end, p.articles, 'top', i + 1, cell(t.phrase), t.count, ''].join(',')));
    p.rising.forEach((r, i) => lines.push([p.start, p.end, p.articles, 'rising', i + 1, cell(r.phrase), r.count, r.score].join(',')));
  }
  return lines.join('\n');
};

/** A readable table: per period its article count, then top and rising phrases side by side. */
export const formatTrends = (periods: PeriodTrend[]): string => {
  const blocks = periods.map((p) => {
    const head = `${p.start === p.end ? p.start : `${p.start} .. ${p.end}`}  ${p.articles} article(s)`;
    if (p.articles === 0) return head;
    const rows = Math.max(p.top.length, p.rising.length);
    const lines = [`  ${'top phrases (articles)'.padEnd(40)} rising (z-score, articles)`];
    for (let i = 0; i < rows; i++) {
      const t = p.top[i];
      const r = p.rising[i];
      const left = t ? `${printable(t.phrase)} (${t.count})` : '';
      const right = r ? `${printable(r.phrase)} (${r.score.toFixed(2)}, ${r.count})` : '';
      lines.push(`  ${left.padEnd(40)} ${right}`);
    }
    return [head, ...lines].join('\n');
  });
  return blocks.join('\n\n');
};
