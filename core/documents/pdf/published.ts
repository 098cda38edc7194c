/**
 * When a PDF was published, as far as the file says, and only approximately: the date of the arXiv
 * stamp in a preprint's margin ("arXiv:2004.14974v2 [cs.CL] 30 Apr 2020", the version's day), the month
 * of an arXiv identifier (its first day) in the stamp or the object's key, or the PDF's CreationDate
 * (the day the file was made, as written in it). A date in the future is not a publication date.
 */

import type { DocumentDate } from '../document';
import { arxivIdDate, arxivIdDateIn } from '../arxiv-id';
import { calendarDay, parseWrittenDate } from '../document-date';

const ARXIV_STAMP =
  /arXiv:\s*((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[A-Z]{2})?\/\d{7}))(v\d+)?\s*(?:\[[^\]]{1,20}\])?\s*(\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4})?/;

export interface PublishedClues {
  /** Text of the first page: its rotated margin text first. */
  firstPageText: string;
  key: string;
  creationDate?: string;
  /** Epoch ms now: a date after tomorrow is refused. */
  now: number;
}

export const publishedOf = (clues: PublishedClues): DocumentDate | undefined => {
  const latest = new Date(clues.now + 86_400_000).toISOString().slice(0, 10);
  const plausible = (day: string | undefined): day is string => day !== undefined && day <= latest;
  const stamp = ARXIV_STAMP.exec(clues.firstPageText);
  if (stamp?.[1]) {
    const written = parseWrittenDate(stamp[3])?.day;
    if (plausible(written)) return { day: written, source: 'document-approximate', from: `arXiv stamp "${stamp[0].trim()}"` };
    const month = arxivIdDateIn(stamp[1]);
    if (plausible(month?.day)) return month;
  }
  const keyed = arxivIdDate(clues.key);
  if (plausible(keyed?.day)) return keyed;
  const created = /^(?:D:)?(\d{4})(\d{2})(\d{2})/.exec(clues.creationDate ?? '');
  if (created) {
    const day = calendarDay(Number(created[1]), Number(created[2]), Number(created[3]));
    if (plausible(day)) return { day, source: 'document-approximate', from: 'PDF CreationDate' };
  }
  return undefined;
};
