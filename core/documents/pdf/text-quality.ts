/**
 * Whether a page's text layer can be read. A scanned page has no text layer (or a few stray
 * characters); a badly encoded one has glyph garbage: control characters where letters should be
 * (fonts without a Unicode mapping give PDF.js the raw glyph codes, U+0002 for a space), private-use
 * or unassigned code points, or strings of letters that are not words. Such pages are left out and
 * named; OCR is not attempted.
 */

export type PageQuality = 'good' | 'no-text' | 'garbage';

/** Fewer letters than this on a page is no text layer at all (a page number on a scanned page). */
const MIN_LETTERS = 20;
/** More than this share of unreadable characters (controls, private use, unassigned) is garbage: a
 * math-heavy page has a few (bracket pieces in private use), a page of glyph codes has most. */
const MAX_UNREADABLE = 0.1;
/** Fewer than this share of letters among the visible characters is not prose (nor a table of words). */
const MIN_LETTER_SHARE = 0.3;
/** In Latin script, fewer than this share of the words with a vowel is glyph garbage. */
const MIN_WORDLIKE = 0.6;

// eslint-disable-next-line no-control-regex -- control characters are what garbage is made of
const UNREADABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd\p{Co}\p{Cn}\p{Cs}]/gu;
const VOWEL = /[aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ]/i;

/** How usable the text of one page is. */
export const pageQuality = (text: string): PageQuality => {
  const visible = text.replace(/\s/g, '');
  if (visible.length < MIN_LETTERS) return 'no-text';
  const unreadable = visible.match(UNREADABLE)?.length ?? 0;
  if (unreadable > MAX_UNREADABLE * visible.length) return 'garbage';
  const letters = visible.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_LETTERS) return 'no-text';
  if (letters < MIN_LETTER_SHARE * visible.length) return 'garbage';
  const latin = visible.match(/\p{Script=Latin}/gu)?.length ?? 0;
  if (latin >= 0.5 * letters) {
    const words = text.match(/\p{L}{2,}/gu) ?? [];
    const wordlike = words.filter((word) => VOWEL.test(word) || word === word.toUpperCase()).length;
    if (words.length > 0 && wordlike < MIN_WORDLIKE * words.length) return 'garbage';
  }
  return 'good';
};

/** Page numbers as a person writes them: "page 3", "pages 2–23", "pages 2, 5 and 7–9". */
export const pageList = (pages: readonly number[]): string => {
  const sorted = [...new Set(pages)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j += 1;
    ranges.push(j > i ? `${sorted[i]}–${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  const label = sorted.length === 1 ? 'page' : 'pages';
  const list = ranges.length <= 1 ? (ranges[0] ?? '') : `${ranges.slice(0, -1).join(', ')} and ${ranges.at(-1)}`;
  return `${label} ${list}`;
};
