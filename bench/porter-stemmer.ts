/**
 * The Porter stemmer exactly as NLTK 3.8 runs it by default (`PorterStemmer()`, mode NLTK_EXTENSIONS),
 * because that is the stemmer Google's rouge-score uses. A line-by-line port of `nltk/stem/porter.py`
 * (Apache-2.0). The npm `stemmer` / `porter-stemmer` / `natural` packages implement the MARTIN_EXTENSIONS
 * mode instead, which differs on about 2% of word types ("aged" → ag, "wednesday" → wednesdai) and moves
 * corpus ROUGE by up to 0.04 (shared/eval/README.md).
 *
 * Input is one lower-case token, as rouge-score passes it.
 */
export const porterStem = (word: string): string => {
  const irregular = IRREGULAR_FORMS.get(word);
  if (irregular !== undefined) return irregular;
  if (word.length <= 2) return word;
  let stem = step1a(word);
  stem = step1b(stem);
  stem = step1c(stem);
  stem = step2(stem);
  stem = step3(stem);
  stem = step4(stem);
  stem = step5a(stem);
  return step5b(stem);
};

/** NLTK's table of irregular forms (form → stem). */
const IRREGULAR_FORMS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    sky: ['sky', 'skies'],
    die: ['dying'],
    lie: ['lying'],
    tie: ['tying'],
    news: ['news'],
    inning: ['innings', 'inning'],
    outing: ['outings', 'outing'],
    canning: ['cannings', 'canning'],
    howe: ['howe'],
    proceed: ['proceed'],
    exceed: ['exceed'],
    succeed: ['succeed'],
  }).flatMap(([stem, forms]) => forms.map((form) => [form, stem] as const)),
);

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/** "A letter other than A, E, I, O or U, and other than Y preceded by a consonant." */
const isConsonant = (word: string, i: number): boolean => {
  const letter = word.charAt(i);
  if (VOWELS.has(letter)) return false;
  if (letter === 'y') return i === 0 ? true : !isConsonant(word, i - 1);
  return true;
};

/** m in [C](VC){m}[V]: the number of vowel-consonant transitions. */
const measure = (stem: string): number => {
  let m = 0;
  for (let i = 1; i < stem.length; i++) if (!isConsonant(stem, i - 1) && isConsonant(stem, i)) m++;
  return m;
};

const hasPositiveMeasure = (stem: string): boolean => measure(stem) > 0;

const containsVowel = (stem: string): boolean => {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true;
  return false;
};

/** Condition *d. */
const endsDoubleConsonant = (word: string): boolean =>
  word.length >= 2 && word.at(-1) === word.at(-2) && isConsonant(word, word.length - 1);

/** Condition *o (cvc, the last c not w, x or y), plus NLTK's two-letter vc case. */
const endsCvc = (word: string): boolean => {
  const n = word.length;
  return (
    (n >= 3 &&
      isConsonant(word, n - 3) &&
      !isConsonant(word, n - 2) &&
      isConsonant(word, n - 1) &&
      !['w', 'x', 'y'].includes(word.charAt(n - 1))) ||
    (n === 2 && !isConsonant(word, 0) && isConsonant(word, 1))
  );
};

type Condition = (stem: string) => boolean;
/** [suffix, replacement, condition]; the suffix "*d" means "ends in a double consonant". */
type Rule = readonly [suffix: string, replacement: string, condition: Condition | null];

const withoutSuffix = (word: string, suffix: string): string => (suffix === '' ? word : word.slice(0, -suffix.length));

/** The first rule whose suffix matches decides: it applies if its condition holds, else the word stays. */
const applyRuleList = (word: string, rules: readonly Rule[]): string => {
  for (const [suffix, replacement, condition] of rules) {
    if (suffix === '*d' && endsDoubleConsonant(word)) {
      const stem = word.slice(0, -2);
      return condition === null || condition(stem) ? stem + replacement : word;
    }
    if (word.endsWith(suffix)) {
      const stem = withoutSuffix(word, suffix);
      return condition === null || condition(stem) ? stem + replacement : word;
    }
  }
  return word;
};

const step1a = (word: string): string => {
  // NLTK: "dies" → "die" while "flies" → "fli".
  if (word.endsWith('ies') && word.length === 4) return `${withoutSuffix(word, 'ies')}ie`;
  return applyRuleList(word, [
    ['sses', 'ss', null],
    ['ies', 'i', null],
    ['ss', 'ss', null],
    ['s', '', null],
  ]);
};

const step1b = (word: string): string => {
  // NLTK: "died" → "die" while "spied" → "spi".
  if (word.endsWith('ied')) return `${withoutSuffix(word, 'ied')}${word.length === 4 ? 'ie' : 'i'}`;
  if (word.endsWith('eed')) {
    const stem = withoutSuffix(word, 'eed');
    return measure(stem) > 0 ? `${stem}ee` : word;
  }
  let intermediate: string | undefined;
  for (const suffix of ['ed', 'ing']) {
    if (word.endsWith(suffix)) {
      const candidate = withoutSuffix(word, suffix);
      if (containsVowel(candidate)) {
        intermediate = candidate;
        break;
      }
    }
  }
  if (intermediate === undefined) return word;
  const last = intermediate.charAt(intermediate.length - 1);
  return applyRuleList(intermediate, [
    ['at', 'ate', null],
    ['bl', 'ble', null],
    ['iz', 'ize', null],
    ['*d', last, () => !['l', 's', 'z'].includes(last)],
    ['', 'e', (stem) => measure(stem) === 1 && endsCvc(stem)],
  ]);
};

/** NLTK: y → i only after a consonant that is not the whole stem ("happy" → happi, "enjoy", "sky" stay). */
const step1c = (word: string): string => applyRuleList(word, [['y', 'i', (stem) => stem.length > 1 && isConsonant(stem, stem.length - 1)]]);

const step2 = (word: string): string => {
  // NLTK applies ALLI → AL first and, if it fires, runs step 2 again on the result.
  if (word.endsWith('alli') && hasPositiveMeasure(withoutSuffix(word, 'alli'))) {
    return step2(`${withoutSuffix(word, 'alli')}al`);
  }
  const rules: Rule[] = [
    ['ational', 'ate', hasPositiveMeasure],
    ['tional', 'tion', hasPositiveMeasure],
    ['enci', 'ence', hasPositiveMeasure],
    ['anci', 'ance', hasPositiveMeasure],
    ['izer', 'ize', hasPositiveMeasure],
    ['bli', 'ble', hasPositiveMeasure],
    ['alli', 'al', hasPositiveMeasure],
    ['entli', 'ent', hasPositiveMeasure],
    ['eli', 'e', hasPositiveMeasure],
    ['ousli', 'ous', hasPositiveMeasure],
    ['ization', 'ize', hasPositiveMeasure],
    ['ation', 'ate', hasPositiveMeasure],
    ['ator', 'ate', hasPositiveMeasure],
    ['alism', 'al', hasPositiveMeasure],
    ['iveness', 'ive', hasPositiveMeasure],
    ['fulness', 'ful', hasPositiveMeasure],
    ['ousness', 'ous', hasPositiveMeasure],
    ['aliti', 'al', hasPositiveMeasure],
    ['iviti', 'ive', hasPositiveMeasure],
    ['biliti', 'ble', hasPositiveMeasure],
    ['fulli', 'ful', hasPositiveMeasure],
    // NLTK keeps the "l" of "logi" with the stem, so short stems ("geo", "theo") qualify.
    ['logi', 'log', () => hasPositiveMeasure(word.slice(0, -3))],
  ];
  return applyRuleList(word, rules);
};

const step3 = (word: string): string =>
  applyRuleList(word, [
    ['icate', 'ic', hasPositiveMeasure],
    ['ative', '', hasPositiveMeasure],
    ['alize', 'al', hasPositiveMeasure],
    ['iciti', 'ic', hasPositiveMeasure],
    ['ical', 'ic', hasPositiveMeasure],
    ['ful', '', hasPositiveMeasure],
    ['ness', '', hasPositiveMeasure],
  ]);

const measureAboveOne: Condition = (stem) => measure(stem) > 1;

const step4 = (word: string): string =>
  applyRuleList(word, [
    ['al', '', measureAboveOne],
    ['ance', '', measureAboveOne],
    ['ence', '', measureAboveOne],
    ['er', '', measureAboveOne],
    ['ic', '', measureAboveOne],
    ['able', '', measureAboveOne],
    ['ible', '', measureAboveOne],
    ['ant', '', measureAboveOne],
    ['ement', '', measureAboveOne],
    ['ment', '', measureAboveOne],
    ['ent', '', measureAboveOne],
    ['ion', '', (stem) => measure(stem) > 1 && ['s', 't'].includes(stem.charAt(stem.length - 1))],
    ['ou', '', measureAboveOne],
    ['ism', '', measureAboveOne],
    ['ate', '', measureAboveOne],
    ['iti', '', measureAboveOne],
    ['ous', '', measureAboveOne],
    ['ive', '', measureAboveOne],
    ['ize', '', measureAboveOne],
  ]);

/** Both E rules are tried (unlike a rule list, where the first matching suffix decides). */
const step5a = (word: string): string => {
  if (!word.endsWith('e')) return word;
  const stem = withoutSuffix(word, 'e');
  if (measure(stem) > 1) return stem;
  if (measure(stem) === 1 && !endsCvc(stem)) return stem;
  return word;
};

const step5b = (word: string): string => applyRuleList(word, [['ll', 'l', () => measure(word.slice(0, -1)) > 1]]);
