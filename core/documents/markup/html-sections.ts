/**
 * HTML to headings and paragraphs: the walker the page reader, the JATS reader (HTML inside CDATA)
 * and the .docx reader (mammoth's HTML) share. What is not prose for the model is left out:
 * navigation, headers, footers, asides, scripts, styles, forms, buttons, cookie banners, figures,
 * captions, tables, code, formulas, images, hidden elements and inline citations. Headings are
 * h1–h6, and the headings older pages write as a paragraph in bold (First Monday, SciELO) or as an
 * image whose alt text names a section ("Abstract").
 */

import { RejectedArticleError } from '../../errors';
import type { Section } from '../document';
import { isAbstractHeading, isNotBodyHeading, isReferencesHeading, oneLine } from '../sections';
import { DeadlineGuard, noDeadline, type Clock } from '../deadline';
import { type DomElement, type DomNode, isElement, parseHtmlFragment, TEXT_NODE } from './dom';
import { CITATION, tidyParagraph } from './inline-text';
import { type Block, buildBody, UNRANKED_HEADING } from './section-builder';

/** Elements whose content is never prose for the model. */
const LEFT_OUT = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'base',
  'nav', 'header', 'footer', 'aside', 'form', 'button', 'input', 'select', 'option', 'textarea', 'label', 'fieldset', 'dialog', 'menu',
  'figure', 'figcaption', 'table', 'caption', 'img', 'picture', 'svg', 'math', 'canvas', 'video', 'audio', 'iframe', 'object', 'embed', 'map',
  'pre',
]); // prettier-ignore

/** Elements that end a paragraph. */
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'main', 'body', 'html', 'blockquote', 'center', 'address', 'details', 'summary',
  'ul', 'ol', 'dl', 'li', 'dt', 'dd', 'hr',
]); // prettier-ignore

/** ARIA roles of page furniture and reference lists (https://www.w3.org/TR/dpub-aria-1.1/). */
const LEFT_OUT_ROLES = new Set([
  'navigation', 'banner', 'contentinfo', 'complementary', 'search', 'dialog', 'alertdialog', 'menu', 'menubar', 'toolbar', 'figure', 'table',
  'doc-bibliography', 'doc-endnotes', 'doc-footnote', 'doc-toc', 'doc-pagebreak', 'math',
]); // prettier-ignore

/** Words in a class or id that mark page furniture, figures, tables and reference lists. */
const LEFT_OUT_WORDS = new Set([
  'nav', 'navbar', 'menu', 'breadcrumb', 'breadcrumbs', 'sidebar', 'toolbar', 'masthead', 'footer', 'header',
  'cookie', 'cookies', 'consent', 'gdpr', 'banner', 'newsletter', 'subscribe', 'subscription', 'paywall', 'popup', 'modal', 'lightbox',
  'tooltip', 'carousel', 'share', 'sharing', 'social', 'related', 'recommended', 'promo', 'advert', 'advertisement', 'ad', 'ads',
  'comments', 'print', 'download', 'dload', 'metrics', 'signposts', 'figure', 'fig', 'figures', 'caption', 'figcaption', 'table', 'tables',
  'references', 'bibliography', 'reflist', 'footnote', 'footnotes', 'endnote', 'endnotes', 'mathjax', 'equation', 'formula',
]); // prettier-ignore

/** Classes that hide an element (screen-reader-only text, utility classes). */
const HIDDEN_CLASSES = new Set(['hidden', 'visually-hidden', 'sr-only', 'screen-reader-text', 'd-none', 'invisible', 'is-hidden']);

/** An in-page link to a reference or a note: "#ref12", "#pone.0213978.ref001", "#cite_note-5", "#fn3", "#B7". */
const CITATION_FRAGMENT = /^#(?:.*[._-])?(?:ref|reference|bib|bibr|cite|citation|note|fn|footnote|endnote|cr|r|b|c)[-_.:]?\d+[a-z]?$/i;

/** Headings an image may carry as its alt text (First Monday draws its "Abstract" heading). */
const SECTION_WORDS = /^(introduction|background|methods?|materials and methods|results|discussion|conclusions?)$/i;

const tokensOf = (element: DomElement): string[] => {
  const names = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`.toLowerCase();
  return names.split(/\s+/).filter((name) => name !== '');
};

/** True for an element the model must not read: furniture, figures, tables, hidden text. */
const leftOut = (element: DomElement): boolean => {
  const tag = element.localName;
  if (LEFT_OUT.has(tag)) return true;
  if (element.getAttribute('hidden') !== null || element.getAttribute('aria-hidden') === 'true') return true;
  const role = element.getAttribute('role');
  if (role && LEFT_OUT_ROLES.has(role.toLowerCase())) return true;
  if (/(?:^|;)\s*(display\s*:\s*none|visibility\s*:\s*hidden)/i.test(element.getAttribute('style') ?? '')) return true;
  // Containers and headings are never furniture by their classes ("section-header" holds a heading).
  if (tag === 'body' || tag === 'html' || tag === 'main' || tag === 'article' || /^h[1-6]$/.test(tag)) return false;
  const names = tokensOf(element);
  if (names.some((name) => HIDDEN_CLASSES.has(name))) return true;
  return names.some((name) => name.split(/[-_]+/).some((word) => LEFT_OUT_WORDS.has(word)));
};

const children = (node: DomNode): DomNode[] => Array.from(node.childNodes);

/** An inline citation or note marker: a link into the references or notes, or a superscript link. */
const isCitation = (element: DomElement): boolean => {
  const tag = element.localName;
  if (tag === 'a') {
    const role = element.getAttribute('role');
    if (role === 'doc-biblioref' || role === 'doc-noteref') return true;
    if (CITATION_FRAGMENT.test(element.getAttribute('href') ?? '')) return true;
    return tokensOf(element).some((name) => /^(xref|ref-tip|citation|bibr|footnote-ref|fn-ref)$/.test(name));
  }
  if (tag === 'sup') {
    // A superscript holding a link and little else is a note or reference marker ("¹", "[3]", "*").
    return element.querySelector('a') !== null && /^[\s\d,–\-[\]()*†‡§a-z]{0,12}$/i.test(element.textContent ?? '');
  }
  return false;
};

/** True when every word of the element is bold: a heading written as a bold paragraph. */
const allTextBold = (element: DomElement): boolean => {
  let sawText = false;
  const visit = (node: DomNode, bold: boolean): boolean => {
    for (const child of children(node)) {
      if (child.nodeType === TEXT_NODE) {
        if ((child.textContent ?? '').trim() === '') continue;
        if (!bold) return false;
        sawText = true;
      } else if (isElement(child) && !leftOut(child) && !isCitation(child)) {
        const style = child.getAttribute('style') ?? '';
        const isBold = child.localName === 'b' || child.localName === 'strong' || /font-weight\s*:\s*(bold|[6-9]00)/i.test(style);
        if (BLOCKS.has(child.localName)) return false;
        if (!visit(child, bold || isBold)) return false;
      }
    }
    return true;
  };
  return visit(element, false) && sawText;
};

/** A paragraph that is a heading in bold ("<p><strong>Methods</strong></p>"): its text, else undefined. */
const boldHeading = (element: DomElement, text: string): string | undefined => {
  if (text === '' || text.length > 150 || text.split(' ').length > 15) return undefined;
  if (/[.!?,;]$/.test(text) || /^(fig(ure|ura)?|tab(le|la)|supplementary)\b\.?\s*\w*/i.test(text)) return undefined; // a sentence, or a caption's label
  return allTextBold(element) ? text.replace(/\s*:$/, '') : undefined;
};

/** The first image of a paragraph, when its alt text names a section ("<p><img alt="Abstract"><br>Text…"). */
const imageHeading = (element: DomElement): string | undefined => {
  const first = children(element).find((child) => isElement(child) || (child.textContent ?? '').trim() !== '');
  if (!first || !isElement(first) || first.localName !== 'img') return undefined;
  const alt = oneLine(first.getAttribute('alt') ?? '');
  const named = isAbstractHeading(alt) || isReferencesHeading(alt) || isNotBodyHeading(alt) || SECTION_WORDS.test(alt);
  return named ? alt : undefined;
};

/** Deeper than any real page nests; past it the walk would exhaust the stack. */
const MAX_DEPTH = 400;

class HtmlWalker {
  readonly blocks: Block[] = [];
  private inline = '';
  private readonly guard: DeadlineGuard;

  constructor(
    clock: Clock,
    private readonly what: string,
  ) {
    this.guard = new DeadlineGuard(clock, what);
  }

  walk(node: DomNode, depth = 0): void {
    if (depth > MAX_DEPTH)
      throw new RejectedArticleError(`the ${this.what} nests elements more than ${MAX_DEPTH} deep; it is not a document`);
    for (const child of children(node)) this.visit(child, depth + 1);
  }

  /** Ends the paragraph being gathered; `asSentence` ends a list item with a full stop. */
  flush(asSentence = false): void {
    let text = tidyParagraph(this.inline);
    this.inline = '';
    if (text === '') return;
    if (asSentence && !/[.!?:;]["”’)]?$/.test(text)) text += '.';
    this.blocks.push({ kind: 'paragraph', text });
  }

  private visit(node: DomNode, depth: number): void {
    this.guard.tick();
    if (node.nodeType === TEXT_NODE) {
      this.inline += node.textContent ?? '';
      return;
    }
    if (!isElement(node) || leftOut(node)) return;
    if (isCitation(node)) {
      this.inline += CITATION;
      return;
    }
    const tag = node.localName;
    const level = /^h([1-6])$/.exec(tag)?.[1];
    if (level) return this.heading(Number(level), this.textOf(node));
    if (tag === 'br') {
      this.inline += ' ';
      return;
    }
    if (!BLOCKS.has(tag)) return this.walk(node, depth);
    this.flush();
    if (
      tag === 'p' ||
      tag === 'dt' ||
      (tag === 'div' && !children(node).some((child) => isElement(child) && BLOCKS.has(child.localName)))
    ) {
      const image = imageHeading(node);
      if (image) this.heading(UNRANKED_HEADING, image);
      else {
        const bold = boldHeading(node, this.textOf(node));
        if (bold) return this.heading(UNRANKED_HEADING, bold);
      }
    }
    this.walk(node, depth);
    this.flush(tag === 'li');
  }

  private heading(level: number, text: string): void {
    this.flush();
    if (text !== '') this.blocks.push({ kind: 'heading', level, text: oneLine(text) });
  }

  /** An element's text as the walker reads it (citations and furniture out), on one line. */
  private textOf(element: DomElement): string {
    const inner = new HtmlWalker(noDeadline, this.what);
    inner.walkInline(element);
    return tidyParagraph(inner.inline);
  }

  private walkInline(node: DomNode, depth = 0): void {
    if (depth > MAX_DEPTH)
      throw new RejectedArticleError(`the ${this.what} nests elements more than ${MAX_DEPTH} deep; it is not a document`);
    for (const child of children(node)) {
      if (child.nodeType === TEXT_NODE) this.inline += child.textContent ?? '';
      else if (isElement(child) && !leftOut(child)) {
        if (isCitation(child)) this.inline += CITATION;
        else {
          const spaced = child.localName === 'br' || BLOCKS.has(child.localName);
          if (spaced) this.inline += ' ';
          this.walkInline(child, depth + 1);
          if (spaced) this.inline += ' ';
        }
      }
    }
  }
}

/** An HTML element's content as headings and paragraphs in reading order. */
export const blocksOfHtml = (root: DomNode, clock: Clock = noDeadline, what = 'page'): Block[] => {
  const walker = new HtmlWalker(clock, what);
  walker.walk(root);
  walker.flush();
  return walker.blocks;
};

export interface HtmlBody {
  /** The body: no abstract, front matter, references or back matter (section-builder.ts). */
  sections: Section[];
  /** The first abstract section's text ("Abstract", "Resumen"), when the HTML has one. */
  abstract?: string;
  /** Keywords from a "Keywords:" paragraph of the front matter. */
  keywords: string[];
}

/**
 * The body of an HTML fragment or page as sections, for any reader that has HTML: a page's article,
 * a JATS CDATA body, the HTML mammoth makes of a .docx. Pass the document's title to keep it from
 * standing as a heading over the body, and the extraction clock to stop at the function's deadline.
 *
 *   const { sections, abstract } = sectionsOfHtml(html, { title, clock: context });
 */
export const sectionsOfHtml = (html: string, options: { title?: string; clock?: Clock } = {}): HtmlBody => {
  const built = buildBody(blocksOfHtml(parseHtmlFragment(html), options.clock), { ...(options.title && { title: options.title }) });
  return { sections: built.sections, ...(built.abstracts[0] && { abstract: built.abstracts[0] }), keywords: built.keywords };
};
