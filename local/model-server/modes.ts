import { setTimeout as sleep } from 'node:timers/promises';
import { summarize, type SummarizeOptions } from './summarizer';

/** What the model does with the decoded inputs: one summary per input, in order. */
export type Predict = (inputs: string[], parameters: SummarizeOptions) => Promise<string[]>;

export type Mode = 'summarize' | 'fixed';

/** The real extractive summarizer; synchronous and a few milliseconds an article, so it runs inline. */
export const summarizeMode = (): Predict => async (inputs, parameters) =>
  inputs.map((input) => summarize(input, parameters));

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

export const makePredict = (mode: Mode, latencyMs: number): Predict =>
  mode === 'fixed' ? fixedMode(latencyMs) : summarizeMode();
