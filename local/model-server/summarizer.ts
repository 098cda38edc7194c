/**
 * The Hugging Face summarization pipeline kwargs that mean something to an extractive summarizer. Lengths
 * are in words here where PEGASUS counts sentencepiece tokens (about 1.3 to a word), so the same number
 * allows a somewhat longer summary. Others (`truncation`, `do_sample`, `num_beams`, ...) are accepted by
 * the server and ignored.
 */

import { cosine, DEFAULT_WEIGHTS, LONG_TEXT_WEIGHTS, rankSentences, type Candidate, type RankingWeights } from './ranking';
import { splitSentences, type Sentence } from './sentences';
import { countWords } from './tokens';

export interface SummarizeOptions {
  /** Hard upper bound; default 128 like google/pegasus-cnn_dailymail's generation `max_length`. */
  max_length?: number;
  /** Sentences are added until the summary has at least this many words, if the article allows. */
  min_length?: number;
}

export const DEFAULT_MAX_LENGTH = 128;
export const DEFAULT_MIN_LENGTH = 0;
/** CNN/DailyMail highlights and PEGASUS outputs run to about 50-60 words: three or four sentences. */
export const TARGET_WORDS = 60;
/** PEGASUS reads only its first 1,024 tokens; later sentences cannot be in its summary either. */
const MAX_INPUT_WORDS = 1_000;
/** Far more characters than 1,000 words take, so that a multi-megabyte input is never split whole. */
const MAX_INPUT_CHARS = 50_000;
const MAX_CANDIDATES = 150;
/** Maximal Marginal Relevance trade-off (Carbonell & Goldstein 1998): 1 ignores redundancy. */
const RELEVANCE_SHARE = 0.7;

/**
 * A reduce input (part summaries joined as paragraphs, core/long-article/steps.ts joinSummaries) is already a
 * summary: each of its sentences stands for about this many of the article's, as a news part summary keeps
 * about a quarter of its part (five sentences of twenty). The lead prior counts article sentences, so on
 * such an input it decays this many times sooner; otherwise the second part's summary begins where the
 * article's lead still weighs half, and a reduce keeps less of the lead than one pass over the article.
 */
export const SUMMARY_COMPRESSION = 4;
/** A blank line (what joins part summaries); a summary itself is one sentence a line, without blank lines. */
const PARAGRAPH_BREAK = /\n[^\S\n]*\n/;

/** "(CNN) --", "LONDON (Reuters) -": an agency dateline is not part of the first sentence's content. */
const DATELINE =
  /^\s*[\p{Lu}][\p{L} .,'-]{0,40}?\s*\((?:CNN|Reuters|AP|AFP|UPI)\)\s*[-—–]*\s*|^\s*\((?:CNN|Reuters|AP|AFP|UPI)\)\s*[-—–]*\s*/u;
/** Web-page furniture that comes along when an article is copied from a site. */
const FURNITURE = /^(?:scroll down|click here|read more|watch the video|advertisement|follow\b.*\bon (?:twitter|facebook|instagram))/i;

/**
 * Extractive summary of an English article: the best sentences by a lead prior, TextRank centrality and
 * a length factor, picked with MMR so that they do not repeat each other, then put back in document order
 * and joined with "\n" (one sentence a line, like the CNN/DailyMail reference highlights; rougeLsum needs
 * the line breaks). Each output line is an input sentence, with whitespace runs collapsed to one space;
 * when even the best sentence is longer than the budget (e.g. text without punctuation) it is cut at a
 * word boundary. Deterministic: the same text and options give the same summary.
 */
export const summarize = (
  text: string,
  options: SummarizeOptions = {},
  /** Tuning knobs for evaluation scripts; the server always uses the defaults. */
  weights: RankingWeights = DEFAULT_WEIGHTS,
): string => {
  const maxWords = Math.max(1, Math.floor(options.max_length ?? DEFAULT_MAX_LENGTH));
  const minWords = Math.min(maxWords, Math.max(0, Math.floor(options.min_length ?? DEFAULT_MIN_LENGTH)));
  // Given bounds, it aims between them, as a model generating to its end-of-sequence token would.
  const given = options.max_length !== undefined || options.min_length !== undefined;
  const target = given ? Math.round((minWords + maxWords) / 2) : Math.min(maxWords, TARGET_WORDS);
  // Asked for more than a news summary (a part or an abstract of a research article): the long-text weights.
  const long = minWords > TARGET_WORDS;

  const sentences = leadingSentences(splitSentences(text.slice(0, MAX_INPUT_CHARS).replace(DATELINE, '')));
  const ranking = long
    ? LONG_TEXT_WEIGHTS
    : isJoinedSummaries(text)
      ? { ...weights, positionDecay: weights.positionDecay / SUMMARY_COMPRESSION }
      : weights;
  const candidates = rankSentences(sentences, ranking).filter((c) => c.score > 0 && !FURNITURE.test(c.sentence.text));
  if (candidates.length === 0) return '';

  const chosen = pickWithMmr(candidates, target, maxWords);
  if (chosen.length === 0) return cutToWords(bestOf(candidates).sentence.text, target);
  return chosen
    .sort((a, b) => a.sentence.index - b.sentence.index)
    .map((c) => c.sentence.text)
    .join('\n');
};

/**
 * Paragraphs of which at least one has several lines: what joinSummaries sends (summaries of one sentence a
 * line). An article written as one paragraph a line, or as a single paragraph, is not one.
 */
const isJoinedSummaries = (text: string): boolean => {
  const blocks = text.trim().split(PARAGRAPH_BREAK);
  return blocks.length >= 2 && blocks.some((block) => block.trim().includes('\n'));
};

const leadingSentences = (sentences: Sentence[]): Sentence[] => {
  const kept: Sentence[] = [];
  let words = 0;
  for (const sentence of sentences) {
    if (words >= MAX_INPUT_WORDS || kept.length >= MAX_CANDIDATES) break;
    kept.push(sentence);
    words += countWords(sentence.text);
  }
  return kept;
};

const pickWithMmr = (candidates: Candidate[], target: number, maxWords: number): Candidate[] => {
  const top = bestOf(candidates).score;
  const pool = [...candidates];
  const chosen: Candidate[] = [];
  let words = 0;
  while (words < target && pool.length > 0) {
    let bestIndex = 0;
    let bestValue = -Infinity;
    pool.forEach((c, i) => {
      const redundancy = Math.max(0, ...chosen.map((s) => cosine(c.vector, s.vector)));
      const value = RELEVANCE_SHARE * (c.score / top) - (1 - RELEVANCE_SHARE) * redundancy;
      if (value > bestValue) [bestIndex, bestValue] = [i, value];
    });
    const [next] = pool.splice(bestIndex, 1) as [Candidate];
    if (words + next.words > maxWords) continue; // too long for what is left: a shorter one may fit
    chosen.push(next);
    words += next.words;
  }
  return chosen;
};

const bestOf = (candidates: Candidate[]): Candidate => candidates.reduce((best, c) => (c.score > best.score ? c : best));

/** The first `limit` words, ending at a comma or semicolon in the last third when there is one. */
const cutToWords = (text: string, limit: number): string => {
  let end = 0;
  let count = 0;
  for (const match of text.matchAll(/\S+/g)) {
    end = match.index + match[0].length;
    if (++count >= limit) break;
  }
  const clause = text.slice(0, end).search(/[,;:](?=[^,;:]*$)/);
  return (clause >= (end * 2) / 3 ? text.slice(0, clause) : text.slice(0, end)).trim();
};
