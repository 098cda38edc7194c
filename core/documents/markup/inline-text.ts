/**
 * Paragraph text once its inline citations are gone. Readers put CITATION where a citation or
 * footnote marker stood; tidyParagraph removes the brackets or parentheses left holding only
 * citations and separators ("[1–3]", "(Smith et al., 2010; Jones, 2012)"), then the markers, then the
 * space they leave before punctuation.
 */

import { cleanText } from '../sections';

/** Stands where an inline citation or footnote marker was (a private-use character, never in text). */
export const CITATION = '\ue000';

const SEPARATORS = /[\s,;:–—\-−&]+/g;
const LINKING_WORDS = /\b(and|e\.g\.|see|see also|cf\.|refs?\.?|reviewed in|for (a )?(recent )?reviews?)\b/gi;

/** A bracketed group that holds citations and nothing a reader needs once they are gone. */
const onlyCitations = (inner: string): boolean =>
  inner.includes(CITATION) && inner.replace(LINKING_WORDS, ' ').replaceAll(CITATION, ' ').replace(SEPARATORS, ' ').trim() === '';

const BRACKETS = /[[(]([^[\]()]*)[\])]/g;

/** A paragraph with its citation markers and their brackets removed, cleaned (sections.ts cleanText). */
export const tidyParagraph = (text: string): string => {
  let tidied = text;
  if (tidied.includes(CITATION)) {
    tidied = tidied.replace(BRACKETS, (group, inner: string) => (onlyCitations(inner) ? '' : group));
    tidied = tidied.replace(/\s*\ue000(?:[\s,;–—\-−]*\ue000)*/g, '');
  }
  return cleanText(
    tidied
      .replace(/[[(]\s*[\])]/g, '') // brackets emptied by a formula or figure taken out
      .replace(/\s+/g, ' ')
      .replace(/ +([.,;:!?)\]])/g, '$1')
      .replace(/([([]) +/g, '$1'),
  );
};

/** The number of words in a text, as the benchmarks count them. */
export const wordCount = (text: string): number => (text.match(/\S+/g) ?? []).length;
