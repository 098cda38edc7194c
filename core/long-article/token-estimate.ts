/**
 * A token count that does not undercount PEGASUS's SentencePiece tokens (96k-piece unigram vocabulary), so a
 * part sized by it is never truncated by the model. Per whitespace-separated word: one token per digit and
 * per non-ASCII character (numbers and rare characters break into single pieces), and the rest at three
 * characters a token, or two in words over 12 such characters (gene sequences, chemical names break into
 * short pieces). How it was checked is in README.md, "Long articles": against a 32k-piece SentencePiece
 * vocabulary, which splits finer than PEGASUS's, it never undercounted a 10-line window of the PubMed or
 * CNN/DailyMail samples (about 1.4 times the count on average).
 */
const WORD = /\S+/g;
const DIGIT = /[0-9]/g;
const NON_ASCII = /\P{ASCII}/gu;
const LONG_WORD = 12;

/** Hugging Face model input limits (`max_position_embeddings` in each model's config.json). */
export const MODEL_INPUT_TOKENS = {
  'google/pegasus-cnn_dailymail': 1024,
  'google/bigbird-pegasus-large-pubmed': 4096,
  'google/bigbird-pegasus-large-arxiv': 4096,
  'allenai/led-large-16384': 16384,
} as const;
export const DEFAULT_MAX_INPUT_TOKENS = MODEL_INPUT_TOKENS['google/pegasus-cnn_dailymail'];

/**
 * PEGASUS pieces per word of English prose, a typical figure (not a bound): what turns a summary length in
 * words into the generation parameters `min_length`/`max_length`, which count tokens.
 */
export const TOKENS_PER_WORD = 1.3;
export const wordsToTokens = (words: number): number => Math.round(words * TOKENS_PER_WORD);
export const tokensToWords = (tokens: number): number => Math.floor(tokens / TOKENS_PER_WORD);

export const wordTokens = (word: string): number => {
  const digits = word.match(DIGIT)?.length ?? 0;
  const other = word.match(NON_ASCII)?.length ?? 0;
  // Code units, not code points: an astral character counts twice, which only overcounts.
  const rest = word.length - digits - other;
  // At least one piece for the word's leading "▁" even when it is all digits ("▁", "1", "9").
  return Math.max(1, Math.ceil(rest / (rest > LONG_WORD ? 2 : 3))) + digits + other;
};

/** The estimate for a whole text; the end-of-sequence token PEGASUS appends is counted too. */
export const estimateTokens = (text: string): number => {
  let tokens = 1;
  for (const match of text.matchAll(WORD)) tokens += wordTokens(match[0]);
  return tokens;
};

/**
 * The longest prefix of `text` whose estimate fits `maxTokens`, cut after a whole word: what a model that
 * truncates its input (Hugging Face `truncation: true`) still reads of it.
 */
export const truncateToTokens = (text: string, maxTokens: number): string => {
  let tokens = 1;
  let end = 0;
  for (const match of text.matchAll(WORD)) {
    tokens += wordTokens(match[0]);
    if (tokens > maxTokens) return text.slice(0, end);
    end = match.index + match[0].length;
  }
  return text;
};
