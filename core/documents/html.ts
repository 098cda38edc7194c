/**
 * A publisher's or author's web page (docs/documents.md): the charset it declares; its title,
 * abstract, date and keywords from `citation_*` and Dublin Core meta tags; the body from its article
 * markup (`itemprop="articleBody"`, `<article>`), or from what Readability picks as the article on a
 * page without it (https://github.com/mozilla/readability), walked by markup/html-sections.ts. Nothing
 * is fetched: the page is parsed, never rendered.
 */

import { Readability } from '@mozilla/readability';

import { RejectedArticleError } from '../errors';
import { bodyText, type ExtractedDocument, type ReadContext } from './document';
import { decodeHtml } from './markup/charset';
import { DeadlineGuard } from './deadline';
import { type DomDocument, type DomElement, type DomNode, parseHtmlDocument } from './markup/dom';
import { wordCount } from './markup/inline-text';
import { blocksOfHtml } from './markup/html-sections';
import { dublinCoreDescription, pageMetadata } from './markup/html-meta';
import { type BuiltBody, buildBody } from './markup/section-builder';
import { oneLine } from './sections';

/** Past this many characters of markup (scripts, styles, SVG and comments taken out) a page is not read:
 * parsing it would take the function's memory and time (5 MB of markup takes about 330 MB and 4.5 s of CPU). */
export const MAX_PAGE_CHARS = 5_000_000;

/** Pages with more tags than this are walked whole instead of through Readability, which reads every
 * element many times over (the publisher pages measured have under 1,000). */
const MAX_READABILITY_TAGS = 20_000;

/** A body with fewer words than this is not the article (a teaser, a paywall, an empty <article>). */
const MIN_BODY_WORDS = 50;

const bodyWords = (built: BuiltBody): number => wordCount(bodyText(built));

/** The element the page marks as its article: articleBody microdata, else its largest <article>. */
const articleMarkup = (document: DomDocument): DomElement | undefined => {
  const marked = document.querySelector('[itemprop="articleBody"]');
  if (marked) return marked;
  const articles = Array.from(document.querySelectorAll('article'));
  return articles.sort((a, b) => (b.textContent ?? '').length - (a.textContent ?? '').length)[0];
};

/** What Readability takes to be the article, as a DOM node (its serializer returns the node itself). */
const readabilityArticle = (html: string): { title?: string; content?: DomNode } => {
  const document = parseHtmlDocument(html); // Readability rewrites the document it reads
  const article = new Readability<DomNode>(document as never, {
    keepClasses: true, // the walker reads classes to leave figures and furniture out
    serializer: (node) => node as unknown as DomNode,
  }).parse();
  return { ...(article?.title && { title: article.title }), ...(article?.content && { content: article.content }) };
};

/**
 * The page without the elements whose content it never shows as text (comments, scripts, styles, SVG,
 * noscript, templates), cut before parsing so large pages stay cheap to read. One pass: an element
 * left open swallows the rest of the page, as it does when a browser parses it.
 */
const withoutInvisibleMarkup = (html: string): string => {
  const lower = html.toLowerCase();
  const opening = /<!--|<(script|style|svg|noscript|template)\b/g;
  let kept = '';
  let from = 0;
  for (let match = opening.exec(lower); match; match = opening.exec(lower)) {
    kept += html.slice(from, match.index);
    const close = match[1] ? `</${match[1]}` : '-->';
    const end = lower.indexOf(close, match.index + match[0].length);
    if (end < 0) return kept;
    from = match[1] ? lower.indexOf('>', end) + 1 || html.length : end + close.length;
    opening.lastIndex = from;
    kept += ' ';
  }
  return kept + html.slice(from);
};

const tagCount = (html: string): number => (html.match(/<[a-zA-Z]/g) ?? []).length;

/** Reads a page; throws RejectedArticleError when it is too large, past the deadline, or has no readable body. */
export const readHtml = async (bytes: Uint8Array, context: ReadContext): Promise<ExtractedDocument> => {
  // Scripts and styles may be most of a page, but not four times its text: past that, do not decode it.
  if (bytes.length > 4 * MAX_PAGE_CHARS)
    throw new RejectedArticleError(`the page is ${bytes.length} bytes; pages over ${4 * MAX_PAGE_CHARS} bytes are not read`);
  const html = withoutInvisibleMarkup(decodeHtml(bytes).text);
  if (html.length > MAX_PAGE_CHARS)
    throw new RejectedArticleError(
      `the page has ${html.length} characters of markup besides scripts and styles; pages over ${MAX_PAGE_CHARS} are not read`,
    );
  const guard = new DeadlineGuard(context, 'page');
  const document = parseHtmlDocument(html);
  guard.check();
  const meta = pageMetadata(document);
  const h1 = oneLine(document.querySelector('h1')?.textContent ?? '');
  const titleElement = oneLine(document.querySelector('title')?.textContent ?? '');
  // <title> often carries the site's name too ("Title | Journal"): the <h1> it contains is the title.
  const titleFromPage = meta.title ?? ((h1 && titleElement.includes(h1) ? h1 : titleElement || h1) || undefined);
  const bodyOf = (root: DomNode, title: string | undefined): BuiltBody =>
    buildBody(blocksOfHtml(root, context, 'page'), { ...(title && { title }) });

  let title = titleFromPage;
  const marked = articleMarkup(document);
  let built = marked ? bodyOf(marked, title) : undefined;
  if ((!built || bodyWords(built) < MIN_BODY_WORDS) && tagCount(html) <= MAX_READABILITY_TAGS) {
    guard.check();
    const readable = readabilityArticle(html);
    guard.check();
    if (!meta.title && readable.title) title = oneLine(readable.title);
    if (readable.content) built = bodyOf(readable.content, title);
  }
  if ((!built || bodyWords(built) < MIN_BODY_WORDS) && document.body) built = bodyOf(document.body, title);
  if (!built || bodyWords(built) < MIN_BODY_WORDS)
    throw new RejectedArticleError(
      `the page has no readable body (${built ? bodyWords(built) : 0} words outside navigation, scripts, forms and page furniture)`,
    );

  const abstract = meta.abstract ?? built.abstracts[0] ?? dublinCoreDescription(document);
  return {
    format: 'html',
    ...(title && { title }),
    ...(abstract && { abstract }),
    sections: built.sections,
    keywords: [...new Set([...meta.keywords, ...built.keywords])],
    ...(meta.published && { published: meta.published }),
    ...(meta.language && { language: meta.language }),
  };
};
