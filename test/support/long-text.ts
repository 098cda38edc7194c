/**
 * Generated long articles for the long-article tests: varied sentences in paragraphs, deterministic
 * per seed. Never evaluation data.
 */
const SUBJECTS = [
  'the cohort',
  'each sample',
  'the control group',
  'our model',
  'the enzyme',
  'the survey',
  'this method',
  'the river basin',
  'every patient',
  'the lattice',
];
const VERBS = ['showed', 'reduced', 'increased', 'predicted', 'matched', 'exceeded', 'confirmed', 'altered', 'doubled', 'halved'];
const OBJECTS = [
  'the baseline rate',
  'protein binding',
  'seasonal variance',
  'the expected yield',
  'mean survival',
  'thermal noise',
  'the error bound',
  'cell density',
  'annual rainfall',
  'the response time',
];
const TAILS = [
  'after twelve weeks',
  'in the second trial',
  'under low light',
  'across all sites',
  'within the margin',
  'at higher doses',
  'in older subjects',
  'during the winter',
  'with fewer steps',
  'beyond the threshold',
];

/** Park-Miller minimal standard generator: the same seed gives the same article. */
const random = (seed: number) => {
  let state = seed % 2147483647 || 1;
  return (n: number): number => {
    state = (state * 16807) % 2147483647;
    return state % n;
  };
};

/** About `words` words, in paragraphs of 4 to 9 sentences; every sentence numbered, so parts can be traced. */
export const generatedArticle = (words: number, seed = 1): string => {
  const pick = random(seed);
  const paragraphs: string[] = [];
  let count = 0;
  let sentence = 0;
  while (count < words) {
    const sentences: string[] = [];
    for (let i = 4 + pick(6); i > 0 && count < words; i--) {
      const text = `In finding ${++sentence}, ${SUBJECTS[pick(10)]} ${VERBS[pick(10)]} ${OBJECTS[pick(10)]} ${TAILS[pick(10)]}.`;
      sentences.push(text.charAt(0).toUpperCase() + text.slice(1));
      count += text.split(' ').length;
    }
    paragraphs.push(sentences.join(' '));
  }
  return paragraphs.join('\n\n');
};
