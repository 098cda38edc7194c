import type { GenerationParameters, LongArticlePolicy, RequestKind } from './long-articles';

/**
 * TODO(issue 10): interim text functions for long articles, to be replaced by the token estimate,
 * splitter, reduce planner and length policy being written alongside; the pipeline only sees
 * LongArticlePolicy. The estimate is deliberately generous (SentencePiece splits rare scientific
 * words into several pieces), so parts stay within the limit.
 */
const TOKENS_PER_WORD = 1.6;
/** The end-of-sequence token the model appends to every input. */
const SPECIAL_TOKENS = 1;

export interface PolicySettings {
  maxInputTokens: number;
  /** Target length of a long article's final summary, in words. */
  longSummaryWords: number;
}

const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);

export const estimateTokens = (text: string): number => Math.ceil(words(text).length * TOKENS_PER_WORD) + SPECIAL_TOKENS;

/** Packs pieces, in order, into as few texts within `max` tokens as a greedy pass gives. */
const pack = (pieces: string[], separator: string, max: number, fit: (piece: string) => string[]): string[] => {
  const out: string[] = [];
  let current: string[] = [];
  for (const piece of pieces) {
    const candidate = [...current, piece].join(separator);
    if (current.length > 0 && estimateTokens(candidate) <= max) {
      current.push(piece);
      continue;
    }
    if (current.length > 0) out.push(current.join(separator));
    current = [];
    if (estimateTokens(piece) <= max) current.push(piece);
    else out.push(...fit(piece));
  }
  if (current.length > 0) out.push(current.join(separator));
  return out;
};

/** Paragraphs, then sentences (no reliance on capitals: lowercased text splits too), then words. */
export const splitText = (text: string, maxTokens: number): string[] => {
  const maxWords = Math.max(1, Math.floor((maxTokens - SPECIAL_TOKENS) / TOKENS_PER_WORD));
  const byWords = (sentence: string): string[] => {
    const all = words(sentence);
    return Array.from({ length: Math.ceil(all.length / maxWords) }, (_, i) => all.slice(i * maxWords, (i + 1) * maxWords).join(' '));
  };
  const bySentences = (paragraph: string): string[] => pack(paragraph.split(/(?<=[.!?])\s+|\n/).filter((s) => s.trim()), ' ', maxTokens, byWords);
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return pack(paragraphs, '\n\n', maxTokens, bySentences);
};

/** Greedy groups of consecutive summaries within the limit; pairs when none fit together (so each level shrinks). */
export const planReduceGroups = (summaries: string[], maxTokens: number): string[][] => {
  const groups: string[][] = [];
  let current: string[] = [];
  for (const summary of summaries) {
    if (current.length > 0 && estimateTokens([...current, summary].join('\n\n')) > maxTokens) {
      groups.push(current);
      current = [];
    }
    current.push(summary);
  }
  if (current.length > 0) groups.push(current);
  if (groups.length > 1 && groups.length === summaries.length) {
    return Array.from({ length: Math.ceil(summaries.length / 2) }, (_, i) => summaries.slice(2 * i, 2 * i + 2));
  }
  return groups;
};

/** Part and intermediate summaries short enough that several fit one reduce input; the final one abstract-like. */
export const generationFor = (kind: RequestKind, settings: PolicySettings): GenerationParameters => {
  if (kind === 'final') {
    return { min_length: Math.round(settings.longSummaryWords * 0.75), max_length: Math.round(settings.longSummaryWords * TOKENS_PER_WORD) };
  }
  const max = Math.max(16, Math.floor(settings.maxInputTokens / 8));
  return { min_length: Math.floor(max / 4), max_length: max };
};

export const interimPolicy = (settings: PolicySettings): LongArticlePolicy => ({
  maxInputTokens: settings.maxInputTokens,
  estimateTokens,
  split: (text) => splitText(text, settings.maxInputTokens),
  planReduce: (summaries) => planReduceGroups(summaries, settings.maxInputTokens),
  generation: (kind) => generationFor(kind, settings),
});
