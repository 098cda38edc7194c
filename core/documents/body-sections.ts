/**
 * A document's outline (headings with their level, and paragraphs) to the body sections the model
 * reads: a back-matter section (acknowledgements, funding, appendices, ...) is left out with its
 * sub-sections, and nothing from the references heading on is body (sections.ts decides which
 * headings those are). Readers whose format has headed blocks (.docx, LaTeX) share this.
 */

import type { Section } from './document';
import { isNotBodyHeading, isReferencesHeading, isSecondaryAbstractHeading, oneLine } from './sections';

export type OutlineBlock = { heading: string; level: number } | { paragraph: string };

/** Headings that only carry front matter in a manuscript's body (the author list, affiliations). */
const FRONT_MATTER = /^(authors?|author list|affiliations?|correspondence|corresponding authors?)$/i;

/** A heading's name without its number or trailing colon ("2.1 Methods:" -> "Methods"). */
export const headingName = (heading: string): string =>
  heading
    .replace(/^[\s\d.ivx]+[.):]?\s+/i, '')
    .replace(/[:.]\s*$/, '')
    .trim();

/** True when a section with this heading is not body: back matter, a digest or author summary, or front matter. */
export const isLeftOutHeading = (heading: string): boolean => {
  const name = headingName(heading);
  return isNotBodyHeading(name) || isSecondaryAbstractHeading(name) || FRONT_MATTER.test(name);
};

export const bodySections = (blocks: Iterable<OutlineBlock>, options: { textBeforeFirstHeading: 'keep' | 'drop' }): Section[] => {
  const sections: Section[] = [];
  let heading: string | undefined;
  let paragraphs: string[] = [];
  let keeping = options.textBeforeFirstHeading === 'keep';
  /** The level of the left-out section whose sub-sections are left out too. */
  let leftOutLevel: number | undefined;
  const close = (): void => {
    if (paragraphs.length > 0) sections.push({ ...(heading ? { heading } : {}), text: paragraphs.join('\n\n') });
    paragraphs = [];
  };
  for (const block of blocks) {
    if ('paragraph' in block) {
      if (keeping && block.paragraph.trim() !== '') paragraphs.push(block.paragraph);
      continue;
    }
    if (leftOutLevel !== undefined && block.level > leftOutLevel) continue;
    close();
    if (isReferencesHeading(headingName(block.heading))) break;
    leftOutLevel = isLeftOutHeading(block.heading) ? block.level : undefined;
    keeping = leftOutLevel === undefined;
    heading = oneLine(block.heading);
  }
  close();
  return sections;
};
