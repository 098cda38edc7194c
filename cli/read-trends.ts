import { PublishedDayIndex } from '../adapters/published-day-index';
import { readTrends } from '../core/trends/read';
import type { PeriodTrend } from '../core/trends/periods';
import { trendsQuery, type TrendsQuery, type TrendsQueryInput } from '../core/trends/query';
import type { Target } from './target';

/** The command line's options through the shared trends query schema: to today, from the span before it. */
export const parseTrendsQuery = (values: TrendsQueryInput, today: string): TrendsQuery =>
  trendsQuery(values, { today, name: (field) => `--${field}` });

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
