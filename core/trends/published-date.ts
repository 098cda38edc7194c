/**
 * When an article was published, from the `published` S3 user metadata of its upload
 * (`aws s3 cp --metadata published=2026-11-04 ...` sends `x-amz-meta-published`;
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html#UserMetadata).
 * A value that is not a date is no reason to refuse the article: the upload day stands in, and the row
 * says why the value was ignored.
 */

import { dayOf } from '../ledger';

/** The user-metadata key (S3 returns user metadata keys in lower case). */
export const PUBLISHED_METADATA_KEY = 'published';
const MAX_ECHOED_CHARS = 80;
/** Dates before this are typing errors rather than research archives. */
const EARLIEST_DAY = '1900-01-01';

export interface PublishedDate {
  /** The `published` value normalised: `YYYY-MM-DD`, or an ISO date-time in UTC. Absent without a usable value. */
  publishedAt?: string;
  /** `YYYY-MM-DD`: the day as written in `published`, else the upload day (UTC). The byPublishedDay index's key. */
  publishedDay: string;
  /** Why a `published` value was not used. */
  publishedIgnored?: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// ISO 8601 / RFC 3339 date-time with an optional offset; a missing offset is taken as UTC.
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** A calendar day that exists (2026-02-30 does not). */
const realDay = (day: string): boolean => {
  const match = DATE.exec(day);
  if (!match) return false;
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
};

/**
 * The published date of an upload: `value` is the `published` metadata (if any), `uploadedAt` the S3
 * event time, `fallback` the date the document itself states (core/documents), which stands in for
 * missing or unusable metadata before the upload day does. A date later than the upload day plus one
 * (time zones) is ignored as well: an article cannot be published after it was uploaded.
 */
export const publishedDate = (value: string | undefined, uploadedAt: string, fallback?: DocumentDay): PublishedDate => {
  const uploadDay = dayOf(uploadedAt);
  const usable = fallback && plausibleDay(fallback.day, uploadDay) ? fallback : undefined;
  const otherwise: PublishedDate = usable ? { publishedAt: usable.day, publishedDay: usable.day } : { publishedDay: uploadDay };
  if (value === undefined) return otherwise;
  const text = value.trim();
  const ignored = (why: string): PublishedDate => ({
    ...otherwise,
    publishedIgnored: `published metadata ${JSON.stringify(text.slice(0, MAX_ECHOED_CHARS))} ${why}; ${usable ? `the document's date ${usable.day}` : `the upload day ${uploadDay}`} is used`,
  });

  let day: string;
  let publishedAt: string;
  const dateTime = DATE_TIME.exec(text);
  if (DATE.test(text)) {
    day = text;
    publishedAt = text;
  } else if (dateTime) {
    day = dateTime[1] as string;
    const instant = new Date(dateTime[5] ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`);
    if (Number.isNaN(instant.getTime()) || Number(dateTime[2]) > 23 || Number(dateTime[3]) > 59) {
      return ignored('is not a valid date-time');
    }
    publishedAt = instant.toISOString();
  } else {
    return ignored('is not an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm:ssZ)');
  }
  if (!realDay(day)) return ignored('is not a calendar date');
  if (day < EARLIEST_DAY) return ignored(`is before ${EARLIEST_DAY}`);
  if (day > latestDay(uploadDay)) return ignored('is after the upload day');
  return { publishedAt, publishedDay: day };
};

/** A day the document states (or approximates) as its publication day, used when the metadata gives none. */
export interface DocumentDay {
  day: string;
}

/** An article cannot be published after it was uploaded; the day after allows for time zones. */
const latestDay = (uploadDay: string): string => dayOf(new Date(Date.parse(`${uploadDay}T00:00:00Z`) + 86_400_000).toISOString());

const plausibleDay = (day: string, uploadDay: string): boolean => realDay(day) && day >= EARLIEST_DAY && day <= latestDay(uploadDay);
