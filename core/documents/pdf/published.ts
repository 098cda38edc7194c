/**
 * When a PDF was published, as far as the file says, and only approximately: the date of the arXiv
 * stamp in a preprint's margin ("arXiv:2004.14974v2 [cs.CL] 30 Apr 2020", the version's day), the month
 * of an arXiv identifier (its first day) in the stamp or the object's key, or the PDF's CreationDate
 * (the day the file was made, as written in it). A date in the future is not a publication date.
 */

import type { DocumentDate } from '../document';
import { calendarDay, parseWrittenDate } from '../document-date';

const ARXIV_STAMP =
  /arXiv:\s*((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[A-Z]{2})?\/\d{7}))(v\d+)?\s*(?:\[[^\]]{1,20}\])?\s*(\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4})?/;
const ARXIV_KEY = /(?:^|\/)(\d{4})\.\d{4,5}(?:v\d+)?\.pdf$/i;

export interface PublishedClues {
  /** Text of the first page: its rotated margin text first. */
  firstPageText: string;
  key: string;
  creationDate?: string;
  /** Epoch ms now: a date after tomorrow is refused. */
  now: number;
}

/** An arXiv identifier's month as YYYY-MM-01 ("2004.14974" is April 2020; "hep-th/9901001" January 1999). */
const arxivMonth = (id: string): string | undefined => {
  const modern = /^(\d{2})(\d{2})\./.exec(id);
  const old = /\/(\d{2})(\d{2})\d{3}$/.exec(id);
  const parts = modern ?? old;
  if (!parts) return undefined;
  const yy = Number(parts[1]);
  const year = modern ? 2000 + yy : yy >= 91 ? 1900 + yy : 2000 + yy;
  return calendarDay(year, Number(parts[2]), 1);
};

export const publishedOf = (clues: PublishedClues): DocumentDate | undefined => {
  const latest = new Date(clues.now + 86_400_000).toISOString().slice(0, 10);
  const plausible = (day: string | undefined): day is string => day !== undefined && day <= latest;
  const stamp = ARXIV_STAMP.exec(clues.firstPageText);
  if (stamp?.[1]) {
    const written = parseWrittenDate(stamp[3])?.day;
    if (plausible(written)) return { day: written, source: 'document-approximate', from: `arXiv stamp "${stamp[0].trim()}"` };
    const month = arxivMonth(stamp[1]);
    if (plausible(month)) return { day: month, source: 'document-approximate', from: `arXiv id ${stamp[1]}` };
  }
  const keyed = ARXIV_KEY.exec(clues.key);
  if (keyed?.[1]) {
    const month = arxivMonth(`${keyed[1]}.`);
    if (plausible(month)) return { day: month, source: 'document-approximate', from: `arXiv id in the key ${clues.key}` };
  }
  const created = /^(?:D:)?(\d{4})(\d{2})(\d{2})/.exec(clues.creationDate ?? '');
  if (created) {
    const day = calendarDay(Number(created[1]), Number(created[2]), Number(created[3]));
    if (plausible(day)) return { day, source: 'document-approximate', from: 'PDF CreationDate' };
  }
  return undefined;
};
