import { STOP_WORDS } from './stop-words';

export type SentenceKind = 'prose' | 'bullet' | 'heading';

export interface Sentence {
  /** The sentence as written, with each run of whitespace collapsed to one space. */
  text: string;
  /** Order in the document, from 0. */
  index: number;
  /** Headings give context but are never picked for a summary. */
  kind: SentenceKind;
}

/** Titles that come before a name, so their full stop never ends a sentence ("Dr. Jones"). */
const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'mt',
  'ft',
  'sen',
  'rep',
  'gov',
  'gen',
  'col',
  'lt',
  'sgt',
  'capt',
  'cmdr',
  'adm',
  'maj',
  'rev',
  'hon',
  'pres',
  'supt',
  'insp',
  'det',
  'messrs',
  'mme',
  'mlle',
  'vs',
  'v',
  'cf',
  'approx',
]);
/** Abbreviations that can end a sentence too ("... of Acme Inc. The firm ..."). */
const AMBIGUOUS = new Set([
  'inc',
  'ltd',
  'co',
  'corp',
  'plc',
  'llc',
  'bros',
  'jr',
  'sr',
  'etc',
  'al',
  'dept',
  'univ',
  'assn',
  'ave',
  'blvd',
  'rd',
  'est',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
]);
/** Abbreviations followed by a number ("No. 10", "Fig. 2", "pp. 4-7"). */
const BEFORE_NUMBERS = new Set(['no', 'nos', 'fig', 'figs', 'p', 'pp', 'vol', 'ch', 'sec', 'art', 'para', 'eq', 'ref', 'op', 'tel']);

/** A full stop, question or exclamation mark (or an ellipsis), any closing quotes or brackets, then a space. */
const END = /([.!?…]+)(["'”’»)\]]*)\s+(?=(\S+))/gu;
/** "...the report.Then it..." (a missing space, common in scraped text): a boundary before the capital. */
const GLUED = /(?<=\p{Ll}{2}[.!?]["”’]?)(?=\p{Lu}\p{Ll})/gu;
const OPENERS = /^["'“‘«([]+/u;
const BULLET = /^(?:[-*•‣◦▪–—]|\d{1,3}[.)])\s+/u;
const MARKDOWN_HEADING = /^#{1,6}\s+/;
const TERMINAL = /[.!?…:;,"'”’)\]]$/u;
/** A line that ends a sentence: research releases put one sentence a line, often lower-cased. */
const LINE_END = /[.!?…]["'”’)\]]*$/u;
const HEADING_MAX_WORDS = 12;

interface Unit {
  text: string;
  kind: SentenceKind;
}

/**
 * Splits an article into sentences. Paragraphs are separated by blank lines; inside one, single line breaks
 * are hard wraps and join with a space, except that each bullet item ("- ", "• ", "1. ") stands alone. A
 * paragraph that is one short line without end punctuation is a heading. Inside a paragraph a sentence ends
 * at ". ", "! ", "? " (closing quotes and brackets included) unless the next word is lower-case or the full
 * stop belongs to an abbreviation, an initial or a number label (see isBoundary).
 */
export const splitSentences = (text: string): Sentence[] => {
  const sentences: Sentence[] = [];
  for (const unit of units(text)) {
    const parts = unit.kind === 'heading' ? [unit.text] : splitUnit(unit.text);
    for (const part of parts) {
      const clean = part.replace(/\s+/g, ' ').trim();
      if (clean) sentences.push({ text: clean, index: sentences.length, kind: unit.kind });
    }
  }
  return sentences;
};

const units = (text: string): Unit[] => {
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n[ \t\u00a0]*\n/);
  const out: Unit[] = [];
  blocks.forEach((block, b) => {
    let current: Unit | undefined;
    const flush = () => {
      if (current) out.push(current);
      current = undefined;
    };
    const lines = block
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    for (const line of lines) {
      if (MARKDOWN_HEADING.test(line)) {
        flush();
        out.push({ text: line.replace(MARKDOWN_HEADING, ''), kind: 'heading' });
      } else if (BULLET.test(line)) {
        flush();
        current = { text: line.replace(BULLET, ''), kind: 'bullet' };
      } else if (current) {
        current.text += ` ${line}`;
        if (LINE_END.test(line)) flush();
      } else {
        const isHeading = lines.length === 1 && b < blocks.length - 1 && looksLikeHeading(line);
        current = { text: line, kind: isHeading ? 'heading' : 'prose' };
        if (!isHeading && LINE_END.test(line)) flush();
      }
    }
    flush();
  });
  return out;
};

const looksLikeHeading = (line: string): boolean => !TERMINAL.test(line) && line.split(/\s+/).length <= HEADING_MAX_WORDS;

const splitUnit = (text: string): string[] => {
  const cuts = new Set<number>();
  for (const match of text.matchAll(END)) {
    const [, punct = '', closers = '', next = ''] = match;
    const end = match.index + punct.length + closers.length;
    if (isBoundary(previousToken(text, match.index), punct, next)) cuts.add(end);
  }
  for (const match of text.matchAll(GLUED)) cuts.add(match.index);
  const parts: string[] = [];
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parts.push(text.slice(start, cut));
    start = cut;
  }
  parts.push(text.slice(start));
  return parts;
};

const previousToken = (text: string, end: number): string =>
  (/\S*$/.exec(text.slice(Math.max(0, end - 64), end))?.[0] ?? '').replace(OPENERS, '');

const isBoundary = (previous: string, punct: string, nextToken: string): boolean => {
  const next = nextToken.replace(OPENERS, '');
  const first = next.charAt(0);
  if (!first || /\p{Ll}/u.test(first)) return false; // "at 5 p.m. on Friday", '"Why?" he asked'
  if (punct !== '.') return true;
  const bare = previous.toLowerCase();
  if (/\d/.test(first)) return !BEFORE_NUMBERS.has(bare);
  if (TITLES.has(bare)) return false;
  // "George W. Bush" vs "vitamin D. The", "the U.S. Senate" vs "the U.S. It": only a typical first word ends it.
  if (/^\p{Lu}$/u.test(previous) || previous.includes('.') || AMBIGUOUS.has(bare)) {
    return STOP_WORDS.has(next.toLowerCase().replace(/[^\p{L}]+$/u, ''));
  }
  return true;
};
