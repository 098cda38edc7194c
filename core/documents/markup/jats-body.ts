/**
 * A JATS `<body>` as headings and paragraphs: nested `sec`/`title` become headings by depth (a
 * `label` such as "2.1" kept in front of the title), paragraphs, lists, quotes and boxes become
 * paragraphs; figures, tables, formulas, footnotes, supplementary material and reference lists are
 * left out, and so are sections typed as back matter. SciELO writes the body as HTML inside CDATA:
 * that is read by the HTML walker (html-sections.ts) in place.
 */

import type { Clock } from '../deadline';
import { DeadlineGuard } from '../deadline';
import { parseHtmlFragment } from './dom';
import { blocksOfHtml } from './html-sections';
import { tidyParagraph } from './inline-text';
import { isNotText, jatsInline } from './jats-text';
import type { Block } from './section-builder';
import { childElements, isXmlElement, type XmlElement, type XmlNode } from './xml-tree';

/** Section types (`sec-type`) that are not the body (https://jats.nlm.nih.gov/archiving/tag-library/1.3/attribute/sec-type.html). */
const NOT_BODY_SEC_TYPES =
  /^(supplementary-material|display-objects|additional-information|coi-statement|data-availability|ethics-statement|funding|author-contributions|acknowledg?ments?|abbreviations|glossary|notes|appendix|references)$/i;

/** Containers walked for their paragraphs. */
const CONTAINERS = new Set(['boxed-text', 'disp-quote', 'statement', 'verse-group', 'speech', 'list', 'def-list', 'body']);

/** Elements that are never body (back matter inside a body, peer review, floats). */
const NOT_BODY = new Set([
  'ack',
  'app',
  'app-group',
  'ref-list',
  'fn-group',
  'glossary',
  'notes',
  'sig-block',
  'sub-article',
  'response',
  'floats-group',
  'back',
  'title',
  'sec-meta',
]);

/** eLife closes sections and boxes with their DOI ("DOI: http://dx.doi.org/10.7554/eLife.00005.002"): not prose. */
const DOI_LINE = /^doi:?\s*\S+$/i;

class JatsWalker {
  readonly blocks: Block[] = [];
  private inline: XmlNode[] = [];
  private readonly guard: DeadlineGuard;

  constructor(private readonly clock: Clock) {
    this.guard = new DeadlineGuard(clock, 'JATS body');
  }

  flush(asSentence = false): void {
    let text = tidyParagraph(jatsInline(this.inline));
    this.inline = [];
    if (text === '' || DOI_LINE.test(text)) return;
    if (asSentence && !/[.!?:;]["”’)]?$/.test(text)) text += '.';
    this.blocks.push({ kind: 'paragraph', text });
  }

  /** The children of a block element; `depth` is the section depth of the headings inside. */
  walk(element: XmlElement, depth: number): void {
    for (const child of element.children) this.visit(child, depth);
  }

  private visit(node: XmlNode, depth: number): void {
    this.guard.tick();
    if (!isXmlElement(node)) {
      if ('cdata' in node && /<[a-z!]/i.test(node.cdata)) {
        this.flush();
        this.blocks.push(...blocksOfHtml(parseHtmlFragment(node.cdata), this.clock, 'JATS body'));
      } else this.inline.push(node);
      return;
    }
    const name = node.name;
    if (NOT_BODY.has(name) || isNotText(node)) return; // a float mid-sentence leaves the sentence whole
    if (name === 'sec') return this.section(node, depth + 1);
    if (name === 'p') {
      this.flush();
      this.walk(node, depth); // a list or quote inside the paragraph ends it
      return this.flush();
    }
    if (name === 'list-item' || name === 'def-item') {
      this.flush();
      this.walk(node, depth);
      return this.flush(true);
    }
    if (CONTAINERS.has(name)) {
      this.flush();
      this.walk(node, depth);
      return this.flush();
    }
    this.inline.push(node);
  }

  private section(sec: XmlElement, depth: number): void {
    this.flush();
    if (NOT_BODY_SEC_TYPES.test(sec.attrs['sec-type'] ?? '')) return;
    const title = childElements(sec, 'title')[0];
    const label = childElements(sec, 'label')[0];
    const heading = tidyParagraph([label, title].map((part) => (part ? jatsInline(part.children) : '')).join(' '));
    if (heading !== '') this.blocks.push({ kind: 'heading', level: depth, text: heading });
    this.walk(sec, depth);
    this.flush();
  }
}

/** The headings and paragraphs of one or more `<body>` elements (SciELO splits its body in several). */
export const blocksOfJatsBodies = (bodies: readonly XmlElement[], clock: Clock): Block[] => {
  const walker = new JatsWalker(clock);
  for (const body of bodies) {
    walker.walk(body, 0);
    walker.flush();
  }
  return walker.blocks;
};
