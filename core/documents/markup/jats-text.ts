/**
 * The running text of a JATS element (https://jats.nlm.nih.gov/archiving/tag-library/1.3/) as the
 * model should read it: formulas (`inline-formula`, `disp-formula`, MathML, TeX), graphics, figures,
 * tables and footnotes out; bibliographic cross-references (`xref ref-type="bibr"`) marked as
 * citations for tidyParagraph; footnote, affiliation and correspondence markers out; other
 * cross-references ("Figure 1A") kept as the words they are. HTML in CDATA is read as text.
 */

import { htmlText } from './dom';
import { CITATION } from './inline-text';
import { isXmlElement, type XmlElement, type XmlNode } from './xml-tree';

/** Elements whose content is never running text. */
export const NOT_TEXT = new Set([
  'inline-formula', 'disp-formula', 'disp-formula-group', 'math', 'tex-math', 'alternatives', 'inline-graphic', 'graphic', 'media',
  'fig', 'fig-group', 'table-wrap', 'table-wrap-group', 'table', 'chem-struct-wrap', 'chem-struct', 'array', 'preformat', 'code',
  'fn', 'fn-group', 'supplementary-material', 'inline-supplementary-material', 'object-id', 'label', 'private-char', 'glyph-data',
  'target', 'ref-list', 'caption', 'attrib', 'permissions',
]); // prettier-ignore

/** Cross-reference types that are markers (a footnote's "a", an author's "1", "*"), not words. */
const MARKER_XREFS = new Set(['fn', 'table-fn', 'author-notes', 'corresp', 'aff', 'other', 'boxed-text-fn', 'contrib']);

export const isNotText = (element: XmlElement): boolean => NOT_TEXT.has(element.name) || element.name.startsWith('mml:');

/** The inline text of nodes, with CITATION where a citation stood; call tidyParagraph on the result. */
export const jatsInline = (nodes: readonly XmlNode[]): string => {
  let text = '';
  for (const node of nodes) {
    if (!isXmlElement(node)) text += 'cdata' in node ? htmlText(node.cdata) : node.text;
    else if (node.name === 'xref') {
      const type = node.attrs['ref-type'] ?? '';
      if (type === 'bibr') text += CITATION;
      else if (!MARKER_XREFS.has(type)) text += jatsInline(node.children);
    } else if (node.name === 'break') text += ' ';
    else if (!isNotText(node)) text += jatsInline(node.children);
  }
  return text;
};
