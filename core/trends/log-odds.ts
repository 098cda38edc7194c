/**
 * Which phrases are over-represented in one period against a reference (the periods before it): the
 * weighted log-odds ratio with an informative Dirichlet prior, as a z-score (Monroe, Colaresi & Quinn
 * 2008, "Fightin' Words", Political Analysis 16(4), eq. 16–22, https://doi.org/10.1093/pan/mpn018).
 *
 * The prior is the two periods pooled, weighted to a tenth of the data (α_w = PRIOR_WEIGHT ·
 * (y_w^target + y_w^reference)): its shares are the phrase's overall share, so a phrase seen once gets a
 * small prior and its variance (1/(y+α) on each side) stays large. A phrase in one article of the day,
 * never seen before, therefore scores far below one that many of the day's articles share. A weight of
 * 1 (a prior as large as the data) hid a topic in 3 of a day's 4 articles against 1 of the 6 before
 * (z 0.84); at 0.1 it scores 1.27, and a one-off new phrase about 1.
 */

/** How much the pooled counts weigh as a prior, relative to the data. */
export const PRIOR_WEIGHT = 0.1;

export interface PhraseScore {
  phrase: string;
  /** z-score of the log-odds ratio: how many standard errors the phrase is above its reference share. */
  score: number;
  /** Articles with the phrase in the target period. */
  count: number;
}

/** Phrase counts (articles with the phrase) of the target and the reference, ranked by z-score, positive only. */
export const risingPhrases = (target: ReadonlyMap<string, number>, reference: ReadonlyMap<string, number>): PhraseScore[] => {
  const nTarget = sum(target);
  const nReference = sum(reference);
  const alpha0 = PRIOR_WEIGHT * (nTarget + nReference);
  if (nTarget === 0) return [];
  const scores: PhraseScore[] = [];
  for (const [phrase, yTarget] of target) {
    const yReference = reference.get(phrase) ?? 0;
    const alpha = PRIOR_WEIGHT * (yTarget + yReference);
    const delta =
      Math.log((yTarget + alpha) / (nTarget + alpha0 - yTarget - alpha)) -
      Math.log((yReference + alpha) / (nReference + alpha0 - yReference - alpha));
    const variance = 1 / (yTarget + alpha) + 1 / (yReference + alpha);
    const score = delta / Math.sqrt(variance);
    if (score > 0) scores.push({ phrase, score, count: yTarget });
  }
  return scores.sort((a, b) => b.score - a.score || b.count - a.count || morePrecise(a.phrase, b.phrase));
};

/** Between equals, the longer phrase first ("heat pump" before "heat", which it contains), then A to Z. */
export const morePrecise = (a: string, b: string): number => b.split(' ').length - a.split(' ').length || (a < b ? -1 : a > b ? 1 : 0);

const sum = (counts: ReadonlyMap<string, number>): number => {
  let total = 0;
  for (const n of counts.values()) total += n;
  return total;
};
