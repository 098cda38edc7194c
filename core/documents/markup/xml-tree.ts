/**
 * XML text to a small element tree with fast-xml-parser, safely: the DOCTYPE is cut out before parsing,
 * so an internal subset's entities are never defined, expanded or fetched (an entity bomb stays a
 * few bytes), and text keeps only the predefined entities, character references and the HTML
 * characters other names stand for (markup/entities.ts). Malformed XML is refused with where it breaks.
 */

import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { RejectedArticleError } from '../../errors';
import { decodeEntities } from './entities';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

/** Text, CDATA (kept apart: it may carry HTML, as SciELO's bodies do) or an element. */
export type XmlNode = XmlElement | { text: string } | { cdata: string };

export const isXmlElement = (node: XmlNode): node is XmlElement => 'name' in node;

/** Deeper than any real article nests (MathML included); past it the document is refused. */
const MAX_DEPTH = 200;

/**
 * The document without its DOCTYPE declaration (internal subset included), newlines kept so
 * positions in error messages still match the file.
 */
export const withoutDoctype = (xml: string): string => {
  const start = xml.search(/<!DOCTYPE\b/i);
  // A DOCTYPE stands before the root element; a later "<!DOCTYPE" is content (in a CDATA section).
  if (start < 0 || /<[A-Za-z_]/.test(xml.slice(0, start))) return xml;
  let quote: string | undefined;
  let subset = false;
  for (let i = start + 9; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (subset && xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) break;
      i = end + 2;
    } else if (c === '[') subset = true;
    else if (c === ']') subset = false;
    else if (c === '>' && !subset) {
      const doctype = xml.slice(start, i + 1);
      return xml.slice(0, start) + doctype.replace(/[^\n]/g, '') + xml.slice(i + 1);
    }
  }
  throw new RejectedArticleError('the XML is malformed: its DOCTYPE declaration never ends');
};

type Parsed = Record<string, unknown>[];

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false, // decoded here: the DOCTYPE's entities never exist
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH,
});

const toNode = (item: Record<string, unknown>, depth: number): XmlNode | undefined => {
  if (depth > MAX_DEPTH) throw new RejectedArticleError(`the XML nests elements more than ${MAX_DEPTH} deep; it is not an article`);
  for (const [key, value] of Object.entries(item)) {
    if (key === ':@') continue;
    if (key === '#text') return { text: decodeEntities(String(value)) };
    if (key === '#cdata') return { cdata: (value as Parsed).map((part) => String(part['#text'] ?? '')).join('') };
    const attrs: Record<string, string> = {};
    for (const [name, attr] of Object.entries((item[':@'] as Record<string, unknown> | undefined) ?? {}))
      attrs[name] = decodeEntities(String(attr));
    const children = (value as Parsed).map((child) => toNode(child, depth + 1)).filter((child) => child !== undefined);
    return { name: key, attrs, children };
  }
  return undefined;
};

/** The document's root element; throws RejectedArticleError when the XML is malformed. */
export const parseXml = (xml: string): XmlElement => {
  const text = withoutDoctype(xml);
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw new RejectedArticleError(`the XML is malformed (line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg})`);
  let parsed: Parsed;
  try {
    parsed = parser.parse(text) as Parsed;
  } catch (error) {
    throw new RejectedArticleError(`the XML cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const root = parsed.map((item) => toNode(item, 0)).find((node) => node !== undefined && isXmlElement(node));
  if (!root || !isXmlElement(root)) throw new RejectedArticleError('the XML has no root element');
  return root;
};

/** The element's children that are elements named `name` (any of the names). */
export const childElements = (element: XmlElement | undefined, ...names: string[]): XmlElement[] =>
  (element?.children ?? []).filter(
    (child): child is XmlElement => isXmlElement(child) && (names.length === 0 || names.includes(child.name)),
  );

export const firstChild = (element: XmlElement | undefined, ...names: string[]): XmlElement | undefined =>
  childElements(element, ...names)[0];

/** Every descendant element named `name`, in document order, not looking inside elements named in `stopAt`. */
export const descendants = (element: XmlElement, name: string, stopAt: readonly string[] = []): XmlElement[] => {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement): void => {
    for (const child of node.children) {
      if (!isXmlElement(child)) continue;
      if (child.name === name) found.push(child);
      if (!stopAt.includes(child.name)) visit(child);
    }
  };
  visit(element);
  return found;
};
