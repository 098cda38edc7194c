/**
 * Entity and character references in text that no HTML parser has read (XML text, Markdown): the
 * five XML predefines (https://www.w3.org/TR/xml/#sec-predefined-ent), numeric references, and any
 * other name as the HTML character it names (&nbsp;, &mdash;: JATS DTDs define the same names), else
 * nothing. Nothing is ever expanded from a DOCTYPE.
 */

import { htmlText } from './dom';

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const namedEntities = new Map<string, string>();

/** An entity name no XML entity defines, read as HTML's (&nbsp;, &mdash;), else nothing. */
const namedEntity = (name: string): string => {
  let value = namedEntities.get(name);
  if (value === undefined) {
    const decoded = htmlText(`&${name};`);
    value = decoded === `&${name};` ? '' : decoded;
    if (namedEntities.size < 1000) namedEntities.set(name, value);
  }
  return value;
};

const codePoint = (reference: string): string => {
  const value = reference[1] === 'x' || reference[1] === 'X' ? parseInt(reference.slice(2), 16) : parseInt(reference.slice(1), 10);
  const valid = value > 0 && value <= 0x10ffff && !(value >= 0xd800 && value <= 0xdfff);
  return valid ? String.fromCodePoint(value) : '\ufffd';
};

/** Text with its entity and character references decoded (see the module comment). */
export const decodeEntities = (text: string): string =>
  text.includes('&')
    ? text.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][\w.-]*);/g, (_, reference: string) =>
        reference.startsWith('#') ? codePoint(reference) : (PREDEFINED[reference] ?? namedEntity(reference)),
      )
    : text;
