/**
 * The pipeline's LongArticlePolicy (core/long-article/steps.ts) built from the text functions the quality
 * benchmark runs too (bench/summarize-long.ts): the token estimate, the splitter, the reduce planner and the
 * length policy. One builder, so the local cloud, AWS and `npm run bench:quality` split and reduce alike.
 */
import { DEFAULT_LENGTH_POLICY, isResearchLength, lengthsOf, type LengthPolicy } from './lengths';
import type { GenerationParameters, LongArticlePolicy } from './steps';
import { planReduce } from './reduce-plan';
import { partBudget, splitArticle } from './split';
import { estimateTokens } from './token-estimate';

export interface PolicySettings {
  /** The model's input limit in tokens (maxInputTokens). */
  maxInputTokens: number;
  /** The middle of a research article's final summary length, in words (longSummaryWords); ±25%. */
  longSummaryWords?: number;
}

export const lengthPolicyFor = (longSummaryWords: number | undefined): LengthPolicy =>
  longSummaryWords === undefined
    ? DEFAULT_LENGTH_POLICY
    : { ...DEFAULT_LENGTH_POLICY, finalWords: { min: Math.round(longSummaryWords * 0.75), max: Math.round(longSummaryWords * 1.25) } };

export const longArticlePolicy = (settings: PolicySettings): LongArticlePolicy => {
  const budget = partBudget(settings.maxInputTokens);
  const lengths = lengthPolicyFor(settings.longSummaryWords);
  return {
    maxInputTokens: settings.maxInputTokens,
    estimateTokens,
    split: (text) => splitArticle(text, budget),
    isResearch: (text) => isResearchLength(text, lengths),
    planReduce: (summaries) => planReduce(summaries, budget).groups.map((group) => summaries.slice(group.first, group.last + 1)),
    generation: (kind, { research, count }): GenerationParameters => {
      const planned = lengthsOf(research, count, budget, lengths);
      // A news-length article's last reduce keeps the model's default length, as a short article does.
      const length = kind === 'final' ? planned.final : planned.part;
      return length ? { min_length: length.min_length, max_length: length.max_length } : {};
    },
  };
};
