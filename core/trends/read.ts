/**
 * Reading a trend from the ledger by published day: the days of the requested periods and of the
 * LOOKBACK_PERIODS before them, one day at a time (the command line and the dashboard share it).
 */

import type { PublishedDays } from '../ports';
import type { TrendsQuery } from './query';
import {
  countsOfDay,
  daysOf,
  LOOKBACK_PERIODS,
  periodOf,
  periodsBefore,
  periodsBetween,
  trendsOf,
  type DayCounts,
  type PeriodTrend,
  type TrendRow,
} from './periods';

export interface TrendsResult {
  periods: PeriodTrend[];
  /** Completed articles per published day over the requested periods, oldest first (days without any included). */
  days: { day: string; articles: number }[];
}

/** `keyPrefix`: only articles whose key starts with it (the full key prefix, input/ included). */
export const readTrends = async (index: PublishedDays, query: Omit<TrendsQuery, 'prefix'>, keyPrefix?: string): Promise<TrendsResult> => {
  const periods = periodsBetween(query.from, query.to, query.by);
  const first = periods[0] ?? periodOf(query.from, query.by);
  const last = periods[periods.length - 1] ?? first;
  const counts = new Map<string, DayCounts>();
  for (const day of daysOf({ start: periodsBefore(first.start, query.by, LOOKBACK_PERIODS).start, end: last.end })) {
    const rows: TrendRow[] = [];
    for await (const page of index.rowsOn(day, keyPrefix)) rows.push(...page);
    const dayCounts = countsOfDay(rows);
    if (dayCounts.articles > 0) counts.set(day, dayCounts);
  }
  return {
    periods: trendsOf(counts, periods, query.by, query.top),
    days: daysOf({ start: first.start, end: last.end }).map((day) => ({ day, articles: counts.get(day)?.articles ?? 0 })),
  };
};

/** The completed articles of the period that have `phrase`, at most `limit`, oldest published first. */
export const articlesWithPhrase = async (
  index: PublishedDays,
  period: { start: string; end: string },
  phrase: string,
  limit: number,
): Promise<TrendRow[]> => {
  const found: TrendRow[] = [];
  for (const day of daysOf(period)) {
    for await (const page of index.rowsOn(day)) {
      for (const row of page) {
        if (row.state === 'COMPLETED' && row.keyphrases?.includes(phrase)) found.push(row);
        if (found.length >= limit) return found;
      }
    }
  }
  return found;
};
