import { estimateTokens } from './token-estimate';

/**
 * The reduce step of a long summary: part summaries, in document order, grouped into model requests whose
 * input fits the model. When every summary fits one request, that request is the final one; otherwise each
 * group is summarized and the results are planned again, a tree (`summaries` halve at least at every level,
 * so a tree over N parts is at most log2(N) levels deep).
 */

/** Part summaries join as paragraphs, so the model (and a reader) sees where one part ends. */
export const REDUCE_SEPARATOR = '\n\n';

export interface ReduceGroup {
  /** Index of the group's first and last summary in the list planned. */
  first: number;
  last: number;
  /** The model input: the group's summaries joined with REDUCE_SEPARATOR. */
  input: string;
}

export interface ReduceStep {
  /** One group holding every summary: its summary is the article's. */
  final: boolean;
  /**
   * Requests of this level, in order. A group of one summary (at most one, the last) needs no request: it
   * goes up to the next level unchanged.
   */
  groups: ReduceGroup[];
}

/**
 * Groups consecutive summaries so each group's input is estimated within `budget` tokens (the part budget
 * of core/long-article/split.ts). Two summaries that do not fit together still share a group, so that every level
 * makes progress; the model then reads what fits (it truncates, see local/model-server/README.md).
 */
export const planReduce = (summaries: readonly string[], budget: number): ReduceStep => {
  const tokens = summaries.map((summary) => estimateTokens(summary) - 1);
  const groups: ReduceGroup[] = [];
  let first = 0;
  let sum = 0;
  const close = (last: number): void => {
    groups.push({ first, last, input: summaries.slice(first, last + 1).join(REDUCE_SEPARATOR) });
  };
  tokens.forEach((count, i) => {
    const size = i - first;
    if (size >= 2 && sum + count + 1 > budget) {
      close(i - 1);
      first = i;
      sum = 0;
    }
    sum += count;
  });
  if (summaries.length > 0) close(summaries.length - 1);
  return { final: groups.length <= 1, groups };
};
