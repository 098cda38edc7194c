/**
 * HTML parsed into a DOM with linkedom (no network, no script, no stylesheet or image loads: it
 * builds nodes and nothing else), seen through the few members the readers use, so any DOM (linkedom's,
 * Readability's output) can be walked.
 */

import type * as Linkedom from 'linkedom' with { 'resolution-mode': 'import' };

// linkedom's types are written for ES modules; at run time its CommonJS build is what Node and
// esbuild load for a require, which is what this TypeScript compiles to. It loads on the first page
// parsed: a Markdown article needs it only for an entity HTML names (entities.ts), and in the Lambda
// bundle it is a file of its own (deploy/esbuild-plugins.js), parsed only then.
let linkedom: typeof Linkedom | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parseHTML = (html: string) => (linkedom ??= require('linkedom') as typeof Linkedom).parseHTML(html);

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

export interface DomNode {
  readonly nodeType: number;
  readonly childNodes: ArrayLike<DomNode>;
  readonly textContent: string | null;
  readonly parentNode: DomNode | null;
}

export interface DomElement extends DomNode {
  readonly localName: string;
  getAttribute(name: string): string | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}

export interface DomDocument {
  readonly documentElement: DomElement | null;
  readonly head: DomElement | null;
  readonly body: DomElement | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}

export const isElement = (node: DomNode): node is DomElement => node.nodeType === ELEMENT_NODE;

/** A whole page. */
export const parseHtmlDocument = (html: string): DomDocument => parseHTML(html).document as unknown as DomDocument;

/**
 * A fragment (a JATS CDATA body, mammoth's .docx output) in a page of its own: linkedom makes the
 * first element of a bare fragment the document element, so the fragment is given a body to live in.
 */
export const parseHtmlFragment = (html: string): DomElement => {
  const document = parseHtmlDocument(`<!DOCTYPE html><html><head></head><body>${html}</body></html>`);
  if (!document.body) throw new Error('linkedom built a page without a body');
  return document.body;
};

/** The text of a fragment of HTML with its tags gone and its entities decoded ("A &amp; <i>B</i>" → "A & B"). */
export const htmlText = (html: string): string => (/[<&]/.test(html) ? (parseHtmlFragment(html).textContent ?? '') : html);
