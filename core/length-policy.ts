import type { GenerationLength } from './model-request';
import { wordsToTokens } from './token-estimate';

/**
 * How long each summary of a long article is. A short article (one part) keeps today's request: no length
 * parameters, the model's defaults (about 60 words from google/pegasus-cnn_dailymail). A long article ends
 * in an abstract-length summary (research abstracts run to 150-250 words). Part summaries share the
 * reduce's input between them, so that their join fits one reduce request when it can while still giving
 * the reduce more sentences than it keeps.
 */
export interface LengthPolicy {
  /** The final summary of a long article, in words. */
  finalWords: { min: number; max: number };
  /** Bounds on a part (or intermediate reduce) summary, in words. */
  partWords: { min: number; max: number };
  /**
   * Estimated input tokens (core/token-estimate.ts) a word of summary takes: sizes part summaries so their
   * join fits the reduce's input. Research prose estimates at about 2.
   */
  estimatedTokensPerWord: number;
}

export const DEFAULT_LENGTH_POLICY: LengthPolicy = {
  finalWords: { min: 150, max: 250 },
  partWords: { min: 40, max: 120 },
  estimatedTokensPerWord: 2,
};

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/** The final summary's generation length, in model tokens. */
export const finalLength = (policy: LengthPolicy = DEFAULT_LENGTH_POLICY): GenerationLength => ({
  min_length: wordsToTokens(policy.finalWords.min),
  max_length: wordsToTokens(policy.finalWords.max),
});

/**
 * A part summary's generation length when `parts` summaries share a reduce input of `budget` estimated
 * tokens (core/split-article.ts partBudget). Used for intermediate reduces of a tree too.
 */
export const partLength = (parts: number, budget: number, policy: LengthPolicy = DEFAULT_LENGTH_POLICY): GenerationLength => {
  const words = clamp(Math.floor(budget / Math.max(1, parts) / policy.estimatedTokensPerWord), policy.partWords.min, policy.partWords.max);
  return { min_length: wordsToTokens(Math.floor(words * 0.75)), max_length: wordsToTokens(words) };
};
