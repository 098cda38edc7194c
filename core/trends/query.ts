/**
 * What a trend is asked for, checked once for both askers: `npm run trends` (--from, --to, --by,
 * --top, --prefix) and the dashboard's /_dashboard/trends.json (from, to, by). A refusal names the
 * field as its asker spells it (`--from` on the command line, `from` in a URL) and says what was given.
 */

import { z } from 'zod';
import { daysOf, Granularities, periodsBefore, type Granularity } from './periods';

export interface TrendsQuery {
  from: string;
  to: string;
  by: Granularity;
  /** Phrases listed per period, top and rising each. */
  top: number;
  /** Only articles whose key starts with the input prefix plus this. */
  prefix?: string;
}

/** The fields as given: command-line options or URL parameters, all text. */
export type TrendsQueryInput = Partial<Record<'from' | 'to' | 'by' | 'top' | 'prefix', string>>;

export class TrendsQueryError extends Error {
  override readonly name = 'TrendsQueryError';
}

export const DEFAULT_GRANULARITY: Granularity = 'day';
export const DEFAULT_TOP = 10;
/** Without `from`: this many periods up to `to` (a week by day, four weeks, a quarter by month). */
export const DEFAULT_SPAN: Record<Granularity, number> = { day: 7, week: 4, month: 3 };

const got = (issue: { input?: unknown }) => `; got ${JSON.stringify(issue.input)}`;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (value: string) => DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
const isNumber = (value: string) => value.trim() !== '' && Number.isFinite(Number(value));

const day = z.string().refine(isDay, { error: (issue) => `must be a date like 2026-11-04${got(issue)}` });

/** Each field on its own; the checks between fields and the defaults that depend on today are in trendsQuery. */
export const trendsQueryFields = z.object({
  from: day.optional(),
  to: day.optional(),
  by: z.enum(Granularities, { error: (issue) => `must be one of ${Granularities.join(', ')}${got(issue)}` }).default(DEFAULT_GRANULARITY),
  top: z
    .string()
    .refine(isNumber, { error: (issue) => `must be a number${got(issue)}`, abort: true })
    .refine((value) => Number.isInteger(Number(value)) && Number(value) >= 1, {
      error: (issue) => `must be a whole number of at least 1${got(issue)}`,
    })
    .transform(Number)
    .default(DEFAULT_TOP),
  prefix: z
    .string()
    .optional()
    .transform((value) => value || undefined),
});

export interface TrendsQueryRules {
  /** The day `to` defaults to, YYYY-MM-DD. */
  today: string;
  /** How the asker spells a field in a refusal; by default as it is (`from`). */
  name?: (field: keyof TrendsQueryInput) => string;
  /** Without `from`: this many days up to `to`, whatever `by`; by default DEFAULT_SPAN periods of `by`. */
  defaultDays?: number;
  /** The longest range accepted, in days; by default any. */
  maxDays?: number;
}

/** The query the fields ask for, with defaults filled in; TrendsQueryError when a field or the range is refused. */
export const trendsQuery = (input: TrendsQueryInput, rules: TrendsQueryRules): TrendsQuery => {
  const name = rules.name ?? ((field) => field);
  const parsed = trendsQueryFields.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrendsQueryError(`${name(issue?.path[0] as keyof TrendsQueryInput)} ${issue?.message ?? 'is not valid'}`);
  }
  const { by, top, prefix } = parsed.data;
  const to = parsed.data.to ?? rules.today;
  const from =
    parsed.data.from ??
    (rules.defaultDays ? periodsBefore(to, 'day', rules.defaultDays - 1) : periodsBefore(to, by, DEFAULT_SPAN[by] - 1)).start;
  if (from > to) throw new TrendsQueryError(`${name('from')} ${from} is after ${name('to')} ${to}`);
  if (rules.maxDays !== undefined && daysOf({ start: from, end: to }).length > rules.maxDays)
    throw new TrendsQueryError(`at most ${rules.maxDays} days at once; ${from} to ${to} is longer`);
  return { from, to, by, top, ...(prefix ? { prefix } : {}) };
};
