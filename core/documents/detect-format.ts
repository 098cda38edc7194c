/**
 * What an upload is, decided from its bytes first: a signature (`%PDF-`, a zip holding
 * `word/document.xml`, gzip, tar, a JATS `<article>` or HTML root), then the key's extension, then
 * the Content-Type. An upload whose Content-Type disagrees with its bytes is read by its bytes.
 * Formats the product does not read are named, with what to upload instead; plain text is left to
 * the UTF-8 checks that read it (core/model-request.ts), so anything unrecognised is `text`.
 *
 * `bytes` is the whole object (the caller reads it whole, bounded by the size limits): a zip's
 * central directory is at its end, and a tar's entries are spread through it.
 */

import { gunzipHead, isGzip, isTar, isZip, storedEntryText, tarNamesInHead, zipEntryNames } from './archive';
import type { DocumentFormat } from './document';

/** What an upload is: a format the product reads, or why it is not read (names the format and what to upload instead). */
export type Detection = { format: DocumentFormat } | { unsupported: string };

const READ_FORMATS = 'PDF, .docx, JATS XML, HTML, Markdown, LaTeX source (.tex or .tar.gz) or UTF-8 text';
/** How much of a gzip file is inflated to see what it holds: a tar's first entries, or a .tex's preamble. */
const GZIP_HEAD_BYTES = 1 << 20;
/** How far into a markup file its root element is looked for. */
const MARKUP_HEAD_BYTES = 64 * 1024;

export const detectFormat = (bytes: Uint8Array, key: string, contentType?: string): Detection =>
  bySignature(bytes) ?? byExtension(key) ?? byContentType(contentType, bytes) ?? { format: 'text' };

const read = (format: DocumentFormat): Detection => ({ format });
const unsupported = (what: string, instead: string): Detection => ({ unsupported: `${what} is not read: ${instead}` });

const latin1 = new TextDecoder('latin1');
const ascii = (bytes: Uint8Array, from: number, length: number): string => latin1.decode(bytes.subarray(from, from + length));
const startsWith = (bytes: Uint8Array, ...values: number[]): boolean => values.every((value, i) => bytes[i] === value);

// ------------------------------------------------------------------------------------------ bytes

const bySignature = (bytes: Uint8Array): Detection | undefined => {
  if (ascii(bytes, 0, 5) === '%PDF-') return read('pdf');
  if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff) || looksLikeUtf16(bytes)) {
    // Today's rejection of UTF-16 text (core/model-request.ts), for every format, since none is read as UTF-16.
    return { unsupported: 'UTF-16 text is not supported: save the article as UTF-8' };
  }
  if (isZip(bytes)) return zipFormat(bytes);
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return oleFormat(bytes);
  if (isGzip(bytes)) return gzipFormat(bytes);
  if (isTar(bytes)) return tarFormat(tarNamesInHead(bytes));
  const other = otherSignature(bytes);
  if (other) return other;
  // Some PDFs carry a few bytes before the header, which readers accept within the first 1,024 bytes
  // (Adobe's PDF Reference 1.7, Appendix H, implementation note 13 to section 3.4.1, "File Header").
  // Checked after the other signatures: a zip whose first entry is a stored PDF must stay a zip.
  if (ascii(bytes, 0, 1024).includes('%PDF-')) return read('pdf');
  return markupFormat(bytes) ?? texFormat(bytes);
};

/** UTF-16 without a byte-order mark: ASCII characters each followed (LE) or preceded (BE) by a zero byte. */
const looksLikeUtf16 = (bytes: Uint8Array): boolean => {
  if (bytes.length < 8) return false;
  const printable = (b: number | undefined): boolean =>
    b !== undefined && ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09);
  const le = [0, 2, 4, 6].every((i) => printable(bytes[i]) && bytes[i + 1] === 0);
  const be = [0, 2, 4, 6].every((i) => bytes[i] === 0 && printable(bytes[i + 1]));
  return le || be;
};

const APPLE_METADATA = /(^|\/)(\._|__MACOSX\/|\.DS_Store$)/;
const isTex = (name: string): boolean => /\.(tex|ltx)$/i.test(name) && !APPLE_METADATA.test(name);

const zipFormat = (bytes: Uint8Array): Detection => {
  const names = zipEntryNames(bytes);
  const has = (name: string): boolean => names.includes(name);
  const some = (pattern: RegExp): boolean => names.some((name) => pattern.test(name));
  if (has('word/document.xml') || (has('[Content_Types].xml') && some(/^word\//))) return read('docx');

  const mimetype = storedEntryText(bytes, 'mimetype')?.trim();
  if (mimetype === 'application/epub+zip' || has('META-INF/container.xml')) {
    return unsupported('An EPUB e-book', `upload the article as PDF, HTML or text`);
  }
  if (mimetype?.startsWith('application/vnd.oasis.opendocument.text') || (has('content.xml') && has('META-INF/manifest.xml'))) {
    const kind = mimetype?.replace('application/vnd.oasis.opendocument.', '') ?? 'text';
    return kind.startsWith('text')
      ? unsupported('An OpenDocument text (.odt) file', 'save it as .docx or PDF and upload that')
      : unsupported(`An OpenDocument ${kind} file`, `upload the article as ${READ_FORMATS}`);
  }
  if (mimetype?.startsWith('application/vnd.oasis.opendocument.')) {
    return unsupported(
      `An OpenDocument ${mimetype.replace('application/vnd.oasis.opendocument.', '')} file`,
      `upload the article as ${READ_FORMATS}`,
    );
  }
  if (some(/^xl\//)) return unsupported('An Excel workbook (.xlsx)', `upload the article as ${READ_FORMATS}`);
  if (some(/^ppt\//)) return unsupported('A PowerPoint presentation (.pptx)', 'upload the paper as PDF or .docx');
  if (names.some(isTex)) return read('latex'); // an Overleaf project download
  const documents = names.filter((name) => /\.(pdf|docx?|xml|nxml|html?|md|txt)$/i.test(name) && !APPLE_METADATA.test(name));
  if (documents.length > 0) {
    return unsupported(
      `A zip archive holding ${listed(documents)}`,
      `upload ${documents.length === 1 ? 'that file' : 'each document'} itself`,
    );
  }
  if (names.length === 0)
    return unsupported('A zip archive that is empty or too damaged to list', `upload the document itself (${READ_FORMATS})`);
  return unsupported(`A zip archive with no document in it (it holds ${listed(names)})`, `upload the document itself (${READ_FORMATS})`);
};

const listed = (names: string[]): string =>
  names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;

/** OLE2 compound files (MS-CFB): directory entry names are UTF-16LE, so the stream names say what the file is. */
const oleFormat = (bytes: Uint8Array): Detection => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const holds = (stream: string): boolean => buffer.includes(Buffer.from(stream, 'utf16le'));
  // A password-protected .docx/.xlsx is an OLE2 file holding the encrypted package (MS-OFFCRYPTO 2.3.4.4:
  // https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-offcrypto/).
  if (holds('EncryptedPackage')) {
    return unsupported(
      'A password-protected Office document (an encrypted .docx is stored as an OLE2 file)',
      'remove the password in Word (File > Info > Protect Document) and upload the .docx again',
    );
  }
  if (holds('WordDocument')) return unsupported('A Word 97–2003 document (.doc)', 'save it as .docx or PDF and upload that');
  if (holds('Workbook') || holds('Book')) return unsupported('An Excel 97–2003 workbook (.xls)', `upload the article as ${READ_FORMATS}`);
  if (holds('PowerPoint Document')) return unsupported('A PowerPoint 97–2003 presentation (.ppt)', 'upload the paper as PDF or .docx');
  return unsupported('An OLE2 compound file (an Office 97–2003 document)', 'save it as .docx or PDF and upload that');
};

const gzipFormat = (bytes: Uint8Array): Detection => {
  const head = gunzipHead(bytes, GZIP_HEAD_BYTES);
  if (head.length === 0) return unsupported('A gzip file that could not be unpacked (corrupt or truncated)', 'upload an intact copy');
  if (isGzip(head) || isZip(head) || startsWith(head, 0x42, 0x5a, 0x68) || startsWith(head, 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) {
    return unsupported(
      'A gzip file holding another compressed file (a nested archive)',
      'upload the LaTeX sources as one .tar.gz, or the document itself',
    );
  }
  if (isTar(head)) return tarFormat(tarNamesInHead(head));
  if (ascii(head, 0, 1024).includes('%PDF-')) return unsupported('A gzip-compressed PDF', 'upload the PDF itself');
  if (TEX_MARKERS.test(latin1.decode(head.subarray(0, MARKUP_HEAD_BYTES)))) return read('latex');
  return unsupported('A gzip-compressed file that is not LaTeX source', `upload it uncompressed (${READ_FORMATS})`);
};

const tarFormat = ({ names, complete }: { names: string[]; complete: boolean }): Detection => {
  if (names.some(isTex) || !complete) return read('latex'); // a tar longer than the look decides in the LaTeX reader
  const files = names.filter((name) => !APPLE_METADATA.test(name));
  return unsupported(
    `A tar archive with no LaTeX source (.tex) in it${files.length ? ` (it holds ${listed(files)})` : ''}`,
    `upload the document itself (${READ_FORMATS})`,
  );
};

/** `what` with its article ("A PNG", "An SVG"), as the reason's first words. */
const image = (what: string): Detection =>
  unsupported(`${what} image`, 'text in images is not read (no OCR): upload the article as PDF with a text layer, .docx, HTML or text');
const archive = (what: string): Detection =>
  unsupported(`${what} archive`, 'upload the document itself, or LaTeX sources as .tar.gz or .zip');

/** Signatures of formats that are not read, from each format's specification or registration. */
const otherSignature = (bytes: Uint8Array): Detection | undefined => {
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return image('A PNG');
  if (startsWith(bytes, 0xff, 0xd8, 0xff)) return image('A JPEG');
  if (/^GIF8[79]a/.test(ascii(bytes, 0, 6))) return image('A GIF');
  if (startsWith(bytes, 0x49, 0x49, 0x2a, 0x00) || startsWith(bytes, 0x4d, 0x4d, 0x00, 0x2a)) return image('A TIFF');
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return image('A WebP');
  if (ascii(bytes, 4, 4) === 'ftyp') {
    const brand = ascii(bytes, 8, 4);
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return image('A HEIC');
    if (brand === 'avif' || brand === 'avis') return image('An AVIF');
    return unsupported('An audio or video file (MP4/QuickTime)', `upload the article as ${READ_FORMATS}`);
  }
  if (ascii(bytes, 0, 8) === 'AT&TFORM')
    return unsupported('A DjVu document (scanned pages)', 'OCR is not supported: upload a PDF with a text layer');
  if (ascii(bytes, 0, 5) === '{\\rtf') return unsupported('A Rich Text Format (.rtf) file', 'save it as .docx or PDF and upload that');
  if (ascii(bytes, 0, 4) === '%!PS') return unsupported('A PostScript file', 'convert it to PDF and upload that');
  if (startsWith(bytes, 0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return archive('A 7z');
  if (ascii(bytes, 0, 6) === 'Rar!\x1a\x07') return archive('A RAR');
  if (/^BZh[1-9]/.test(ascii(bytes, 0, 4))) return archive('A bzip2');
  if (startsWith(bytes, 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return archive('An xz');
  if (startsWith(bytes, 0x28, 0xb5, 0x2f, 0xfd)) return archive('A Zstandard');
  return undefined;
};

// ----------------------------------------------------------------------------------------- markup

/**
 * XML and HTML by their first element, past the XML declaration, comments, processing instructions
 * and the DOCTYPE (never fetched or expanded: only skipped, internal subset included).
 */
const markupFormat = (bytes: Uint8Array): Detection | undefined => {
  const start = startsWith(bytes, 0xef, 0xbb, 0xbf) ? 3 : 0;
  const head = latin1.decode(bytes.subarray(start, start + MARKUP_HEAD_BYTES));
  let at = head.search(/\S/);
  if (at === -1 || head[at] !== '<') return undefined;
  let declared = false;
  let doctype: string | undefined;
  for (;;) {
    at = skipSpace(head, at);
    if (head.startsWith('<?', at)) {
      declared ||= head.startsWith('<?xml', at);
      at = after(head, '?>', at);
    } else if (head.startsWith('<!--', at)) at = after(head, '-->', at);
    else if (/^<!doctype\s/i.test(head.slice(at, at + 10))) {
      doctype = /^<!doctype\s+([^\s>[]+)/i.exec(head.slice(at))?.[1]?.toLowerCase();
      at = afterDoctype(head, at);
    } else break;
    if (at === -1) {
      // A prolog longer than the look (a DOCTYPE with a large internal subset): XML, not one the product reads.
      return declared || doctype
        ? unsupported('XML whose prolog runs past 64 KiB (a DOCTYPE with an internal subset?)', `upload ${READ_FORMATS}`)
        : undefined;
    }
  }
  const root = /^<([A-Za-z_][\w.:-]*)/.exec(head.slice(at))?.[1];
  if (doctype === 'html') return read('html');
  if (!root) return declared || doctype ? unsupported('An XML file with no root element', `upload ${READ_FORMATS}`) : undefined;
  const name = (root.includes(':') ? root.slice(root.indexOf(':') + 1) : root).toLowerCase();
  if (name === 'html' || name === 'head' || name === 'body') return read('html');
  if (name === 'pmc-articleset') return read('jats');
  if (name === 'article') {
    // A JATS article has front matter (or says its DTD version); an HTML5 fragment may start with <article> too.
    if (/<(front|article-meta)[\s>]|\sdtd-version=|\sarticle-type=/.test(head) || declared || doctype === 'article') return read('jats');
    return read('html');
  }
  if (name === 'svg') return image('An SVG');
  if (declared || doctype) {
    return unsupported(`XML whose root element is <${root}>, not a JATS <article>,`, `upload JATS XML, HTML, PDF, .docx or text`);
  }
  if (HTML_ELEMENTS.has(name)) return read('html');
  return undefined;
};

const HTML_ELEMENTS = new Set([
  'meta',
  'title',
  'link',
  'script',
  'style',
  'div',
  'p',
  'section',
  'main',
  'header',
  'nav',
  'h1',
  'h2',
  'table',
  'span',
  'base',
]);

const skipSpace = (text: string, at: number): number => {
  while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
  return at;
};
const after = (text: string, end: string, at: number): number => {
  const found = text.indexOf(end, at);
  return found === -1 ? -1 : found + end.length;
};
/** Past a DOCTYPE, its quoted identifiers and internal subset ([ ... ]) included. */
const afterDoctype = (text: string, at: number): number => {
  let quote: string | undefined;
  let depth = 0;
  for (let i = at + 2; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth += 1;
    else if (c === ']') depth -= 1;
    else if (c === '>' && depth <= 0) return i + 1;
  }
  return -1;
};

/** A LaTeX document by its own markers, in a plain upload with no telling name. */
const TEX_MARKERS = /\\(documentclass|documentstyle|begin\s*\{document\}|input\s*\{|section\*?\s*\{|usepackage)/;
const texFormat = (bytes: Uint8Array): Detection | undefined => {
  const head = latin1.decode(bytes.subarray(0, MARKUP_HEAD_BYTES));
  return /\\document(class|style)\b/.test(head) && /\\begin\s*\{document\}/.test(head) ? read('latex') : undefined;
};

// ------------------------------------------------------------------------------ name and content type

const EXTENSIONS: Record<string, DocumentFormat> = {
  md: 'markdown',
  markdown: 'markdown',
  mdown: 'markdown',
  mkd: 'markdown',
  tex: 'latex',
  ltx: 'latex',
  latex: 'latex',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  txt: 'text',
  text: 'text',
};

const byExtension = (key: string): Detection | undefined => {
  const name = key.slice(key.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  const format = dot > 0 ? EXTENSIONS[name.slice(dot + 1)] : undefined;
  return format ? read(format) : undefined;
};

const CONTENT_TYPES: Record<string, DocumentFormat> = {
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'application/x-tex': 'latex',
  'application/x-latex': 'latex',
  'text/x-tex': 'latex',
  'text/x-latex': 'latex',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
};

const byContentType = (contentType: string | undefined, bytes: Uint8Array): Detection | undefined => {
  const format = contentType ? CONTENT_TYPES[contentType.split(';')[0]?.trim().toLowerCase() ?? ''] : undefined;
  // Text without a single tag is text, whatever its Content-Type says: the bytes decide.
  if (format === 'html' && !/<[a-z!]/i.test(latin1.decode(bytes.subarray(0, MARKUP_HEAD_BYTES)))) return undefined;
  return format ? read(format) : undefined;
};
