/**
 * The front matter of a paper's first pages: its title (the PDF's Title when the first page shows it,
 * else the largest lines at the top of the first page that are not the journal's banner), the author's
 * abstract (after an "Abstract" label, or, unlabelled as in ACM papers, the prose right before the first
 * numbered section), the keywords ("Keywords:", "Index Terms") and where the body begins.
 */

import { cleanText, oneLine } from '../sections';
import { type BlockRole, FRONT_LABEL, NUMBERED } from './block-roles';
import type { Block } from './blocks';
import { joinLines, type Vocabulary } from './hyphenation';
import type { Line } from './lines';
import { furnitureKey } from './page-furniture';

export interface RoledBlock {
  block: Block;
  role: BlockRole;
  text: string;
}

export interface FrontMatter {
  title?: string;
  abstract?: string;
  keywords: string[];
  /** Index of the first body block. */
  bodyStart: number;
}

export interface FrontMatterContext {
  /** The PDF information dictionary's Title. */
  metadataTitle?: string;
  metadataKeywords?: string;
  /** Running header and footer keys (page-furniture.ts): the journal's banner is not the title. */
  furnitureKeys: ReadonlySet<string>;
  bodySize: number;
  vocabulary: Vocabulary;
}

/** Front matter is looked for on this many of the first usable pages. */
const FRONT_PAGES = 2;
// "Summary" labels an abstract only on its own or with punctuation ("Summary statistics were ..." does not).
const ABSTRACT_LABEL = /^(?:abstract\b\s*[.:—–-]?|summary(?:\s*[.:—–-]|$))\s*/i;
const KEYWORDS_LABEL = /^(?:key\s*words?|index terms)\b\s*[:.—–-]?\s*/i;
const INTRODUCTION = /^(?:\d{1,2}\.?|[IVX]{1,4}\.)?\s*introduction$/i;

export const readFrontMatter = (blocks: readonly RoledBlock[], context: FrontMatterContext): FrontMatter => {
  const firstPage = blocks[0]?.block.page ?? 1;
  const frontEnd = blocks.findIndex((entry) => entry.block.page >= firstPage + FRONT_PAGES);
  const front = frontEnd === -1 ? blocks : blocks.slice(0, frontEnd);
  // Labels are looked for before the first numbered section: "Abstract interpretation ..." in the body is not one.
  const firstSection = firstSectionHeading(front);
  const beforeBody = firstSection === -1 ? front : front.slice(0, firstSection);
  const title = titleOf(front, context);
  const labelled = labelledAbstract(beforeBody, context);
  const abstract = labelled ?? unlabelledAbstract(front, context);
  const keywords = keywordsOf(beforeBody, context);
  return { title: title?.text, abstract: abstract?.text, keywords, bodyStart: bodyStart(front, abstract?.end, title?.end) };
};

// Title ------------------------------------------------------------------------------------------

const letters = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

const junkTitle = (title: string): boolean =>
  letters(title).length < 8 ||
  /\.(?:dvi|docx?|pdf|tex|indd|qxd|rtf|odt)$/i.test(title) ||
  /^(?:untitled|microsoft word\b|slide \d|document\d*$|title$|paper$|manuscript$|arxiv)/i.test(title);

const titleOf = (front: readonly RoledBlock[], context: FrontMatterContext): { text: string; end: number } | undefined => {
  const firstPage = front[0]?.block.page;
  const pageBlocks = front.filter((entry) => entry.block.page === firstPage);
  const metadata = context.metadataTitle ? oneLine(context.metadataTitle) : undefined;
  if (metadata && !junkTitle(metadata)) {
    const page = letters(pageBlocks.map((entry) => entry.text).join(' '));
    if (page.includes(letters(metadata))) return { text: metadata, end: titleEnd(front, metadata) };
  }
  const banner = (line: Line): boolean => {
    const key = furnitureKey(line.text);
    return [...context.furnitureKeys].some((furniture) => furniture.replace(/#/g, ' ').replace(/\s+/g, ' ').trim() === key);
  };
  const candidates = pageBlocks.flatMap((entry) => entry.block.lines).filter((line) => /\p{L}{2}/u.test(line.text) && !banner(line));
  const largest = Math.max(0, ...candidates.map((line) => line.size));
  if (largest < 1.15 * context.bodySize) return undefined;
  const titleLines = candidates.filter((line) => Math.abs(line.size - largest) <= 0.5).sort((a, b) => a.y - b.y);
  const first = titleLines[0];
  if (!first) return undefined;
  const lines = titleLines.filter((line) => line.y - first.y <= 4 * largest);
  const text = oneLine(
    joinLines(
      lines.map((line) => line.text),
      context.vocabulary,
    ),
  );
  return { text, end: front.findIndex((entry) => entry.block.lines.includes(lines.at(-1) as Line)) };
};

/** Index of the block holding the end of the title, when the metadata title is found in a block. */
const titleEnd = (front: readonly RoledBlock[], title: string): number => {
  const target = letters(title);
  let joined = '';
  for (let i = 0; i < front.length; i += 1) {
    joined += letters(front[i]?.text ?? '');
    if (joined.includes(target)) return i;
  }
  return -1;
};

// Abstract ---------------------------------------------------------------------------------------

interface Abstract {
  text: string;
  /** Index of the abstract's last block. */
  end: number;
}

const paragraphText = (lines: readonly string[], vocabulary: Vocabulary): string => cleanText(joinLines(lines, vocabulary));

const linesText = (entry: RoledBlock): string[] => entry.block.lines.map((line) => line.text);

const labelledAbstract = (front: readonly RoledBlock[], context: FrontMatterContext): Abstract | undefined => {
  const start = front.findIndex(
    (entry) => ABSTRACT_LABEL.test(entry.text) && (entry.role === 'heading' || entry.role === 'text' || entry.role === 'small'),
  );
  if (start === -1) return undefined;
  const label = front[start] as RoledBlock;
  const paragraphs: string[][] = [];
  const rest = linesText(label);
  rest[0] = (rest[0] ?? '').replace(ABSTRACT_LABEL, '');
  if (rest.join(' ').trim() !== '') paragraphs.push(rest);
  let size = rest.join('').trim() !== '' ? label.block.size : undefined;
  let end = start;
  for (let i = start + 1; i < front.length; i += 1) {
    const entry = front[i] as RoledBlock;
    if (entry.role === 'small' || entry.role === 'boilerplate' || entry.role === 'caption') continue;
    if (entry.role !== 'text' || (size !== undefined && Math.abs(entry.block.size - size) > 0.1 * size)) break;
    size ??= entry.block.size;
    paragraphs.push(...entry.block.paragraphs.map((paragraph) => paragraph.lines.map((line) => line.text)));
    end = i;
  }
  const text = paragraphs
    .map((lines) => paragraphText(lines, context.vocabulary))
    .filter((p) => p !== '')
    .join('\n\n');
  return text === '' ? undefined : { text, end };
};

const isProse = (entry: RoledBlock): boolean =>
  entry.role === 'text' && entry.text.split(/\s+/).length >= 25 && /[.!?]["”’)]?(\s|$)/.test(entry.text);

const firstSectionHeading = (front: readonly RoledBlock[]): number =>
  front.findIndex((entry) => entry.role === 'heading' && (NUMBERED.test(entry.text) || INTRODUCTION.test(entry.text)));

const unlabelledAbstract = (front: readonly RoledBlock[], context: FrontMatterContext): Abstract | undefined => {
  const heading = firstSectionHeading(front);
  if (heading === -1) return undefined;
  const picked: RoledBlock[] = [];
  let end = -1;
  for (let i = heading - 1; i >= 0; i -= 1) {
    const entry = front[i] as RoledBlock;
    if (entry.role === 'front-label' || entry.role === 'boilerplate' || entry.role === 'small' || entry.role === 'caption') {
      if (picked.length > 0) break;
      continue;
    }
    if (!isProse(entry)) break;
    picked.unshift(entry);
    if (end === -1) end = i;
  }
  const words = picked.reduce((sum, entry) => sum + entry.text.split(/\s+/).length, 0);
  if (words < 40) return undefined;
  const text = picked
    .flatMap((entry) =>
      entry.block.paragraphs.map((paragraph) =>
        paragraphText(
          paragraph.lines.map((line) => line.text),
          context.vocabulary,
        ),
      ),
    )
    .filter((p) => p !== '')
    .join('\n\n');
  return { text, end };
};

// Keywords and where the body begins --------------------------------------------------------------

const keywordsOf = (front: readonly RoledBlock[], context: FrontMatterContext): string[] => {
  const at = front.findIndex((entry) => KEYWORDS_LABEL.test(entry.text));
  let text = '';
  if (at !== -1) {
    const entry = front[at] as RoledBlock;
    text = joinLines(linesText(entry), context.vocabulary).replace(KEYWORDS_LABEL, '');
    const next = front[at + 1];
    if (text.trim() === '' && next?.role === 'text') text = joinLines(linesText(next), context.vocabulary);
  } else if (context.metadataKeywords) text = context.metadataKeywords;
  const keywords = text
    .split(/\s*[,;·•]\s*/)
    .map((keyword) => oneLine(keyword.replace(/[.\s]+$/, ''), 100))
    .filter((keyword) => keyword !== '' && keyword.split(/\s+/).length <= 8);
  return keywords.slice(0, 30);
};

const bodyStart = (front: readonly RoledBlock[], abstractEnd: number | undefined, titleEnd: number | undefined): number => {
  const after = abstractEnd ?? -1;
  const heading = front.findIndex(
    (entry, i) =>
      i > after &&
      entry.role === 'heading' &&
      !FRONT_LABEL.test(entry.text) &&
      !ABSTRACT_LABEL.test(entry.text) &&
      (after >= 0 || NUMBERED.test(entry.text) || INTRODUCTION.test(entry.text)),
  );
  if (heading !== -1) return heading;
  if (after >= 0) return after + 1;
  // No abstract and no numbered section: the body is the prose after the title.
  const prose = front.findIndex((entry, i) => i > (titleEnd ?? -1) && isProse(entry));
  return prose === -1 ? front.length : prose;
};
