import { estimateTokens, truncateToTokens } from './token-estimate';

/**
 * Splitting a long article into parts the model reads whole (the map step of a long summary). Parts are
 * cut at paragraph breaks (a blank line), else at line breaks, else after sentence-final punctuation, and a
 * sentence longer than a part is cut between words. Capital letters are not used: research text is often
 * lower-cased and tokenized, one sentence a line. Each part is a slice of the article (trimmed), so no word
 * is lost or changed, and parts are balanced in size so that none is a small remainder.
 */

/**
 * Share of the model's input limit a part may fill. The estimate already overcounts (see
 * core/long-article/token-estimate.ts); this leaves room for the model's own special tokens and estimate error.
 */
export const PART_HEADROOM = 0.9;

/** The estimated tokens a part may have for a model that reads `maxInputTokens`. */
export const partBudget = (maxInputTokens: number): number => Math.max(8, Math.floor(maxInputTokens * PART_HEADROOM));

interface Unit {
  start: number;
  end: number;
  /** Estimated tokens of the unit's words, without the end-of-sequence token. */
  tokens: number;
}

const PARAGRAPH = /\n[^\S\n]*\n\s*/g;
const LINE = /\n\s*/g;
/** After ".", "!", "?" (and closing quotes or brackets) and before whitespace: a possible sentence end. */
const SENTENCE = /(?<=[.!?…]["'”’)\]]*)\s+/gu;
const LEVELS = [PARAGRAPH, LINE, SENTENCE];

const wordsTokens = (text: string, start: number, end: number): number => estimateTokens(text.slice(start, end)) - 1;

/** The pieces of text[start, end) between separators, trimmed, with their token counts. */
const piecesOf = (text: string, start: number, end: number, separator: RegExp): Unit[] => {
  const units: Unit[] = [];
  const slice = text.slice(start, end);
  let from = 0;
  const push = (a: number, b: number): void => {
    const piece = slice.slice(a, b);
    const lead = piece.length - piece.trimStart().length;
    const trimmed = piece.trim();
    if (trimmed) units.push({ start: start + a + lead, end: start + a + lead + trimmed.length, tokens: estimateTokens(trimmed) - 1 });
  };
  for (const match of slice.matchAll(new RegExp(separator.source, separator.flags))) {
    push(from, match.index);
    from = match.index + match[0].length;
  }
  push(from, slice.length);
  return units;
};

/** A sentence over the budget, cut between words into pieces within it. */
const cutByTokens = (text: string, unit: Unit, budget: number): Unit[] => {
  const units: Unit[] = [];
  let start = unit.start;
  while (start < unit.end) {
    let piece = truncateToTokens(text.slice(start, unit.end), budget);
    // One "word" over the budget (a sequence without spaces): cut by characters, at most one token each.
    if (piece.trim() === '') piece = text.slice(start, start + Math.max(1, budget - 2));
    const end = start + piece.trimEnd().length;
    units.push({ start, end, tokens: wordsTokens(text, start, end) });
    const rest = text.slice(end, unit.end);
    start = end + (rest.length - rest.trimStart().length);
  }
  return units;
};

/** Units within the budget, in order: a unit too big is broken at the next finer level. */
const unitsWithin = (text: string, unit: Unit, budget: number, level: number): Unit[] => {
  if (unit.tokens + 1 <= budget) return [unit];
  const separator = LEVELS[level];
  if (!separator) return cutByTokens(text, unit, budget);
  const pieces = piecesOf(text, unit.start, unit.end, separator);
  if (pieces.length === 1) return unitsWithin(text, unit, budget, level + 1);
  return pieces.flatMap((piece) => unitsWithin(text, piece, budget, level + 1));
};

/**
 * The article's parts, each estimated at most `budget` tokens (see partBudget). An article within the
 * budget is one part, the text unchanged. Deterministic; the work is linear in the article's length.
 */
export const splitArticle = (text: string, budget: number): string[] => {
  const whole = estimateTokens(text);
  if (whole <= budget) return [text];
  const units = piecesOf(text, 0, text.length, PARAGRAPH).flatMap((unit) => unitsWithin(text, unit, budget, 1));
  const total = units.reduce((sum, unit) => sum + unit.tokens, 0);
  // Aim at equal parts: as many as the budget needs, each about total / count.
  const target = total / Math.ceil(total / (budget - 1));
  const parts: string[] = [];
  let first: Unit | undefined;
  let last: Unit | undefined;
  let tokens = 0;
  for (const unit of units) {
    const over = tokens + unit.tokens + 1 > budget;
    const pastTarget = tokens >= target || tokens + unit.tokens - target > target - tokens;
    if (first && last && (over || pastTarget)) {
      parts.push(text.slice(first.start, last.end));
      first = undefined;
      tokens = 0;
    }
    first ??= unit;
    last = unit;
    tokens += unit.tokens;
  }
  if (first && last) parts.push(text.slice(first.start, last.end));
  return parts;
};
