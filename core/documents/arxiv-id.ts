/**
 * The month an arXiv identifier dates (in an object's key, or stamped on a PDF's page): both `YYMM.NNNNN` (April 2007 on) and
 * `archive/YYMMNNN` (1991 to March 2007) begin with the year and month the paper was first
 * submitted (https://info.arxiv.org/help/arxiv_identifier.html). That bounds the publication, so
 * the first of the month is an approximate date.
 */

import type { DocumentDate } from './document';
import { calendarDay } from './document-date';

/** The archives of old-style identifiers (https://info.arxiv.org/help/arxiv_identifier_for_services.html). */
const OLD_ARCHIVES =
  'acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|comp-gas|cond-mat|cs|dg-ga|funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|math|mtrl-th|nlin|nucl-ex|nucl-th|patt-sol|physics|plasm-ph|q-alg|q-bio|quant-ph|solv-int|supr-con';

const NEW_STYLE = /(?<![\d.])(\d{2})(\d{2})\.(\d{4,5})(?:v\d+)?(?![\d])/;
const OLD_STYLE = new RegExp(`(?<![a-z-])(${OLD_ARCHIVES})(?:\\.[a-z]{2})?[/_]?(\\d{2})(\\d{2})(\\d{3})(?!\\d)`, 'i');

/** The first day of the month an arXiv id in the object's key names, or undefined. */
export const arxivIdDate = (key: string): DocumentDate | undefined => arxivIdDateIn(key.slice(key.indexOf('/') + 1)); // past "input/"

/** The first day of the month an arXiv id in `name` (a file name, a stamp's id) names, or undefined. */
export const arxivIdDateIn = (name: string): DocumentDate | undefined => {
  const modern = NEW_STYLE.exec(name);
  if (modern) {
    const [id, yy, mm, number] = modern;
    const year = 2000 + Number(yy);
    const month = Number(mm);
    // Four-digit numbers until December 2014, five from January 2015; the scheme began in April 2007.
    const numberFits = (number?.length === 4) === year * 100 + month <= 201412;
    const day = year * 100 + month >= 200704 && numberFits ? calendarDay(year, month, 1) : undefined;
    if (day) return { day, source: 'document-approximate', from: `arXiv id ${id.replace(/v\d+$/, '')}` };
  }
  const old = OLD_STYLE.exec(name);
  if (old) {
    const [, archive, yy, mm, number] = old;
    const year = Number(yy) >= 91 ? 1900 + Number(yy) : 2000 + Number(yy);
    const day = year * 100 + Number(mm) <= 200703 ? calendarDay(year, Number(mm), 1) : undefined;
    if (day) return { day, source: 'document-approximate', from: `arXiv id ${archive?.toLowerCase()}/${yy}${mm}${number}` };
  }
  return undefined;
};
