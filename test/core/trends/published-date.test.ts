import { publishedDate } from '../../../core/trends/published-date';

const uploadedAt = '2026-11-20T09:30:00.000Z';

describe('the published date of an upload', () => {
  it('takes an ISO date as the published day', () => {
    expect(publishedDate('2026-11-04', uploadedAt)).toEqual({ publishedAt: '2026-11-04', publishedDay: '2026-11-04' });
  });

  it('takes a date-time with an offset as written for the day and in UTC for publishedAt', () => {
    expect(publishedDate('2026-11-04T23:30:00-05:00', uploadedAt)).toEqual({
      publishedAt: '2026-11-05T04:30:00.000Z',
      publishedDay: '2026-11-04',
    });
    expect(publishedDate('2026-11-04T08:00Z', uploadedAt)).toEqual({ publishedAt: '2026-11-04T08:00:00.000Z', publishedDay: '2026-11-04' });
  });

  it('uses the upload day when there is no published metadata, and says nothing was ignored', () => {
    expect(publishedDate(undefined, uploadedAt)).toEqual({ publishedDay: '2026-11-20' });
  });

  it.each([
    ['next tuesday', /is not an ISO 8601 date/],
    ['04/11/2026', /is not an ISO 8601 date/],
    ['2026-02-30', /is not a calendar date/],
    ['2026-11-04T25:00:00Z', /is not a valid date-time/],
    ['1066-10-14', /is before 1900-01-01/],
    ['2027-01-01', /is after the upload day/],
    ['', /is not an ISO 8601 date/],
  ])('ignores %j with the reason, and uses the upload day', (value, why) => {
    const date = publishedDate(value, uploadedAt);
    expect(date.publishedDay).toBe('2026-11-20');
    expect(date.publishedAt).toBeUndefined();
    expect(date.publishedIgnored).toMatch(why);
    expect(date.publishedIgnored).toMatch(/the upload day 2026-11-20 is used$/);
  });

  it('quotes at most 80 characters of a long bad value', () => {
    const date = publishedDate('x'.repeat(5_000), uploadedAt);
    expect(date.publishedIgnored).toContain(`"${'x'.repeat(80)}"`);
    expect(date.publishedIgnored).not.toContain('x'.repeat(81));
  });
});
