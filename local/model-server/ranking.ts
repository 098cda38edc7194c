import type { Sentence } from './sentences';
import { countWords, terms } from './tokens';

export type Vector = Map<string, number>;

export interface Candidate {
  sentence: Sentence;
  words: number;
  vector: Vector;
  /** How much the sentence deserves a place in the summary, before redundancy is considered. */
  score: number;
}

export interface RankingWeights {
  /**
   * Sentences after which the lead prior has fallen to 1/e. News puts the key facts first, which is why
   * Lead-3 is hard to beat on CNN/DailyMail.
   */
  positionDecay: number;
  /**
   * Added to TextRank centrality (scaled to 0..1) before it multiplies the lead prior: an early sentence
   * that echoes nothing else in the article (an aside, a scene-setter) keeps a third of the weight of an
   * equally early central one.
   */
  centralityFloor: number;
  /** Below this many words a sentence is a fragment ("Watch the video:"), scaled down linearly. */
  shortWords: number;
  /** Above this many words a sentence is usually captions run together; scaled down beyond it. */
  longWords: number;
  /**
   * Sentences from the end after which an end prior has fallen to 1/e (0: none). Research text states its
   * findings again at the end of each section (HipoRank, Dong et al. 2021: section boundaries, both ends).
   */
  endDecay: number;
}

export const DEFAULT_WEIGHTS: RankingWeights = {
  positionDecay: 8,
  centralityFloor: 0.5,
  shortWords: 8,
  longWords: 45,
  endDecay: 0,
};

/**
 * For research text, whose key statements are not all in its first sentences: a weaker lead prior and an
 * end prior, so the first and last sentences of each part (and of the joined part summaries a reduce reads)
 * weigh most, after HipoRank's section-boundary positions (Dong et al. 2021, https://arxiv.org/abs/2005.00513).
 */
export const LONG_TEXT_WEIGHTS: RankingWeights = {
  ...DEFAULT_WEIGHTS,
  positionDecay: 20,
  endDecay: 5,
};

const DAMPING = 0.85;
const ITERATIONS = 30;

/** TF-IDF vectors, with a sentence as the "document" for IDF (terms repeated in few sentences weigh most). */
export const vectorize = (sentences: Sentence[]): Vector[] => {
  const termLists = sentences.map((s) => terms(s.text));
  const df = new Map<string, number>();
  for (const list of termLists) for (const t of new Set(list)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = sentences.length;
  return termLists.map((list) => {
    const tf = new Map<string, number>();
    for (const t of list) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v: Vector = new Map();
    for (const [t, count] of tf) v.set(t, (1 + Math.log(count)) * Math.log(1 + n / (df.get(t) ?? 1)));
    return v;
  });
};

export const cosine = (a: Vector, b: Vector): number => {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) dot += w * (large.get(t) ?? 0);
  return dot === 0 ? 0 : dot / (norm(a) * norm(b));
};

const norms = new WeakMap<Vector, number>();
const norm = (v: Vector): number => {
  let cached = norms.get(v);
  if (cached === undefined) {
    cached = Math.sqrt([...v.values()].reduce((sum, w) => sum + w * w, 0));
    norms.set(v, cached);
  }
  return cached;
};

/** PageRank over the cosine-similarity graph (TextRank, Mihalcea & Tarau 2004; LexRank without a threshold). */
export const textRank = (vectors: Vector[]): number[] => {
  const n = vectors.length;
  const sim = vectors.map((a, i) => vectors.map((b, j) => (i === j ? 0 : cosine(a, b))));
  const outWeight = sim.map((row) => row.reduce((sum, w) => sum + w, 0));
  let rank = new Array<number>(n).fill(1 / n);
  for (let step = 0; step < ITERATIONS; step++) {
    rank = rank.map((_, i) => {
      let incoming = 0;
      for (let j = 0; j < n; j++) {
        const out = outWeight[j] ?? 0;
        if (out > 0) incoming += ((sim[j]?.[i] ?? 0) / out) * (rank[j] ?? 0);
      }
      return (1 - DAMPING) / n + DAMPING * incoming;
    });
  }
  return rank;
};

/**
 * Scores every sentence: a lead prior times TextRank centrality (scaled to the best sentence, plus a floor),
 * times a length factor. Headings get no score: they are context, not summary sentences.
 */
export const rankSentences = (sentences: Sentence[], weights: RankingWeights = DEFAULT_WEIGHTS): Candidate[] => {
  const vectors = vectorize(sentences);
  const centrality = textRank(vectors);
  const best = Math.max(...centrality, Number.MIN_VALUE);
  let position = 0;
  const body = sentences.filter((s) => s.kind !== 'heading').length;
  return sentences.map((sentence, i) => {
    const words = countWords(sentence.text);
    const vector = vectors[i] as Vector;
    if (sentence.kind === 'heading' || words === 0) return { sentence, words, vector, score: 0 };
    const lead = Math.exp(-position / weights.positionDecay);
    const prior = weights.endDecay > 0 ? Math.max(lead, Math.exp(-(body - 1 - position) / weights.endDecay)) : lead;
    position++;
    const central = (centrality[i] ?? 0) / best;
    const score = prior * (weights.centralityFloor + central) * lengthFactor(words, weights);
    return { sentence, words, vector, score };
  });
};

const lengthFactor = (words: number, weights: RankingWeights): number => {
  if (words < weights.shortWords) return words / weights.shortWords;
  if (words > weights.longWords) return weights.longWords / words;
  return 1;
};
