import { l, n } from 'js-rouge';
import { porterStem } from './porter-stemmer';

/** ROUGE F1 in 0..1. */
export interface RougeScores {
  rouge1: number;
  rouge2: number;
  rougeLsum: number;
}

/**
 * rouge-score's tokenizer with stemming (google-research `rouge/tokenize.py`): lower-case, every run of
 * characters outside [a-z0-9] becomes a space (non-ASCII letters and "£" vanish), Porter-stem tokens longer
 * than 3 characters, keep tokens that are still [a-z0-9]+.
 */
export const tokenize = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(/\s+/)
    .map((token) => (token.length > 3 ? porterStem(token) : token))
    .filter((token) => /^[a-z0-9]+$/.test(token));

/** rougeLsum's sentences are the lines of a text (rouge-score drops empty ones). */
const lines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

/**
 * ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 of one prediction against one reference, as rouge-score computes
 * them with `use_stemmer=True`. n-gram matches are clipped counts. ROUGE-Lsum is ROUGE-1.5.5's
 * summary-level LCS: for each reference line, the union of its LCS with every prediction line, each
 * token counted at most as often as it occurs on both sides; so a prediction must keep one sentence a line.
 *
 * js-rouge does the counting (its LCS breaks ties the way rouge-score's backtracking does); it throws on
 * empty input, and rouge-score scores a prediction or reference without tokens 0, so that case is
 * answered here.
 */
export const scoreRouge = (prediction: string, reference: string): RougeScores => {
  if (tokenize(prediction).length === 0 || tokenize(reference).length === 0) {
    return { rouge1: 0, rouge2: 0, rougeLsum: 0 };
  }
  return {
    rouge1: n(prediction, reference, { n: 1, tokenizer: tokenize }),
    rouge2: n(prediction, reference, { n: 2, tokenizer: tokenize }),
    rougeLsum: l(prediction, reference, { tokenizer: tokenize, segmenter: lines }),
  };
};
