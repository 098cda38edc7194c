import type { GenerationLength } from '../model-request';
import { wordsToTokens } from './token-estimate';

/**
 * How long each summary of a long article is. A short article (one part) keeps today's request: no length
 * parameters, the model's defaults (about 60 words from google/pegasus-cnn_dailymail). An article of
 * research length ends in an abstract-length summary (research abstracts run to 150-250 words); one only a
 * little over the model's limit (a long news story) ends at the model's default length. Part summaries
 * share the reduce's input, so that their join fits one reduce request when it can while giving the reduce
 * more sentences than it keeps.
 */
export interface LengthPolicy {
  /** The final summary of a research-length article, in words. */
  finalWords: { min: number; max: number };
  /**
   * Articles of at least this many words (with a letter or digit) are research length. Research papers run
   * to thousands of words (PubMed's median is about 2,500); news stories rarely pass 1,000.
   */
  abstractFromWords: number;
  /** Bounds on a part (or intermediate reduce) summary, in words. */
  partWords: { min: number; max: number };
  /**
   * Estimated input tokens (core/long-article/token-estimate.ts) a word of summary takes: sizes part summaries so that
   * their join fits the reduce's input. Research prose estimates at about 2.
   */
  estimatedTokensPerWord: number;
  /**
   * `min_length` of a part of a news-length article: the model's default (32 in google/pegasus-cnn_dailymail's
   * config.json), so that such a part is summarized as news is.
   */
  newsMinTokens: number;
}

export const DEFAULT_LENGTH_POLICY: LengthPolicy = {
  finalWords: { min: 150, max: 250 },
  abstractFromWords: 1500,
  partWords: { min: 100, max: 200 },
  estimatedTokensPerWord: 2,
  newsMinTokens: 32,
};

/** The generation lengths of one long article's requests. */
export interface ArticleLengths {
  /** Every part request, and every intermediate reduce of a tree. */
  part: GenerationLength;
  /** The last reduce: abstract-like for research length; undefined (the model's defaults) otherwise. */
  final: GenerationLength | undefined;
}

const WORD = /\S*[\p{L}\p{N}]\S*/gu;
const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/** Whether the text has at least `abstractFromWords` words; stops counting there. */
export const isResearchLength = (text: string, policy: LengthPolicy = DEFAULT_LENGTH_POLICY): boolean => {
  const matches = text.matchAll(WORD);
  for (let words = 0; !matches.next().done;) if (++words >= policy.abstractFromWords) return true;
  return false;
};

/** The abstract-like final summary's generation length, in model tokens. */
export const finalLength = (policy: LengthPolicy = DEFAULT_LENGTH_POLICY): GenerationLength => ({
  min_length: wordsToTokens(policy.finalWords.min),
  max_length: wordsToTokens(policy.finalWords.max),
});

/**
 * The lengths for an article of `text` split into `parts` parts whose summaries share a reduce input of
 * `budget` estimated tokens (core/long-article/split.ts partBudget). A research part is asked for at least three
 * quarters of its share; a news part only for the model's default minimum, with its share as the maximum.
 * With many parts the share's lower bound (`partWords.min`) wins over fitting one reduce: the reduce is
 * then a tree, which keeps more of each part for the final summary.
 */
export const lengthsFor = (text: string, parts: number, budget: number, policy: LengthPolicy = DEFAULT_LENGTH_POLICY): ArticleLengths =>
  lengthsOf(isResearchLength(text, policy), parts, budget, policy);

/**
 * lengthsFor once the text is gone: the pipeline decides `research` when it splits the article and keeps
 * it on the ledger row, then sizes every later reduce from it and the number of summaries of a level.
 */
export const lengthsOf = (
  research: boolean,
  parts: number,
  budget: number,
  policy: LengthPolicy = DEFAULT_LENGTH_POLICY,
): ArticleLengths => {
  const share = Math.floor(budget / Math.max(1, parts) / policy.estimatedTokensPerWord);
  // Never more than half the reduce input, so that any two summaries fit one reduce (the tree then
  // always makes progress within the model's limit).
  const words = Math.min(clamp(share, policy.partWords.min, policy.partWords.max), Math.floor(budget / 2 / policy.estimatedTokensPerWord));
  const max_length = wordsToTokens(words);
  const min_length = research ? wordsToTokens(Math.floor(words * 0.75)) : Math.min(policy.newsMinTokens, max_length);
  return { part: { min_length, max_length }, final: research ? finalLength(policy) : undefined };
};
