import { TrendsQueryError, trendsQuery } from '../../../core/trends/query';

// The command line's use of the schema (names `--from`, the span of --by) is in test/cli/trends.test.ts.
describe('the trends query schema, as the dashboard asks it', () => {
  const panel = { today: '2026-11-20', defaultDays: 14, maxDays: 366 };

  it('defaults to the 14 days to today by day, whatever the granularity, and 10 phrases', () => {
    expect(trendsQuery({}, panel)).toEqual({ from: '2026-11-07', to: '2026-11-20', by: 'day', top: 10 });
    expect(trendsQuery({ by: 'month', to: '2026-11-05' }, panel)).toEqual({ from: '2026-10-23', to: '2026-11-05', by: 'month', top: 10 });
  });

  it.each([
    [{ from: '2026-13-01' }, 'from must be a date like 2026-11-04; got "2026-13-01"'],
    [{ to: '' }, 'to must be a date like 2026-11-04; got ""'],
    [{ by: 'year' }, 'by must be one of day, week, month; got "year"'],
    [{ from: '2026-11-10', to: '2026-11-01' }, 'from 2026-11-10 is after to 2026-11-01'],
    [{ from: '2025-11-01', to: '2026-11-20' }, 'at most 366 days at once; 2025-11-01 to 2026-11-20 is longer'],
    [{ top: '-1' }, 'top must be a whole number of at least 1; got "-1"'],
  ])('refuses %j with a TrendsQueryError naming the field as the URL does', (input, message) => {
    expect(() => trendsQuery(input, panel)).toThrow(new TrendsQueryError(message));
  });

  it('reads a year of days, and any range when no limit is set', () => {
    expect(trendsQuery({ from: '2025-11-20', to: '2026-11-20' }, panel).from).toBe('2025-11-20');
    expect(trendsQuery({ from: '2020-01-01', by: 'month' }, { today: '2026-11-20' })).toMatchObject({ from: '2020-01-01', by: 'month' });
  });

  it('treats an empty prefix as none', () => {
    expect(trendsQuery({ prefix: '' }, panel)).not.toHaveProperty('prefix');
  });
});
