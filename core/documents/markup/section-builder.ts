/**
 * The one place that turns a document's headings and paragraphs, in reading order, into its body
 * sections, whatever the markup (JATS, HTML, Markdown): the reference list ends the body; back matter
 * (acknowledgements, funding, appendices: sections.ts) and digests are left out with their
 * subsections; an abstract section is kept apart as the abstract, and what stands before it (title,
 * authors, affiliations) is front matter, not body.
 */

import type { Section } from '../document';
import { isAbstractHeading, isNotBodyHeading, isReferencesHeading, isSecondaryAbstractHeading, oneLine } from '../sections';

/** A heading (level 1 is the outermost) or a paragraph of tidied text. */
export type Block = { kind: 'heading'; level: number; text: string } | { kind: 'paragraph'; text: string };

/** Headings known only to be headings (a bold paragraph, an image's alt text) rank below h1–h6. */
export const UNRANKED_HEADING = 7;

export interface BuiltBody {
  sections: Section[];
  /** Abstract sections found among the blocks, in order ("Resumen" then "Summary"), structured parts joined. */
  abstracts: string[];
  /** Keywords from "Keywords: a; b" paragraphs of the front matter. */
  keywords: string[];
}

interface RawSection {
  heading?: string;
  level: number;
  paragraphs: string[];
}

const KEYWORDS_LINE =
  /^(keywords?|key ?words|index terms|palabras[ -]clave|palavras[ -]chave|mots[ -]clés|schlüsselwörter|descriptores)\s*[:.—–-]\s*(.+)$/iu;

/** A paragraph of an article's front matter that is metadata, not abstract text ("Citation: …", "Received: …", "© 2019"). */
const METADATA_LINE =
  /^(?:(?:citation|cite this article|how to cite|editor|academic editor|received|accepted|published|revised|copyright|data availability|funding|competing interests|conflicts? of interest|doi|correspondence|corresponding author|e-?mail|recibido|aceptado)\s*:|©)/i;

/** "Abstract: In this paper…" as the first paragraph of a document without an Abstract heading. */
const INLINE_ABSTRACT = /^(abstract|summary|resumen|resumo)\s*[:.—–-]\s*(\S[\s\S]{80,})$/i;

const splitKeywords = (list: string): string[] =>
  list
    .split(/\s*[;,·•|]\s*/)
    .map((keyword) => oneLine(keyword.replace(/[.]$/, ''), 100))
    .filter((keyword) => keyword !== '');

const comparable = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
const sameText = (a: string, b: string): boolean => comparable(a) !== '' && comparable(a) === comparable(b);

const rawSections = (blocks: readonly Block[], title: string | undefined): RawSection[] => {
  const raw: RawSection[] = [{ level: 0, paragraphs: [] }];
  for (const block of blocks) {
    if (block.kind === 'heading') {
      if (title && sameText(block.text, title)) continue; // the title again, over the body
      raw.push({ heading: block.text, level: block.level, paragraphs: [] });
    } else raw.at(-1)?.paragraphs.push(block.text);
  }
  return raw;
};

/** The text of an abstract section and its subsections ("Background: …" per part), up to the first metadata line. */
const abstractText = (parts: RawSection[], keywords: string[]): string => {
  const lines: string[] = [];
  for (const [index, part] of parts.entries()) {
    const paragraphs: string[] = [];
    for (const paragraph of part.paragraphs) {
      const listed = KEYWORDS_LINE.exec(paragraph);
      if (listed?.[2]) keywords.push(...splitKeywords(listed[2]));
      if (listed || METADATA_LINE.test(paragraph)) break;
      paragraphs.push(paragraph);
    }
    if (paragraphs.length === 0) continue;
    const text = paragraphs.join('\n');
    lines.push(index > 0 && part.heading ? `${part.heading.replace(/[:.]\s*$/, '')}: ${text}` : text);
  }
  return lines.join('\n');
};

/** How many of a document's words may stand before its abstract for them to be its title page:
 * a share of the whole, or a title page's worth (title, authors, affiliations) in a short one. */
const FRONT_MATTER_SHARE = 0.25;
const FRONT_MATTER_WORDS = 200;

/** Longer than any abstract: the subsections of an "Abstract" heading past this are body, not its parts. */
const MAX_ABSTRACT_WORDS = 800;

const words = (paragraphs: string[]): number => paragraphs.reduce((sum, p) => sum + (p.match(/\S+/g) ?? []).length, 0);

/** Sections, abstracts and front-matter keywords of a run of blocks (see the module comment). */
export const buildBody = (blocks: readonly Block[], options: { title?: string } = {}): BuiltBody => {
  const raw = rawSections(blocks, options.title);
  const wordsBefore = prefixWords(raw);
  const total = (wordsBefore.at(-1) ?? 0) + words(raw.at(-1)?.paragraphs ?? []);
  let sections: Section[] = [];
  const abstracts: string[] = [];
  const keywords: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const section = raw[i] as RawSection;
    const { heading } = section;
    if (isReferencesHeading(heading)) break;
    // Front matter is short beside the body: an abstract far into a document (a quoted one, or a
    // closing "Summary") does not make what precedes it a title page.
    const early = (wordsBefore[i] ?? 0) <= Math.max(total * FRONT_MATTER_SHARE, FRONT_MATTER_WORDS);
    let below = subsectionsOf(raw, i);
    if (isAbstractHeading(heading) && (early || !/summary/i.test(heading ?? ''))) {
      // A structured abstract's parts sit under it; a whole body under an "Abstract" heading does not.
      if (words(raw.slice(i + 1, below).flatMap((part) => part.paragraphs)) > MAX_ABSTRACT_WORDS) below = i + 1;
      const text = abstractText(raw.slice(i, below), keywords);
      if (text) abstracts.push(text);
      if (early) sections = []; // what came before the abstract is the title page
      i = below - 1;
      continue;
    }
    if (isSecondaryAbstractHeading(heading) || isNotBodyHeading(heading)) {
      i = below - 1;
      continue;
    }
    const paragraphs = early ? frontParagraphs(section.paragraphs, abstracts, keywords, () => (sections = [])) : section.paragraphs;
    if (heading === undefined && paragraphs.length === 0) continue;
    sections.push({ ...(heading !== undefined && { heading }), text: paragraphs.join('\n\n') });
  }
  return { sections, abstracts, keywords: [...new Set(keywords)] };
};

/** For each raw section, the number of words in the sections before it. */
const prefixWords = (raw: RawSection[]): number[] => {
  const before: number[] = [];
  let sum = 0;
  for (const section of raw) {
    before.push(sum);
    sum += words(section.paragraphs);
  }
  return before;
};

/** The index just past the subsections of raw[index] (the sections with a deeper heading). */
const subsectionsOf = (raw: RawSection[], index: number): number => {
  const level = raw[index]?.level ?? 0;
  let end = index + 1;
  while (end < raw.length && (raw[end]?.level ?? 0) > level) end++;
  return end;
};

/**
 * Paragraphs before the first heading of the body: a "Keywords:" line gives keywords, an "Abstract:"
 * paragraph is the abstract (and what preceded it is dropped by `dropBefore`).
 */
const frontParagraphs = (paragraphs: string[], abstracts: string[], keywords: string[], dropBefore: () => void): string[] => {
  let kept: string[] = [];
  for (const paragraph of paragraphs) {
    const listed = KEYWORDS_LINE.exec(paragraph);
    if (listed?.[2]) {
      keywords.push(...splitKeywords(listed[2]));
      continue;
    }
    const inline = INLINE_ABSTRACT.exec(paragraph);
    if (inline?.[2] && abstracts.length === 0) {
      abstracts.push(inline[2]);
      dropBefore();
      kept = [];
      continue;
    }
    kept.push(paragraph);
  }
  return kept;
};
