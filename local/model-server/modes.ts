import { setTimeout as sleep } from 'node:timers/promises';
import { tokensToWords, truncateToTokens } from '../../core/long-article/token-estimate';
import { summarize, type SummarizeOptions } from './summarizer';

/** What the model does with the decoded inputs: one summary per input, in order. */
export type Predict = (inputs: string[], parameters: SummarizeOptions) => Promise<string[]>;

export type Mode = 'summarize' | 'fixed';

/**
 * google/pegasus-cnn_dailymail's generation defaults (its config.json `max_length` 128, `min_length` 32), in
 * tokens; a request's `parameters` override them.
 */
export const DEFAULT_GENERATION = { max_length: 128, min_length: 32 } as const;

/**
 * The real extractive summarizer; synchronous and a few milliseconds an article, so it runs inline. Like the
 * Hugging Face pipeline with `truncation: true`, it reads only the first `maxInputTokens` tokens of each input
 * (the rest is dropped, not an error), and `min_length`/`max_length` count tokens, turned into the words
 * the summarizer counts.
 */
export const summarizeMode =
  (maxInputTokens: number): Predict =>
  async (inputs, parameters) => {
    const maxLength = parameters.max_length ?? DEFAULT_GENERATION.max_length;
    const minLength = Math.min(maxLength, parameters.min_length ?? DEFAULT_GENERATION.min_length);
    const inWords = { max_length: Math.max(1, tokensToWords(maxLength)), min_length: tokensToWords(minLength) };
    return inputs.map((input) => summarize(truncateToTokens(input, maxInputTokens), inWords));
  };

/** The first 20 words of the input: what the fixed-latency stand-in echoes back as its "summary". */
const FIRST_WORDS = /^\s*(?:\S+\s+){0,19}\S*/;

/**
 * A stand-in with a fixed service time and a trivial summary (the first words of each input), so that
 * benchmarks measure the pipeline, not the model. The delay is at least `latencyMs`: timers may fire a
 * little early, so it waits again for whatever is left.
 */
export const fixedMode =
  (latencyMs: number): Predict =>
  async (inputs) => {
    const start = performance.now();
    for (let left = latencyMs; left > 0; left = latencyMs - (performance.now() - start)) {
      await sleep(Math.ceil(left));
    }
    return inputs.map((input) => (FIRST_WORDS.exec(input)?.[0] ?? '').replace(/\s+/g, ' ').trim());
  };

export const makePredict = (mode: Mode, latencyMs: number, maxInputTokens: number): Predict =>
  mode === 'fixed' ? fixedMode(latencyMs) : summarizeMode(maxInputTokens);
