/**
 * Bytes to text in the encoding a markup document declares. Labels are the WHATWG Encoding
 * Standard's (https://encoding.spec.whatwg.org/#names-and-labels), which TextDecoder implements: a
 * declared ISO-8859-1 or US-ASCII decodes as windows-1252, as browsers do, so the 0x80–0x9F bytes
 * such files really carry (curly quotes, dashes) read as the characters their authors typed.
 */

import { TextDecoder } from 'node:util';

import { RejectedArticleError } from '../../errors';

export interface DecodedText {
  text: string;
  /** The WHATWG name of the encoding used ("utf-8", "windows-1252", "utf-16le"). */
  encoding: string;
}

/** How far into a page the declared charset is looked for. The HTML standard prescans 1,024 bytes
 * (https://html.spec.whatwg.org/multipage/parsing.html#prescan-a-byte-stream-to-determine-its-encoding);
 * 4,096 also finds the declarations of pages that put long comments or scripts before them. */
const PRESCAN_BYTES = 4096;

const bomEncoding = (bytes: Uint8Array): { encoding: string; length: number } | undefined => {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  return undefined;
};

const decoderFor = (label: string): TextDecoder | undefined => {
  try {
    return new TextDecoder(label.trim());
  } catch {
    return undefined; // not an encoding label TextDecoder knows
  }
};

/**
 * windows-1252's characters for bytes 0x80–0x9F (https://encoding.spec.whatwg.org/index-windows-1252.txt).
 * Node 20's TextDecoder names the encoding windows-1252 but returns these bytes as the C1 controls
 * U+0080–U+009F (Latin-1), so "Azote’y" would lose its apostrophe; they are mapped here, which is a
 * no-op on a runtime that decodes them itself. 0x81, 0x8D, 0x8F, 0x90 and 0x9D have no character.
 */
const WINDOWS_1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

const decodeWith = (decoder: TextDecoder, bytes: Uint8Array): DecodedText => {
  const text = decoder.decode(bytes);
  return {
    text:
      decoder.encoding === 'windows-1252' ? text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80] ?? c) : text,
    encoding: decoder.encoding,
  };
};

const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** UTF-8 when the bytes are UTF-8, windows-1252 otherwise: what undeclared legacy files are. */
const undeclared = (bytes: Uint8Array): DecodedText => decodeWith(new TextDecoder(isUtf8(bytes) ? 'utf-8' : 'windows-1252'), bytes);

const head = (bytes: Uint8Array): string => new TextDecoder('windows-1252').decode(bytes.subarray(0, PRESCAN_BYTES));

/**
 * An XML document's text (https://www.w3.org/TR/xml/#sec-guessing): a byte order mark wins, then
 * the encoding the XML declaration names, then UTF-8 (windows-1252 when the bytes are not UTF-8
 * and nothing was declared). A declared encoding that is not one TextDecoder knows is refused.
 */
export const decodeXml = (bytes: Uint8Array): DecodedText => {
  const bom = bomEncoding(bytes);
  if (bom) return decodeWith(new TextDecoder(bom.encoding), bytes);
  // UTF-16 without a BOM still starts "<?" in its own byte order (XML 1.0 appendix F).
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00)
    return decodeWith(new TextDecoder('utf-16le'), bytes);
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f)
    return decodeWith(new TextDecoder('utf-16be'), bytes);
  const declared = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']+)["']/.exec(head(bytes))?.[1];
  if (!declared) return undeclared(bytes);
  const decoder = decoderFor(declared);
  if (!decoder) throw new RejectedArticleError(`the XML declares encoding "${declared}", which is not supported; save it as UTF-8`);
  return decodeWith(decoder, bytes);
};

/** The charset a page's first bytes declare: <meta charset>, <meta http-equiv="Content-Type">, or an XHTML XML declaration. */
const declaredHtmlCharset = (prefix: string): string | undefined => {
  const withoutComments = prefix.replace(/<!--[\s\S]*?-->/g, '');
  for (const meta of withoutComments.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = meta[0];
    const charset = /\bcharset\s*=\s*["']?\s*([^"'\s;/>]+)/i.exec(tag)?.[1];
    if (charset) return charset;
  }
  return /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']+)["']/.exec(withoutComments)?.[1];
};

/**
 * A page's text, by the HTML standard's rules
 * (https://html.spec.whatwg.org/multipage/parsing.html#determining-the-character-encoding): a byte
 * order mark wins, then the charset its head declares (a declared UTF-16 means UTF-8, since the
 * bytes were read as ASCII to find it), then UTF-8 if the bytes are UTF-8, else windows-1252. An
 * unknown label is ignored, as browsers ignore it.
 */
export const decodeHtml = (bytes: Uint8Array): DecodedText => {
  const bom = bomEncoding(bytes);
  if (bom) return decodeWith(new TextDecoder(bom.encoding), bytes);
  const declared = declaredHtmlCharset(head(bytes));
  const decoder = declared ? decoderFor(declared) : undefined;
  if (!decoder) return undeclared(bytes);
  return decoder.encoding.startsWith('utf-16') ? decodeWith(new TextDecoder('utf-8'), bytes) : decodeWith(decoder, bytes);
};

/** A text file's content (Markdown): UTF-8 (a BOM decides otherwise), or windows-1252 when the bytes are not UTF-8. */
export const decodeText = (bytes: Uint8Array): DecodedText => {
  const bom = bomEncoding(bytes);
  return bom ? decodeWith(new TextDecoder(bom.encoding), bytes) : undeclared(bytes);
};
