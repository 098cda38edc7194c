import { STOP_WORDS } from './stop-words';

/** Letters and digits, keeping inner apostrophes ("don't", "O'Brien") and hyphens ("long-term") together. */
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const MARKS = /\p{M}+/gu;

/** Every word of the text, in order, as written. */
export const words = (text: string): string[] => text.match(WORD) ?? [];

/**
 * Length in whitespace-separated words ("U.S." is one): the unit of `max_length` / `min_length` here,
 * standing in for PEGASUS's sentencepiece tokens (about 1.3 to a word).
 */
export const countWords = (text: string): number => text.match(/\S+/g)?.length ?? 0;

/**
 * Content terms for similarity: lower-cased, accents folded ("café" = "cafe"), possessives dropped, stop
 * words removed, and a light suffix stem so "charges"/"charged"/"charge" meet. A full Porter stemmer would
 * merge a few more forms; for similarity between sentences of one article the light stem is enough.
 */
export const terms = (text: string): string[] => {
  const out: string[] = [];
  for (const word of words(text)) {
    const folded = word
      .normalize('NFD')
      .replace(MARKS, '')
      .toLowerCase()
      .replace(/['’]s$/, '');
    if (STOP_WORDS.has(folded) || (folded.length < 2 && !/\d/.test(folded))) continue;
    out.push(stem(folded));
  }
  return out;
};

export const stem = (word: string): string => {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  // "charge"/"charg-ed" and "stopp-ed"/"stop": trim a final e and a doubled consonant the suffixes leave.
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  return w;
};
