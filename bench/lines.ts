/**
 * The sentence split behind the Lead-k baselines (docs/benchmarks.md, "`npm run bench:quality`"): a break after ".", "!" or "?"
 * (plus any closing quotes or brackets) and whitespace, when the next sentence starts with an optional
 * opening quote or bracket and then a capital letter or a digit.
 */
const SENTENCE_BREAK = /(?<=[.!?]["'”’)\]]*)\s+(?=["'“‘([]?[A-Z0-9])/u;
/** "...the story.The video..." (sentences glued without a space): a break only after a lower-case letter. */
const GLUED_BREAK = /(?<=[a-z][.!?]["'”’)\]]*)(?=["'“‘([]?[A-Z])/u;

export const sentenceLines = (text: string): string[] =>
  text
    .trim()
    .split(SENTENCE_BREAK)
    .flatMap((sentence) => sentence.split(GLUED_BREAK))
    .map((sentence) => sentence.replace(/\s+/g, ' ').trim())
    .filter(Boolean);

/** The first k sentences, one a line: docs/benchmarks.md's Lead-k. */
export const lead = (text: string, k: number): string => text.trim().split(SENTENCE_BREAK).slice(0, k).join('\n');

/**
 * A summary as rougeLsum wants it, one sentence a line. Packages that return a list of sentences keep
 * their sentences; packages that return one string get a break at each sentence end, so no system loses
 * rougeLsum for its output format alone.
 */
export const asLines = (summary: string | readonly string[]): string =>
  (typeof summary === 'string' ? sentenceLines(summary) : summary.map((s) => s.replace(/\s+/g, ' ').trim())).filter(Boolean).join('\n');

/**
 * Lead-K words for long research text (one sentence a line): the leading lines until they hold at least
 * `k` words, a word being a token with a letter or digit (docs/benchmarks.md's Lead-200).
 */
export const leadWords = (text: string, k: number): string => {
  const kept: string[] = [];
  let words = 0;
  for (const line of text.split('\n')) {
    if (words >= k) break;
    const clean = line.replace(/\s+/g, ' ').trim();
    if (!clean) continue;
    kept.push(clean);
    words += clean.split(' ').filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
  }
  return kept.join('\n');
};
