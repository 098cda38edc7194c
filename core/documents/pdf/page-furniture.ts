/**
 * Running headers, running footers and page numbers: lines in a page's top or bottom margin band that
 * repeat on other pages (page numbers aside: "2 TIMP: Modeling …" and "Journal of Statistical
 * Software 3" alternate on a journal's pages), and margin lines that are only a page number.
 */

import type { Line } from './lines';

/** The share of a page's height, at its top and at its bottom, where headers and footers stand. */
const MARGIN_BAND = 0.12;
/** A margin line repeated on at least this share of the pages (and on two) is a running header or footer. */
const REPEATED_SHARE = 0.25;

const PAGE_NUMBER = /^(?:page\s*)?[-–—]?\s*(?:\d{1,5}|[ivxlcdm]{1,7})\s*[-–—]?(?:\s*(?:of|\/)\s*\d{1,5})?$/i;

/** A margin line's identity across pages: its words, with any number standing for every number. */
export const furnitureKey = (text: string): string =>
  text
    .toLowerCase()
    .replace(/\d+/g, '#')
    .replace(/[^\p{L}#]+/gu, ' ')
    .trim();

export interface PageLines {
  number: number;
  height: number;
  lines: Line[];
}

export interface Furniture {
  /** Keys (furnitureKey) of the running headers and footers found. */
  keys: Set<string>;
  /** Whether a line is a running header, a running footer or a page number. */
  isFurniture: (line: Line, pageHeight: number) => boolean;
}

const inMarginBand = (line: Line, pageHeight: number): boolean =>
  line.y < MARGIN_BAND * pageHeight || line.y > (1 - MARGIN_BAND) * pageHeight;

/** Finds the running headers and footers of a document's pages. */
export const findFurniture = (pages: readonly PageLines[]): Furniture => {
  const pagesWith = new Map<string, Set<number>>();
  for (const page of pages) {
    for (const line of page.lines) {
      if (!inMarginBand(line, page.height)) continue;
      const key = furnitureKey(line.text);
      if (!/\p{L}/u.test(key)) continue;
      const seen = pagesWith.get(key) ?? new Set<number>();
      seen.add(page.number);
      pagesWith.set(key, seen);
    }
  }
  const threshold = Math.max(2, REPEATED_SHARE * pages.length);
  const keys = new Set([...pagesWith].filter(([, seen]) => seen.size >= threshold).map(([key]) => key));
  return {
    keys,
    isFurniture: (line, pageHeight) =>
      inMarginBand(line, pageHeight) && (PAGE_NUMBER.test(line.text.trim()) || keys.has(furnitureKey(line.text))),
  };
};
