/**
 * Lines grouped into blocks, the way the eye groups them: consecutive lines of one size, close under
 * each other and overlapping sideways (so a figure caption set beside the text is its own block), a
 * short line in a font of its own (a heading) apart from the text under it. A block's lines split into
 * paragraphs where a line is indented, starts with a bullet, or follows a short line that ends a sentence.
 */

import { CAPTION, FRONT_LABEL } from './block-roles';
import { type Line, mostOf } from './lines';

export interface Paragraph {
  lines: Line[];
  /** Its first line starts further right than the column's other lines (a first-line indent). */
  indented: boolean;
}

export interface Block {
  page: number;
  lines: Line[];
  /** The block's lines as paragraphs, in order. */
  paragraphs: Paragraph[];
  /** Size and font of most of its characters. */
  size: number;
  font: string;
  monospace: boolean;
  x0: number;
  x1: number;
  /** Width of the widest line of its run (column): a heading is short beside it. */
  columnWidth: number;
  /** Which of its page's runs (a column of a band, reading-order.ts) it is in, counted from 0. */
  column: number;
}

/** A line further below the previous one than this many font sizes starts a new block. */
const MAX_LEADING = 1.6;
/** Lines of sizes differing by more than this share are in different blocks. */
const SIZE_TOLERANCE = 0.1;
const STARTS_BLOCK = [CAPTION, FRONT_LABEL, /^abstract\b/i];
const BULLET = /^[•◦▪▸►‣⁃●○■□–—-]\s/;

interface OpenBlock {
  lines: Line[];
  x0: number;
  x1: number;
}

/** The blocks of one page's reading-order runs (reading-order.ts), in reading order. */
export const blocksOf = (runs: readonly (readonly Line[])[]): Block[] =>
  runs.flatMap((run, column) => {
    const columnWidth = Math.max(0, ...run.map((line) => line.x1 - line.x0));
    const lefts = new Map<number, number>();
    for (const line of run) lefts.set(Math.round(line.x0), (lefts.get(Math.round(line.x0)) ?? 0) + 1);
    const columnLeft = mostOf(lefts) ?? 0;
    return groupLines(run).map((open) => ({ ...blockOf(open, columnWidth, columnLeft), column }));
  });

const groupLines = (run: readonly Line[]): OpenBlock[] => {
  const blocks: OpenBlock[] = [];
  for (const line of run) {
    // A caption, keywords or an abstract's label starts a block of its own, even without a gap above it.
    const block = STARTS_BLOCK.some((pattern) => pattern.test(line.text)) ? undefined : bestBlockFor(line, blocks);
    if (!block) {
      blocks.push({ lines: [line], x0: line.x0, x1: line.x1 });
      continue;
    }
    const last = block.lines.at(-1) as Line;
    if (Math.abs(line.y - last.y) < 0.3 * last.size) {
      // The rest of the same line, split off by a wide gap: join it back.
      block.lines[block.lines.length - 1] = { ...last, text: `${last.text} ${line.text}`, x1: Math.max(last.x1, line.x1) };
    } else block.lines.push(line);
    block.x0 = Math.min(block.x0, line.x0);
    block.x1 = Math.max(block.x1, line.x1);
  }
  return blocks;
};

const bestBlockFor = (line: Line, blocks: readonly OpenBlock[]): OpenBlock | undefined => {
  let best: OpenBlock | undefined;
  let bestGap = Infinity;
  for (const block of blocks) {
    const last = block.lines.at(-1) as Line;
    const size = Math.max(line.size, last.size);
    if (Math.abs(line.size - last.size) > SIZE_TOLERANCE * size) continue;
    const gap = line.y - last.y;
    const sameLine = Math.abs(gap) < 0.3 * last.size && line.x0 >= last.x1 && line.x0 - last.x1 < 2 * size;
    if (!sameLine && (gap < 0.3 * size || gap > MAX_LEADING * size)) continue;
    const overlap = Math.min(line.x1, block.x1) - Math.max(line.x0, block.x0);
    if (!sameLine && overlap < 0.3 * Math.min(line.x1 - line.x0, block.x1 - block.x0)) continue;
    if (!sameLine && startsHeadingApart(block, line)) continue;
    if (gap < bestGap) {
      best = block;
      bestGap = gap;
    }
  }
  return best;
};

/** A short block in one font of its own (a heading) does not take the text under it in another font. */
const startsHeadingApart = (block: OpenBlock, line: Line): boolean => {
  const font = block.lines[0]?.font;
  if (block.lines.length > 3 || line.font === font || !block.lines.every((other) => other.font === font)) return false;
  // A sentence going on in lower case is the same paragraph, whatever the font of its first words.
  if (/^\p{Ll}/u.test(line.text)) return false;
  const text = block.lines.map((other) => other.text).join(' ');
  return text.length <= 200 && !/[-,;]$/.test(text);
};

const blockOf = (open: OpenBlock, columnWidth: number, columnLeft: number): Omit<Block, 'column'> => {
  const sizes = new Map<number, number>();
  const fonts = new Map<string, number>();
  let monospace = 0;
  let characters = 0;
  for (const line of open.lines) {
    sizes.set(line.size, (sizes.get(line.size) ?? 0) + line.text.length);
    fonts.set(line.font, (fonts.get(line.font) ?? 0) + line.text.length);
    if (line.monospace) monospace += line.text.length;
    characters += line.text.length;
  }
  const first = open.lines[0] as Line;
  return {
    page: first.page,
    lines: open.lines,
    paragraphs: paragraphsOf(open, columnLeft),
    size: mostOf(sizes) ?? first.size,
    font: mostOf(fonts) ?? first.font,
    monospace: monospace >= 0.6 * characters,
    x0: open.x0,
    x1: open.x1,
    columnWidth,
  };
};

const isIndent = (indent: number, size: number): boolean => indent > 0.6 * size && indent < 6 * size;

const paragraphsOf = (open: OpenBlock, columnLeft: number): Paragraph[] => {
  const lefts = new Map<number, number>();
  for (const line of open.lines) lefts.set(Math.round(line.x0), (lefts.get(Math.round(line.x0)) ?? 0) + 1);
  const left = mostOf(lefts) ?? open.x0;
  const paragraphs: Paragraph[] = [];
  let previous: Line | undefined;
  for (const line of open.lines) {
    const startsParagraph =
      !previous ||
      isIndent(line.x0 - left, line.size) ||
      BULLET.test(line.text) ||
      (/[.!?:]["”’)]?$/.test(previous.text) && previous.x1 < open.x1 - 2 * line.size);
    if (startsParagraph) paragraphs.push({ lines: [line], indented: isIndent(line.x0 - Math.min(left, columnLeft), line.size) });
    else paragraphs.at(-1)?.lines.push(line);
    previous = line;
  }
  return paragraphs;
};
