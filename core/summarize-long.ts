import { DEFAULT_LENGTH_POLICY, lengthsFor, type LengthPolicy } from './length-policy';
import type { GenerationLength } from './model-request';
import { planReduce } from './reduce-plan';
import { partBudget, splitArticle } from './split-article';

/**
 * Split, map, reduce in one process: the driver the quality benchmark runs, built only from the pieces the
 * pipeline uses (splitArticle, planReduce, the length policy), generic over the model call.
 */

/** One model request: the input text and, for parts and reduces, a generation length in tokens. */
export type SummarizeText = (text: string, length?: GenerationLength) => Promise<string>;

export interface LongSummaryOptions {
  /** The model's input limit in tokens (core/token-estimate.ts MODEL_INPUT_TOKENS). */
  maxInputTokens: number;
  policy?: LengthPolicy;
}

export interface LongSummary {
  summary: string;
  /** The article's parts (one for a short article), and the summary of each. */
  parts: string[];
  partSummaries: string[];
  /** Model requests made: one per part, plus every reduce request. */
  requests: number;
  /** Reduce levels: 0 for a short article, 1 when the part summaries fit one reduce. */
  depth: number;
}

export const summarizeLong = async (text: string, summarize: SummarizeText, options: LongSummaryOptions): Promise<LongSummary> => {
  const policy = options.policy ?? DEFAULT_LENGTH_POLICY;
  const budget = partBudget(options.maxInputTokens);
  const parts = splitArticle(text, budget);
  if (parts.length === 1) {
    const summary = await summarize(text);
    return { summary, parts, partSummaries: [summary], requests: 1, depth: 0 };
  }
  let requests = 0;
  const partSummaries: string[] = [];
  const lengths = lengthsFor(text, parts.length, budget, policy);
  for (const part of parts) {
    partSummaries.push(await summarize(part, lengths.part));
    requests++;
  }
  let level = partSummaries.filter((summary) => summary.trim() !== '');
  let depth = 0;
  for (;;) {
    const step = planReduce(level, budget);
    depth++;
    if (step.final) {
      const input = step.groups[0]?.input ?? '';
      const summary = input ? await summarize(input, lengths.final) : '';
      if (input) requests++;
      return { summary, parts, partSummaries, requests, depth };
    }
    const next: string[] = [];
    for (const group of step.groups) {
      if (group.first === group.last) {
        next.push(group.input);
        continue;
      }
      next.push(await summarize(group.input, lengthsFor(text, step.groups.length, budget, policy).part));
      requests++;
    }
    level = next.filter((summary) => summary.trim() !== '');
  }
};
