import { partStep, reduceStep, type StepId } from '../ids';
import type { LedgerRow, StepRecord } from '../ledger';

/**
 * Long articles: an article over the model's input limit is split into parts (map), each summarized
 * by its own request; the part summaries are then reduced, level by level, until one request gives
 * the final summary. The text functions are injected, so this module only decides *which* request
 * comes next; core/long-article/policy.ts builds them.
 */
export type RequestKind = 'part' | 'reduce' | 'final';

/** Generation parameters of the Hugging Face summarization pipeline (`min_length`, `max_length`). */
export type GenerationParameters = Record<string, number | boolean>;

export interface LongArticlePolicy {
  /** The model's input limit in tokens (maxInputTokens). */
  maxInputTokens: number;
  estimateTokens(text: string): number;
  /** Parts of an over-long article, in order, each within maxInputTokens. */
  split(text: string): string[];
  /** Whether the article is research length (its final summary abstract-like); decided once, when it is split. */
  isResearch(text: string): boolean;
  /** Groups of summaries, each group one reduce request within maxInputTokens; one group is the final reduce. */
  planReduce(summaries: string[]): string[][];
  /**
   * Generation parameters of one request (truncation is added by the request builder): `count` is the
   * number of requests of its level (the parts, or the reduce groups), which share the next reduce's input.
   */
  generation(kind: RequestKind, context: { research: boolean; count: number }): GenerationParameters;
}

/** How the summaries of one reduce group become one model input. */
export const joinSummaries = (summaries: string[]): string => summaries.join('\n\n');

/** The steps of a level: the parts at level 0, the reduce groups above. */
export const stepsOfLevel = (level: number, size: number): StepId[] =>
  Array.from({ length: size }, (_, i) => (level === 0 ? partStep(i + 1) : reduceStep(level, i + 1)));

/** The level a step belongs to: 0 for a part, `n` for `r<n>-<group>`. */
export const levelOfStep = (step: StepId): number => (step.startsWith('p') ? 0 : Number(step.slice(1, step.indexOf('-'))));

/** A reduce level with one group is the final one: its output is the article's summary. */
export const isFinalLevel = (row: Pick<LedgerRow, 'level' | 'levelSize'>): boolean => (row.level ?? 0) > 0 && row.levelSize === 1;

/** "part 3 of 7", "reduce 2 of 3 (level 1)", "final reduce": how reasons and logs name a step. */
export const describeStep = (step: StepId, row: Pick<LedgerRow, 'parts' | 'level' | 'levelSize'>): string => {
  const part = /^p(\d+)$/.exec(step);
  if (part) return `part ${part[1]} of ${row.parts ?? '?'}`;
  const [, level, group] = /^r(\d+)-(\d+)$/.exec(step) ?? [];
  if (Number(level) === row.level && row.levelSize === 1) return 'final reduce';
  return `reduce ${group} (level ${level})`;
};

/**
 * Steps of the current level still to send for attempt `inferenceId`: never sent, or sent by an
 * earlier attempt and failed or never answered. A step this attempt sent is never sent again.
 */
export const unsentSteps = (row: Pick<LedgerRow, 'level' | 'levelSize' | 'steps'>, inferenceId: string): StepId[] =>
  stepsOfLevel(row.level ?? 0, row.levelSize ?? 0).filter((step) => needsSending(row.steps?.[step], inferenceId));

const needsSending = (record: StepRecord | undefined, inferenceId: string): boolean =>
  !record || (record.s !== 'done' && !record.id.startsWith(`${inferenceId}-`));

/**
 * A long article's progress for people (npm run results, the dashboard): "3/7 parts" while its parts are
 * summarized, "7/7 parts, reducing: level 1, 0/1" while they are reduced, "7 parts, 9 requests" once it
 * ended. Undefined for a short article (one request).
 */
export const partsProgress = (
  row: Pick<LedgerRow, 'state' | 'parts' | 'partsDone' | 'level' | 'levelDone' | 'levelSize' | 'requestCount'>,
): string | undefined => {
  if (row.parts === undefined) return undefined;
  const level = row.level ?? 0;
  if (row.state === 'COMPLETED') return `${row.parts} parts, ${row.requestCount} requests`;
  if (row.state !== 'QUEUED' || level === 0) return `${row.partsDone ?? 0}/${row.parts} parts`;
  return `${row.parts}/${row.parts} parts, reducing: level ${level}, ${row.levelDone ?? 0}/${row.levelSize ?? '?'}`;
};
