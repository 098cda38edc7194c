/**
 * The body's sections from the blocks after the front matter: headings start sections; text blocks
 * give paragraphs (a paragraph broken by a column or page, or by a footnote or figure in between, is
 * joined again); captions, small print, code, boilerplate and lines that are not prose (table rows,
 * displayed formulas) are left out. Acknowledgements and the like are skipped; the reference list, an
 * appendix, and everything after either, end the body.
 */

import type { Section } from '../document';
import { cleanText, isNotBodyHeading, isReferencesHeading, oneLine } from '../sections';
import { looksLikeFormula } from './block-roles';
import { withoutCitations } from './citations';
import type { RoledBlock } from './front-matter';
import { joinLines, type Vocabulary } from './hyphenation';

interface DraftSection {
  /** The heading's lines. */
  heading?: string[];
  paragraphs: string[][];
}

/** A heading after which nothing is body, besides the references: appendices and supplements. */
const ENDS_BODY = /^(?:[A-Z]\.?\s+)?(?:appendix|appendices|supplementary|supporting information)\b/i;
const SENTENCE_END = /[.!?:]["”’)\]]?$/;

/** True when a line is prose: mostly letters, not a row of figures or a displayed formula. */
const isProseLine = (text: string): boolean => {
  const visible = text.replace(/\s/g, '');
  const letters = visible.match(/\p{L}/gu)?.length ?? 0;
  if (letters < 0.5 * visible.length || !/\p{L}{3}/u.test(text)) return false;
  const tokens = text.split(/\s+/);
  // A short line with math in it is a displayed formula's.
  if (tokens.length <= 4 && looksLikeFormula(text)) return false;
  const numeric = tokens.filter((token) => /^[-+±(]?[\d.,%×x]+[)%x]?$/.test(token)).length;
  return tokens.length < 4 || numeric < 0.4 * tokens.length;
};

/** True when most paragraphs that start inside a block start with a first-line indent, as LaTeX sets them. */
const indentsParagraphs = (blocks: readonly RoledBlock[]): boolean => {
  const inner = blocks.filter((entry) => entry.role === 'text').flatMap((entry) => entry.block.paragraphs.slice(1));
  return inner.length >= 3 && inner.filter((paragraph) => paragraph.indented).length >= 0.6 * inner.length;
};

/** The lines of the body's sections, before lines are joined (see `sectionsOf`). */
export const draftSections = (blocks: readonly RoledBlock[]): DraftSection[] => {
  const indents = indentsParagraphs(blocks);
  const sections: DraftSection[] = [];
  let current: DraftSection = { paragraphs: [] };
  let skipping = false;
  let lastColumn = '';
  for (const entry of blocks) {
    if (entry.role === 'heading') {
      if (isReferencesHeading(entry.text) || ENDS_BODY.test(entry.text)) break;
      skipping = isNotBodyHeading(entry.text);
      if (current.heading !== undefined || current.paragraphs.length > 0) sections.push(current);
      current = skipping ? { paragraphs: [] } : { heading: entry.block.lines.map((line) => line.text), paragraphs: [] };
      continue;
    }
    if (skipping || entry.role !== 'text') continue;
    const column = `${entry.block.page}:${entry.block.column}`;
    const newColumn = column !== lastColumn;
    lastColumn = column;
    for (const [index, paragraph] of entry.block.paragraphs.entries()) {
      const lines = paragraph.lines.map((line) => line.text).filter(isProseLine);
      // A paragraph of a few words with math in it is a displayed formula.
      if (lines.length === 0 || (lines.join(' ').split(/\s+/).length <= 8 && looksLikeFormula(lines.join(' ')))) continue;
      const previous = current.paragraphs.at(-1);
      const last = previous?.at(-1);
      const continues =
        (last !== undefined && !SENTENCE_END.test(last) && /^[\p{Ll}\d(]/u.test(lines[0] ?? '')) ||
        (last !== undefined && /-$/.test(last)) ||
        // Where paragraphs start indented, text that starts a column flush goes on with the last paragraph.
        (indents && index === 0 && newColumn && !paragraph.indented);
      if (previous && continues) previous.push(...lines);
      else current.paragraphs.push(lines);
    }
  }
  if (!skipping && (current.heading !== undefined || current.paragraphs.length > 0)) sections.push(current);
  return sections;
};

/** The drafted sections as the model reads them: lines joined across hyphens, cleaned, citations out. */
export const sectionsOf = (drafts: readonly DraftSection[], vocabulary: Vocabulary): Section[] =>
  drafts
    .map((draft) => ({
      heading: draft.heading === undefined ? undefined : oneLine(joinLines(draft.heading, vocabulary)),
      text: draft.paragraphs
        .map((lines) => withoutCitations(cleanText(joinLines(lines, vocabulary))))
        .filter((paragraph) => paragraph !== '')
        .join('\n\n'),
    }))
    .filter((section) => section.text !== '')
    .map((section) => (section.heading === undefined ? { text: section.text } : section));
