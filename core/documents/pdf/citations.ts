/**
 * Inline citations taken out of a paragraph, so the model reads the sentence and not its sources:
 * numbered ones in brackets ("[3]", "[4, 7–9]") and author–year ones in parentheses ("(Devlin et al.,
 * 2019; Yang et al., 2019)", "(Golub and Pereyra 2003)"); a textual citation keeps the authors' names
 * and loses the year ("Devlin et al. (2019)" reads "Devlin et al."). Numbers in parentheses stay: they
 * are as often a list's items or an equation's number as a citation.
 */

const NUMBERED = /\s*\[\d{1,4}(?:\s*[-–]\s*\d{1,4})?(?:\s*[,;]\s*\d{1,4}(?:\s*[-–]\s*\d{1,4})?)*\]/g;
const YEAR = String.raw`(?:1[89]|20)\d{2}[a-z]?`;
const AUTHOR_YEAR = String.raw`[\p{Lu}][^()\[\];\d]{0,80}?,?\s+${YEAR}(?:\s*,\s*${YEAR})*`;
const AUTHOR_YEAR_GROUP = new RegExp(String.raw`\s*\((?:(?:see|e\.g\.|cf\.|i\.e\.),?\s+)?${AUTHOR_YEAR}(?:\s*;\s*${AUTHOR_YEAR})*\)`, 'gu');
const YEAR_ONLY = new RegExp(String.raw`\s*\(${YEAR}(?:\s*[,;]\s*${YEAR})*\)`, 'g');

/** The paragraph without its inline citations. */
export const withoutCitations = (paragraph: string): string =>
  paragraph
    .replace(NUMBERED, '')
    .replace(AUTHOR_YEAR_GROUP, '')
    .replace(YEAR_ONLY, '')
    .replace(/\s+([,.;:])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
