/**
 * Dates as documents write them ("2019-04-22", "Apr 22, 2019", "22 April 2019", "2019/04/22",
 * "April 2019"), read to a calendar day. A date with no day is the first of its month and
 * approximate; one with no month is not a publication day at all.
 */

import type { DocumentDate } from './document';

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  ene: 1,
  abr: 4,
  ago: 8,
  dic: 12, // Spanish abbreviations that differ from English
};

const pad = (n: number): string => String(n).padStart(2, '0');

/** A real calendar day as YYYY-MM-DD, or undefined (2019-02-30 is not one). */
export const calendarDay = (year: number, month: number, day: number): string | undefined => {
  if (!Number.isInteger(year) || year < 1900 || year > 2999) return undefined;
  const iso = `${year}-${pad(month)}-${pad(day)}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : undefined;
};

const monthOf = (name: string): number | undefined => MONTHS[name.toLowerCase().slice(0, name.toLowerCase().startsWith('sept') ? 4 : 3)];

export interface ParsedDay {
  day: string;
  /** True when the text gave no day of the month (the first is used). */
  approximate: boolean;
}

/** Reads a written date; undefined when it is not one. */
export const parseWrittenDate = (text: string | undefined): ParsedDay | undefined => {
  if (!text) return undefined;
  const t = text.trim().replace(/\s+/g, ' ');
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(t);
  if (m) return exact(calendarDay(Number(m[1]), Number(m[2]), Number(m[3])));
  m = /^(\d{4})[-/.](\d{1,2})$/.exec(t);
  if (m) return approx(calendarDay(Number(m[1]), Number(m[2]), 1));
  m = /^([A-Za-zé]{3,})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(t); // Apr 22, 2019
  if (m) return exact(day(m[3], m[1], m[2]));
  m = /^(\d{1,2})(?:st|nd|rd|th)? (?:de )?([A-Za-zé]{3,})\.?,? (?:de )?(\d{4})$/.exec(t); // 22 April 2019, 22 de abril de 2015
  if (m) return exact(day(m[3], m[2], m[1]));
  m = /^(\d{4}) ([A-Za-zé]{3,})\.? (\d{1,2})$/.exec(t); // 2019 Apr 22 (PubMed)
  if (m) return exact(day(m[1], m[2], m[3]));
  m = /^([A-Za-zé]{3,})\.?,? (\d{4})$/.exec(t); // April 2019
  if (m) return approx(day(m[2], m[1], '1'));
  m = /^(\d{4}) ([A-Za-zé]{3,})\.?$/.exec(t); // 2019 Apr
  if (m) return approx(day(m[1], m[2], '1'));
  return undefined;
};

/** A written date as the document's publication date read from `from` (a meta tag, a field): approximate when it gave no day. */
export const documentDate = (text: string | undefined, from: string): DocumentDate | undefined => {
  const parsed = parseWrittenDate(text);
  return parsed && { day: parsed.day, source: parsed.approximate ? 'document-approximate' : 'document', from };
};

const day = (year: string | undefined, monthName: string | undefined, dayOfMonth: string | undefined): string | undefined => {
  if (!year || !monthName || !dayOfMonth) return undefined;
  const month = monthOf(monthName);
  return month ? calendarDay(Number(year), month, Number(dayOfMonth)) : undefined;
};
const exact = (d: string | undefined): ParsedDay | undefined => (d ? { day: d, approximate: false } : undefined);
const approx = (d: string | undefined): ParsedDay | undefined => (d ? { day: d, approximate: true } : undefined);
