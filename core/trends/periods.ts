/**
 * `npm run trends`: per period (day, ISO week or month of the published day), how many articles were
 * summarized, their most frequent key phrases, and the phrases rising against the LOOKBACK_PERIODS periods
 * before (core/trends/log-odds.ts). Pure: the reader (adapters/published-day-index.ts) hands in one day's rows at
 * a time, and only per-day counts are kept, so 100,000 rows cost a table of counts, not the rows.
 */

import { morePrecise, risingPhrases, type PhraseScore } from './log-odds';

export const Granularities = ['day', 'week', 'month'] as const;
export type Granularity = (typeof Granularities)[number];
/** How many periods before each one form its reference for "rising". */
export const LOOKBACK_PERIODS = 4;
/** A phrase is listed as rising from one standard error above its earlier share; below that it is noise. */
export const MIN_RISING_SCORE = 1;
/** A phrase in one article is not a trend, however new it is. */
export const MIN_RISING_ARTICLES = 2;

/** What the byPublishedDay index gives for one article. */
export interface TrendRow {
  articleId: string;
  publishedDay: string;
  state?: string;
  key?: string;
  title?: string;
  keyphrases?: string[];
}

/** Articles and phrase counts (articles with the phrase) of one day. */
export interface DayCounts {
  articles: number;
  phrases: Map<string, number>;
}

export interface Period {
  start: string;
  end: string;
}

export interface PeriodTrend extends Period {
  articles: number;
  top: { phrase: string; count: number }[];
  rising: PhraseScore[];
}

const DAY_MS = 86_400_000;
const toDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** Only summarized articles count: a failed or rejected upload is not research anyone can read. */
export const countsOfDay = (rows: Iterable<TrendRow>): DayCounts => {
  const counts: DayCounts = { articles: 0, phrases: new Map() };
  for (const row of rows) {
    if (row.state !== 'COMPLETED') continue;
    counts.articles++;
    for (const phrase of new Set(row.keyphrases ?? [])) counts.phrases.set(phrase, (counts.phrases.get(phrase) ?? 0) + 1);
  }
  return counts;
};

/** The period holding a day: the day itself, its ISO week (Monday to Sunday) or its calendar month. */
export const periodOf = (day: string, by: Granularity): Period => {
  if (by === 'day') return { start: day, end: day };
  if (by === 'week') {
    const ms = msOf(day);
    const monday = ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY_MS;
    return { start: toDay(monday), end: toDay(monday + 6 * DAY_MS) };
  }
  const [year, month] = day.split('-').map(Number) as [number, number];
  return { start: `${day.slice(0, 7)}-01`, end: toDay(Date.UTC(year, month, 1) - DAY_MS) };
};

/** The periods from the one holding `from` to the one holding `to`, oldest first. */
export const periodsBetween = (from: string, to: string, by: Granularity): Period[] => {
  const periods: Period[] = [];
  for (let period = periodOf(from, by); period.start <= to; period = periodOf(toDay(msOf(period.end) + DAY_MS), by)) periods.push(period);
  return periods;
};

/** The period `count` periods before the one holding `day`. */
export const periodsBefore = (day: string, by: Granularity, count: number): Period => {
  let period = periodOf(day, by);
  for (let i = 0; i < count; i++) period = periodOf(toDay(msOf(period.start) - DAY_MS), by);
  return period;
};

export const daysOf = (period: Period): string[] => {
  const days: string[] = [];
  for (let ms = msOf(period.start); ms <= msOf(period.end); ms += DAY_MS) days.push(toDay(ms));
  return days;
};

const merged = (counts: (DayCounts | undefined)[]): DayCounts => {
  const total: DayCounts = { articles: 0, phrases: new Map() };
  for (const day of counts) {
    if (!day) continue;
    total.articles += day.articles;
    for (const [phrase, n] of day.phrases) total.phrases.set(phrase, (total.phrases.get(phrase) ?? 0) + n);
  }
  return total;
};

/**
 * The trend of each period in `periods` from the counts by day (which must also cover the
 * LOOKBACK_PERIODS periods before the first, for its rising phrases).
 */
export const trendsOf = (days: ReadonlyMap<string, DayCounts>, periods: Period[], by: Granularity, top: number): PeriodTrend[] =>
  periods.map((period) => {
    const counts = merged(daysOf(period).map((d) => days.get(d)));
    const reference = merged(
      daysOf({ start: periodsBefore(period.start, by, LOOKBACK_PERIODS).start, end: toDay(msOf(period.start) - DAY_MS) }).map((d) =>
        days.get(d),
      ),
    );
    return {
      ...period,
      articles: counts.articles,
      top: [...counts.phrases]
        .map(([phrase, count]) => ({ phrase, count }))
        .sort((a, b) => b.count - a.count || morePrecise(a.phrase, b.phrase))
        .slice(0, top),
      rising: risingPhrases(counts.phrases, reference.phrases)
        .filter((r) => r.score >= MIN_RISING_SCORE && r.count >= MIN_RISING_ARTICLES)
        .slice(0, top)
        .map((r) => ({ ...r, score: Math.round(r.score * 100) / 100 })),
    };
  });
