/**
 * Lines joined into running text, with the hyphens that only broke a word at a line's end taken out,
 * decided with the document's own words: "repre-" + "sentation" is "representation" when the document
 * writes "representation" elsewhere, or when "repre" is not a word of it; "state-of-" + "the-art" stays
 * "state-of-the-art" (a compound broken at its own hyphen), and "document-" + "level" stays
 * "document-level" when both halves are words of the document and "documentlevel" is not.
 */

/** Words of the document, lower-cased, as written inside lines (never a fragment broken at a line's end). */
export type Vocabulary = ReadonlySet<string>;

const HYPHEN_AT_END = /(\p{L}[\p{L}\p{M}'’]*(?:-[\p{L}\p{M}'’]+)*)[-\u2010\u00ad]$/u;
const FIRST_WORD = /^(\p{L}[\p{L}\p{M}'’]*(?:-[\p{L}\p{M}'’]+)*)/u;
const SUFFIX =
  /^(?:ing|ings|ed|er|ers|est|es|ly|ment|ments|ness|ity|ities|ion|ions|tion|tions|sion|ation|ations|ous|ive|ives|able|ible|ably|ance|ence|ful|less|ism|ist|ists|al|ial|ize|ized|izes|ise|ised|ship|ward|wards)$/;
const WORD = /\p{L}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*/gu;

/** The vocabulary of lines: their words and hyphenated compounds, without the words broken at line ends. */
export const vocabularyOf = (lines: readonly string[]): Vocabulary => {
  const words = new Set<string>();
  lines.forEach((line, index) => {
    let text = line;
    if (HYPHEN_AT_END.test(text)) text = text.replace(HYPHEN_AT_END, '');
    if (index > 0 && HYPHEN_AT_END.test(lines[index - 1] ?? '')) text = text.replace(FIRST_WORD, '');
    for (const word of text.match(WORD) ?? []) {
      const lower = word.toLowerCase();
      words.add(lower);
      if (lower.includes('-')) {
        const parts = lower.split('-');
        parts.forEach((part, i) => {
          words.add(part);
          if (i > 0) words.add(`${parts[i - 1]}-${part}`);
        });
      }
    }
  });
  return words;
};

/** True when a word broken as `left-` / `right` keeps its hyphen. */
export const keepsHyphen = (left: string, right: string, vocabulary: Vocabulary): boolean => {
  const leftPart = (left.split('-').at(-1) ?? left).toLowerCase();
  const rightPart = (right.split('-')[0] ?? right).toLowerCase();
  if (vocabulary.has(leftPart + rightPart)) return false;
  if (vocabulary.has(`${leftPart}-${rightPart}`)) return true;
  // A compound broken at one of its own hyphens ("state-of-" + "the-art").
  if (left.includes('-') || right.includes('-')) return true;
  // Two words of the document joined by a hyphen ("document-" + "level"), not syllables ("repre-" +
  // "sentation") nor a word and its ending ("interest-" + "ing").
  return leftPart.length >= 3 && rightPart.length >= 3 && !SUFFIX.test(rightPart) && vocabulary.has(leftPart) && vocabulary.has(rightPart);
};

/** The lines as one paragraph: joined by spaces, or directly across a line-end hyphen that only broke a word. */
export const joinLines = (lines: readonly string[], vocabulary: Vocabulary): string => {
  const parts: string[] = [];
  let previous = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    // Only the previous line is looked at: a paragraph of a thousand lines stays linear.
    const broken = HYPHEN_AT_END.exec(previous);
    const next = FIRST_WORD.exec(line);
    if (broken?.[1] && next?.[1]) {
      const last = parts.length - 1;
      parts[last] = `${(parts[last] ?? '').slice(0, -1)}${keepsHyphen(broken[1], next[1], vocabulary) ? '-' : ''}`;
      parts.push(line);
    } else parts.push(parts.length === 0 ? line : ` ${line}`);
    previous = line;
  }
  return parts.join('');
};
