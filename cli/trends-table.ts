/** `npm run trends`'s output: the periods as JSON, as CSV, or as a readable table. */

import type { PeriodTrend } from '../core/trends/periods';
import { printable } from './printable';

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
