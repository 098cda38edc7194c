/**
 * Word .docx manuscripts, read with mammoth (https://github.com/mwilliamson/mammoth.js): paragraph
 * styles say what each paragraph is. Headings are matched by style-name prefix, so custom styles
 * ("Heading 11", "heading 2 Char") count; the title is the "Title" paragraph, else the package's
 * `dc:title`; the abstract is an "Abstract" heading's section or "Abstract"-style paragraphs; the
 * keywords a "Keywords:" paragraph or `cp:keywords`; the date a "Date" paragraph that is a real date.
 * The package's created/modified times (docProps/core.xml) are not used as a date: they date the
 * file (Word copies `created` from the template it started from, and every save moves `modified`),
 * not the work, and a manuscript is unpublished when they are written.
 *
 * Tables, images, captions, footnotes, endnotes and comments never reach the body; references,
 * acknowledgements and other back matter are cut by heading (sections.ts).
 *
 * The zip is unpacked here first (archive.ts), within the document's budget: mammoth's JSZip would
 * inflate entries without a bound. Only the XML parts are unpacked (images never are), each checked
 * against its declared size and CRC, and mammoth gets them back as a stored (uncompressed) zip.
 */

import mammoth from 'mammoth';
import { XMLParser } from 'fast-xml-parser';
import { zipSync } from 'fflate';
import { describeError, RejectedArticleError } from '../errors';
import { ExpansionBudget, isZip, unzip } from './archive';
import { checkDeadline } from './deadline';
import { detectFormat } from './detect-format';
import type { DocumentDate, ExtractedDocument, ReadContext } from './document';
import { parseWrittenDate } from './document-date';
import { bodySections, headingName, type OutlineBlock } from './body-sections';
import { cleanText, oneLine } from './sections';

const WHAT = 'the .docx file';
/**
 * Most bytes of XML parts handed to mammoth, which cannot be stopped once it runs: it reads about
 * 1 MB of XML per CPU second (12 MB, 80,000 paragraphs: 11.9 s on this project's 2-core machine),
 * so 16 MiB stays well inside the function's time. A 100,000-word thesis is about 5 MB.
 */
export const MAX_DOCX_XML_BYTES = 16 * 1024 * 1024;

/**
 * Style map, first match wins (mammoth's style-map syntax: https://github.com/mwilliamson/mammoth.js#writing-style-maps). `^=` is a
 * case-insensitive prefix match on the style's name. Dropped (`!`): captions, figure paragraphs,
 * the bibliography and tables of contents.
 */
const STYLE_MAP = [
  "p[style-name='Title'] => h1.title:fresh",
  "p[style-name^='Subtitle'] => p.front:fresh",
  "p[style-name^='Author'] => p.front:fresh",
  "p[style-name^='Affiliation'] => p.front:fresh",
  "p[style-name^='Abstract'] => p.abstract:fresh",
  "p[style-name^='Keyword'] => p.keywords:fresh",
  "p[style-name='Date'] => p.date:fresh",
  ...[1, 2, 3, 4, 5, 6].map((level) => `p[style-name='heading ${level}'] => h${level}:fresh`),
  "p[style-name^='heading'] => h6:fresh",
  "p[style-name^='caption'] => !",
  "p[style-name='Image Caption'] => !",
  "p[style-name='Table Caption'] => !",
  "p[style-name='Figure'] => !",
  "p[style-name^='Bibliography'] => !",
  "p[style-name^='toc'] => !",
  'table => !',
  'comment-reference => !',
];

/** mammoth's document model, as much of it as the note filter needs. */
interface DocxElement {
  type: string;
  children?: DocxElement[];
}
const DROPPED_ELEMENTS = new Set(['noteReference', 'commentReference']);
/** Footnote and endnote references out, so mammoth renders no notes either (it renders only referenced ones). */
const withoutNotes = (element: DocxElement): DocxElement =>
  element.children
    ? { ...element, children: element.children.filter((child) => !DROPPED_ELEMENTS.has(child.type)).map(withoutNotes) }
    : element;

export const readDocx = async (bytes: Uint8Array, context: ReadContext): Promise<ExtractedDocument> => {
  if (!isZip(bytes)) {
    const detected = detectFormat(bytes, '', undefined);
    throw new RejectedArticleError('unsupported' in detected ? detected.unsupported : `${WHAT} is not a zip package: it is not a .docx`);
  }
  // The XML parts' declared sizes are checked against the smaller bound before any of them inflates.
  const budget = new ExpansionBudget({ ...context, maxExpandedBytes: Math.min(context.maxExpandedBytes, MAX_DOCX_XML_BYTES) });
  const parts = unzip(bytes, budget, isXmlPart, WHAT);
  for (const part of parts) refuseDoctype(part.name, part.bytes);
  checkDeadline(context, 'reading the .docx file');

  let html: string;
  try {
    const repacked = zipSync(Object.fromEntries(parts.map((part) => [part.name, part.bytes])), { level: 0 });
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(repacked.buffer, repacked.byteOffset, repacked.byteLength) },
      {
        styleMap: STYLE_MAP,
        includeDefaultStyleMap: true,
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        transformDocument: (document: DocxElement) => {
          checkDeadline(context, 'converting the .docx file');
          return withoutNotes(document);
        },
      },
    );
    html = result.value;
  } catch (error) {
    if (error instanceof RejectedArticleError) throw error;
    throw new RejectedArticleError(`${WHAT} could not be read as a Word document: ${describeError(error)}`);
  }
  checkDeadline(context, 'reading the .docx file');
  const properties = coreProperties(parts.find((part) => part.name === 'docProps/core.xml')?.bytes);
  return documentFrom(blocksOf(html), properties, context);
};

/** The parts mammoth and this reader read: XML and relationships, never media or embedded objects. */
const isXmlPart = (name: string): boolean => /\.(xml|rels)$/i.test(name) && !/(^|\/)(media|embeddings)\//i.test(name);

/**
 * Word never writes a DOCTYPE; one in a part is an entity-expansion or external-entity attempt.
 * The whole part is searched (a prolog can be padded past any fixed look): markup text cannot hold
 * a literal `<!` outside CDATA, and `<!DOCTYPE` in a CDATA section of a Word part is refused too.
 */
const refuseDoctype = (name: string, bytes: Uint8Array): void => {
  const part = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (part.includes('<!DOCTYPE') || part.includes('<!ENTITY') || part.includes('<!doctype')) {
    throw new RejectedArticleError(`${WHAT} is not a Word document: its part ${name} declares a DOCTYPE (entities are never expanded)`);
  }
};

interface CoreProperties {
  title?: string;
  keywords: string[];
  language?: string;
}

/**
 * docProps/core.xml, the package's core properties (Open Packaging Conventions, ECMA-376 Part 2:
 * https://ecma-international.org/publications-and-standards/standards/ecma-376/): dc:title, cp:keywords
 * and dc:language.
 */
const coreProperties = (bytes: Uint8Array | undefined): CoreProperties => {
  if (!bytes) return { keywords: [] };
  let parsed: Record<string, unknown>;
  try {
    parsed = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true }).parse(
      new TextDecoder().decode(bytes),
    ) as Record<string, unknown>;
  } catch {
    return { keywords: [] }; // a damaged core.xml costs only the metadata; the body is still read
  }
  const core = (parsed.coreProperties ?? {}) as Record<string, unknown>;
  const title = typeof core.title === 'string' ? oneLine(core.title) : undefined;
  return {
    // Word fills dc:title from the file name ("Microsoft Word - draft.doc") when the author gave none.
    title: title && !/^microsoft word\b|\.docx?$/i.test(title) ? title : undefined,
    keywords: typeof core.keywords === 'string' ? splitKeywords(core.keywords) : [],
    ...(typeof core.language === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(core.language.trim())
      ? { language: core.language.trim() }
      : {}),
  };
};

const splitKeywords = (text: string): string[] =>
  text
    .split(/[,;·•]|\s\|\s/)
    .map((keyword) => oneLine(keyword).replace(/\.$/, ''))
    .filter((keyword) => keyword !== '');

// ------------------------------------------------------------------------------------ HTML walker

/** An element of mammoth's HTML: its tag, classes and children (text or elements). */
interface HtmlElement {
  tag: string;
  classes: string[];
  children: (HtmlElement | string)[];
}

const VOID_ELEMENTS = new Set(['img', 'br', 'hr', 'input']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decodeEntities = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) =>
    name[0] === '#'
      ? String.fromCodePoint(Number(name[1] === 'x' || name[1] === 'X' ? `0x${name.slice(2)}` : name.slice(1)))
      : (ENTITIES[name] ?? whole),
  );

/**
 * mammoth's HTML as a tree. mammoth writes a small, regular HTML (its own writer: escaped text,
 * quoted attributes, `/>` on void elements), so a tokenizer is enough; until the HTML reader's
 * shared HTML-to-sections walker can take it.
 */
const parseMammothHtml = (html: string): HtmlElement => {
  const root: HtmlElement = { tag: '#root', classes: [], children: [] };
  const open: HtmlElement[] = [root];
  for (const token of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"]|"[^"]*")*)>|([^<]+)/g)) {
    const top = open[open.length - 1] ?? root;
    const [, closing, tagName, attributes, text] = token;
    if (text !== undefined) top.children.push(decodeEntities(text));
    else if (closing) {
      const at = open.map((element) => element.tag).lastIndexOf(tagName?.toLowerCase() ?? '');
      if (at > 0) open.length = at;
    } else {
      const tag = tagName?.toLowerCase() ?? '';
      const element: HtmlElement = { tag, classes: /\sclass="([^"]*)"/.exec(attributes ?? '')?.[1]?.split(/\s+/) ?? [], children: [] };
      top.children.push(element);
      if (!VOID_ELEMENTS.has(tag) && !attributes?.endsWith('/')) open.push(element);
    }
  }
  return root;
};

const isElement = (node: HtmlElement | string): node is HtmlElement => typeof node !== 'string';

/** An element's text; superscript citation numbers ("¹²", "[3]") say nothing to the model and are left out. */
const textContent = (node: HtmlElement | string): string => {
  if (!isElement(node)) return node;
  if (node.tag === 'br') return ' ';
  const text = node.children.map(textContent).join('');
  return node.tag === 'sup' && /^[\s\d,–\-[\]]*$/.test(text) ? '' : text;
};

/** What one top-level element of mammoth's HTML is. */
type Block =
  | { kind: 'title' | 'abstract' | 'keywords' | 'date' | 'front' | 'paragraph'; text: string }
  | { kind: 'heading'; level: number; text: string };

const blocksOf = (html: string): Block[] => {
  const blocks: Block[] = [];
  for (const element of parseMammothHtml(html).children.filter(isElement)) {
    const text = textOf(textContent(element));
    if (text === '' || element.tag === 'table' || element.tag === 'dl') continue;
    const heading = /^h([1-6])$/.exec(element.tag);
    if (element.tag === 'h1' && element.classes.includes('title')) blocks.push({ kind: 'title', text });
    else if (heading) blocks.push({ kind: 'heading', level: Number(heading[1]), text });
    else if (element.tag === 'ul' || element.tag === 'ol') blocks.push(...listItems(element));
    else {
      const kind = (['abstract', 'keywords', 'date', 'front'] as const).find((name) => element.classes.includes(name));
      if (kind) blocks.push({ kind, text });
      else if (isBoldHeading(element, text)) blocks.push({ kind: 'heading', level: 6, text });
      else blocks.push({ kind: 'paragraph', text });
    }
  }
  return blocks;
};

/** Each list item a paragraph of its own, nested lists after their parent item. */
const listItems = (list: HtmlElement): Block[] =>
  list.children.filter(isElement).flatMap((item) => {
    const nested = item.children.filter((child) => isElement(child) && (child.tag === 'ul' || child.tag === 'ol')) as HtmlElement[];
    const text = textOf(
      item.children
        .filter((child) => !nested.includes(child as HtmlElement))
        .map(textContent)
        .join(''),
    );
    return [...(text ? [{ kind: 'paragraph' as const, text }] : []), ...nested.flatMap(listItems)];
  });

/** A short paragraph that is bold throughout and is not a sentence: a heading typed by hand in the Normal style. */
const isBoldHeading = (element: HtmlElement, text: string): boolean => {
  const [only, ...rest] = element.children.filter((child) => !isElement(child) || child.tag !== 'a' || child.children.length > 0);
  return (
    rest.length === 0 &&
    only !== undefined &&
    isElement(only) &&
    only.tag === 'strong' &&
    text.length <= 120 &&
    text.split(' ').length <= 12 &&
    !/[.,;]$/.test(text) &&
    /\p{L}/u.test(text)
  );
};

/** One paragraph's text: numeric citations ("[12–14]", "[3, 5]") out, white space one space. */
const textOf = (text: string): string =>
  cleanText(text.replace(/\s*\[\d+(?:\s*[–,-]\s*\d+)*\]/g, '').replace(/\s+/g, ' ')).replace(/\s+([.,;:])/g, '$1');

// ----------------------------------------------------------------------------- blocks to document

const ABSTRACT_HEADING = /^(abstract|summary)$/i;
const KEYWORDS_HEADING = /^key\s*-?\s*words?$/i;
const KEYWORDS_LINE = /^key\s*-?\s*words?\s*[:.—–-]\s*/i;
const ABSTRACT_LINE = /^abstract\s*[:.—–-]\s*/i;

const documentFrom = (blocks: Block[], properties: CoreProperties, context: ReadContext): ExtractedDocument => {
  let title: string | undefined;
  const abstract: string[] = [];
  let keywords: string[] = [];
  let published: DocumentDate | undefined;
  const outline: OutlineBlock[] = [];
  const isFrontHeading = (text: string): boolean => ABSTRACT_HEADING.test(headingName(text)) || KEYWORDS_HEADING.test(headingName(text));
  const hasBodyHeadings = blocks.some((block) => block.kind === 'heading' && !isFrontHeading(block.text));

  /** An "Abstract" or "Keywords" heading's paragraphs are not body: they are collected until the next heading at its level or above. */
  let collecting: { into: 'abstract' | 'keywords'; level: number } | undefined;
  let beforeFirstHeading = true;
  for (const [i, block] of blocks.entries()) {
    if (i % 200 === 0) checkDeadline(context, 'reading the .docx file');
    switch (block.kind) {
      case 'title':
        title ??= block.text;
        break;
      case 'front':
        break;
      case 'abstract': {
        const text = block.text.replace(ABSTRACT_LINE, '');
        if (!/^abstract$/i.test(text)) abstract.push(text); // pandoc's "Abstract" label paragraph
        break;
      }
      case 'date': {
        const day = parseWrittenDate(block.text);
        published ??= day && { day: day.day, source: day.approximate ? 'document-approximate' : 'document', from: 'docx Date paragraph' };
        break;
      }
      case 'keywords':
        if (keywords.length === 0) keywords = splitKeywords(block.text.replace(KEYWORDS_LINE, ''));
        break;
      case 'heading': {
        if (collecting && block.level > collecting.level) break; // a structured abstract's own headings
        collecting = undefined;
        const name = headingName(block.text);
        if (ABSTRACT_HEADING.test(name) && abstract.length === 0 && outline.length === 0)
          collecting = { into: 'abstract', level: block.level };
        else if (KEYWORDS_HEADING.test(name)) collecting = { into: 'keywords', level: block.level };
        else {
          beforeFirstHeading = false;
          outline.push({ heading: block.text, level: block.level });
        }
        break;
      }
      case 'paragraph':
        if (KEYWORDS_LINE.test(block.text) || collecting?.into === 'keywords') {
          if (keywords.length === 0) keywords = splitKeywords(block.text.replace(KEYWORDS_LINE, ''));
          collecting = undefined;
        } else if (collecting?.into === 'abstract') {
          abstract.push(block.text);
          if (!hasBodyHeadings) collecting = undefined; // with no headings after it, only its first paragraph is sure to be the abstract
        } else if (beforeFirstHeading && hasBodyHeadings && ABSTRACT_LINE.test(block.text) && abstract.length === 0) {
          abstract.push(block.text.replace(ABSTRACT_LINE, ''));
        } else outline.push({ paragraph: block.text });
    }
  }

  const titleText = title ?? properties.title;
  // Before the first heading of a headed manuscript: its title page (authors, affiliations, notes).
  const sections = bodySections(outline, { textBeforeFirstHeading: hasBodyHeadings ? 'drop' : 'keep' });
  if (sections.length === 0)
    throw new RejectedArticleError(`${WHAT} has no body text to summarize (only a title, abstract or back matter)`);
  return {
    format: 'docx',
    ...(titleText ? { title: oneLine(titleText) } : {}),
    ...(abstract.length > 0 ? { abstract: abstract.join('\n\n') } : {}),
    sections,
    keywords: keywords.length > 0 ? keywords : properties.keywords,
    ...(published ? { published } : {}),
    ...(properties.language ? { language: properties.language } : {}),
  };
};
