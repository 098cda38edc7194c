/**
 * The order a person reads a page's lines in. A two-column page has a gutter: a vertical strip near
 * the middle that prose lines do not cross. Lines that do cross it (a title, the authors, a figure
 * spanning both columns, its caption) cut the page into bands; each band is read down its left column,
 * then down its right one. A page without a gutter is read top to bottom.
 */

import type { Line } from './lines';

/** Lines at least this long are prose that shows where the columns are; shorter ones may be labels. */
const PROSE_LENGTH = 15;
/** Where a gutter may be, as shares of the page's width. */
const GUTTER_WINDOW = [0.3, 0.7] as const;
/** Narrowest gutter, in points. */
const MIN_GUTTER = 6;
/** A line crossing the gutter with less than this share of its width on one side belongs to the other. */
const SPAN_SHARE = 0.15;

/** The page's lines as runs read in order: each band's left column, then its right column, or the whole page. */
export const readingOrder = (lines: readonly Line[], pageWidth: number): Line[][] => {
  const byPosition = (a: Line, b: Line): number => a.y - b.y || a.x0 - b.x0;
  const gutter = findGutter(lines, pageWidth);
  if (!gutter) return lines.length > 0 ? [[...lines].sort(byPosition)] : [];
  const sideOf = (line: Line): 'left' | 'right' | 'span' => {
    const width = Math.max(line.x1 - line.x0, 1);
    const left = Math.max(0, Math.min(line.x1, gutter.start) - line.x0) / width;
    const right = Math.max(0, line.x1 - Math.max(line.x0, gutter.end)) / width;
    if (left >= SPAN_SHARE && right >= SPAN_SHARE) return 'span';
    return left >= right ? 'left' : 'right';
  };
  const segments: Line[][] = [];
  let left: Line[] = [];
  let right: Line[] = [];
  const closeBand = (): void => {
    if (left.length > 0) segments.push(left);
    if (right.length > 0) segments.push(right);
    left = [];
    right = [];
  };
  for (const line of [...lines].sort(byPosition)) {
    const side = sideOf(line);
    if (side === 'span') {
      closeBand();
      const previous = segments.at(-1);
      if (previous && previous.every((other) => sideOf(other) === 'span')) previous.push(line);
      else segments.push([line]);
    } else if (side === 'left') left.push(line);
    else right.push(line);
  }
  closeBand();
  return segments;
};

interface Gutter {
  start: number;
  end: number;
}

const findGutter = (lines: readonly Line[], pageWidth: number): Gutter | undefined => {
  const prose = lines.filter((line) => line.text.length >= PROSE_LENGTH);
  if (prose.length < 8 || pageWidth <= 0) return undefined;
  const bin = 2;
  const coverage = new Array<number>(Math.ceil(pageWidth / bin) + 1).fill(0);
  for (const line of prose) {
    for (let b = Math.max(0, Math.floor(line.x0 / bin)); b <= Math.min(coverage.length - 1, Math.floor(line.x1 / bin)); b += 1) {
      coverage[b] = (coverage[b] ?? 0) + 1;
    }
  }
  const from = Math.floor((GUTTER_WINDOW[0] * pageWidth) / bin);
  const to = Math.ceil((GUTTER_WINDOW[1] * pageWidth) / bin);
  const window = coverage.slice(from, to + 1);
  const least = Math.min(...window);
  // A title, authors or a wide figure may cross the gutter; most prose lines do not.
  if (least > 0.2 * prose.length) return undefined;
  // The widest run of least-covered bins.
  let best: Gutter | undefined;
  for (let b = from; b <= to;) {
    if ((coverage[b] ?? 0) > least) {
      b += 1;
      continue;
    }
    let e = b;
    while (e + 1 <= to && (coverage[e + 1] ?? 0) <= least) e += 1;
    if (!best || (e - b) * bin > best.end - best.start) best = { start: b * bin, end: (e + 1) * bin };
    b = e + 1;
  }
  if (!best || best.end - best.start < MIN_GUTTER) return undefined;
  const gutter = best;
  const leftLines = prose.filter((line) => line.x1 <= gutter.start + bin).length;
  const rightLines = prose.filter((line) => line.x0 >= gutter.end - bin).length;
  if (leftLines < 4 || rightLines < 4 || leftLines + rightLines < 0.6 * prose.length) return undefined;
  return gutter;
};
