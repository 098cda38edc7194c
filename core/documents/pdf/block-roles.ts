/**
 * What a block is, from its text, size and font beside the body text's: a heading, body text, a figure
 * or table caption, small print (footnotes, affiliations, figure labels, fine print), code, publisher
 * boilerplate (the ACM permission block, copyright lines), or a front-matter label (keywords, ACM
 * classification) that is never body.
 */

import { isNotBodyHeading, isReferencesHeading } from '../sections';
import type { Block } from './blocks';
import { type Line, mostOf } from './lines';

export type BlockRole = 'heading' | 'text' | 'caption' | 'small' | 'code' | 'boilerplate' | 'front-label';

/** What the body text looks like in this document. */
export interface BodyStyle {
  /** Font size of most of the document's characters. */
  size: number;
  /** Per page number, the font of most of its body-size characters (PDF.js names fonts per page). */
  fonts: ReadonlyMap<number, string>;
}

/** Text smaller than this share of the body's size is small print. */
const SMALL = 0.9;
/** Text at least this share of the body's size is larger (a heading's). */
const LARGER = 1.08;

export const CAPTION =
  /^(?:fig(?:ure)?|table|tab|listing|algorithm|scheme|chart|plate|exhibit|box|graph)\.?\s*(?:[A-Z]|[IVX]+)?[\d.]*\d[a-z]?\s*[.:|—–]/i;
const BOILERPLATE =
  /^(?:permission to make digital|copyright\b|©|\(c\)\s*\d{4}|proceedings of\b|this work is licensed|licensed under\b|published (?:by|in|online)\b|publication rights licensed|acm isbn|isbn\b|issn\b|doi:|https?:\/\/(?:dx\.)?doi\.org|received:?\s|accepted:?\s|revised:?\s|available online\b|corresponding author|e-?mail:|\S+’\d{2},? )/i;
export const FRONT_LABEL =
  /^(?:key\s*words?|index terms|ccs concepts|acm reference format|categories and subject descriptors|general terms|additional key words(?: and phrases)?|jel classification|ams subject classification|msc)\b/i;
export const NUMBERED = /^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVXLC]{1,5}\.|[A-Z](?:\.\d{1,2})*\.)\s+\S/;
const NUMBERED_PREFIX = /^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVXLC]{1,5}\.|[A-Z](?:\.\d{1,2})*\.)\s+/;

export const blockText = (block: Block): string => block.lines.map((line) => line.text).join(' ');

/** The body style of a document's blocks: the commonest size, and each page's commonest font at that size. */
export const bodyStyleOf = (blocks: readonly Block[]): BodyStyle => {
  const sizes = new Map<number, number>();
  for (const line of blocks.flatMap((block) => block.lines)) sizes.set(line.size, (sizes.get(line.size) ?? 0) + line.text.length);
  const size = mostOf(sizes) ?? 10;
  const fontsByPage = new Map<number, Map<string, number>>();
  for (const line of blocks.flatMap((block) => block.lines)) {
    if (Math.abs(line.size - size) > 0.05 * size) continue;
    const counts = fontsByPage.get(line.page) ?? new Map<string, number>();
    counts.set(line.font, (counts.get(line.font) ?? 0) + line.text.length);
    fontsByPage.set(line.page, counts);
  }
  const fonts = new Map<number, string>();
  for (const [page, counts] of fontsByPage) fonts.set(page, mostOf(counts) ?? '');
  return { size, fonts };
};

/** The role of one block. */
export const roleOf = (block: Block, body: BodyStyle): BlockRole => {
  const text = blockText(block);
  if (block.monospace) return 'code';
  if (isHeading(block, text, body)) return 'heading';
  if (FRONT_LABEL.test(text)) return 'front-label';
  if (CAPTION.test(text)) return 'caption';
  if (BOILERPLATE.test(text)) return 'boilerplate';
  if (block.size < SMALL * body.size) return 'small';
  return 'text';
};

/** Math symbols, or no word of three letters but in mixed Latin and Greek ("Xxβx"): a formula's text. */
export const looksLikeFormula = (text: string): boolean =>
  /[=+<>∗◦×^ˆ|∑∏∫√∂∇]/.test(text) ||
  !(text.match(/\p{L}{3,}/gu) ?? []).some((word) => !(/\p{Script=Latin}/u.test(word) && /\p{Script=Greek}/u.test(word)));

/** Mostly letters and not a formula: words, as a heading is. */
const isWordy = (text: string): boolean => {
  const visible = text.replace(NUMBERED_PREFIX, '').replace(/\s/g, '');
  const letters = visible.match(/\p{L}/gu)?.length ?? 0;
  return letters >= 0.75 * visible.length && !looksLikeFormula(text);
};

const isHeading = (block: Block, text: string, body: BodyStyle): boolean => {
  if (block.lines.length > 3 || text.length > 160) return false;
  if (isReferencesHeading(text) || isNotBodyHeading(text) || /^abstract$/i.test(text)) return true;
  if (text.split(/\s+/).length > 16 || !/^[\p{Lu}\d]/u.test(text) || /[.,;:=]$/.test(text) || !isWordy(text)) return false;
  if (block.size < 0.95 * body.size || CAPTION.test(text) || FRONT_LABEL.test(text)) return false;
  const larger = block.size >= LARGER * body.size;
  const emphasized = block.font !== body.fonts.get(block.page);
  const short = Math.max(...block.lines.map((line: Line) => line.x1 - line.x0)) <= 0.85 * block.columnWidth;
  return larger || (emphasized && (short || NUMBERED.test(text)));
};
