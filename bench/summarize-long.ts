import { longArticlePolicy, type PolicySettings } from '../core/long-article/policy';
import { joinSummaries, type GenerationParameters } from '../core/long-article/steps';
import type { GenerationLength } from '../core/model-request';

/**
 * Split, map, reduce in one process: the driver the quality benchmark runs. It asks the pipeline's own
 * LongArticlePolicy (core/long-article/policy.ts) every question submit-article and record-result ask,
 * in the same order, so the benchmark scores what the pipeline does; only the model call is injected.
 */

/** One model request: the input text and, for parts and reduces, a generation length in tokens. */
export type SummarizeText = (text: string, length?: GenerationLength) => Promise<string>;

export type LongSummaryOptions = PolicySettings;

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
  const policy = longArticlePolicy(options);
  // submit-article's rule: within the limit, or split into one part, the article is one request.
  const parts = policy.estimateTokens(text) <= policy.maxInputTokens ? [text] : policy.split(text);
  if (parts.length === 1) {
    const summary = await summarize(text);
    return { summary, parts: [text], partSummaries: [summary], requests: 1, depth: 0 };
  }
  const research = policy.isResearch(text);
  const partLength = asLength(policy.generation('part', { research, count: parts.length }));
  const partSummaries: string[] = [];
  for (const part of parts) partSummaries.push(await summarize(part, partLength));
  let requests = parts.length;
  let level = partSummaries;
  // record-result's rule: plan the level's summaries; one group is the final reduce.
  for (let depth = 1; ; depth++) {
    const groups = policy.planReduce(level);
    const kind = groups.length === 1 ? 'final' : 'reduce';
    const length = asLength(policy.generation(kind, { research, count: groups.length }));
    const next: string[] = [];
    for (const group of groups) next.push(await summarize(joinSummaries(group), length));
    requests += groups.length;
    if (groups.length === 1) return { summary: next[0] ?? '', parts, partSummaries, requests, depth };
    level = next;
  }
};

const asLength = (parameters: GenerationParameters): GenerationLength | undefined =>
  typeof parameters.min_length === 'number' && typeof parameters.max_length === 'number'
    ? { min_length: parameters.min_length, max_length: parameters.max_length }
    : undefined;
