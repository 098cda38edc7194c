import { zipSync, type Zippable } from 'fflate';
import { detectFormat, type Detection } from '../../../core/documents/detect-format';
import { buildDocx } from '../../support/documents/docx-builder';
import { gzipOf, paper, tarGzOf, tarOf } from '../../support/documents/latex-builder';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'latin1')] : part)));
const zip = (files: Record<string, string>): Uint8Array =>
  zipSync(
    Object.fromEntries(
      Object.entries(files).map(([name, text]): [string, Zippable[string]] => [
        name,
        [new TextEncoder().encode(text), { level: name === 'mimetype' ? 0 : 6 }],
      ]),
    ),
  );
const ole = (...streams: string[]): Uint8Array =>
  new Uint8Array([
    0xd0,
    0xcf,
    0x11,
    0xe0,
    0xa1,
    0xb1,
    0x1a,
    0xe1,
    ...new Uint8Array(504),
    ...streams.flatMap((name) => [...Buffer.from(name, 'utf16le'), 0, 0]),
  ]);
const detect = (data: Uint8Array, key = 'input/upload', contentType = 'application/octet-stream'): Detection =>
  detectFormat(data, key, contentType);
const unsupportedReason = (detection: Detection): string =>
  'unsupported' in detection ? detection.unsupported : `read as ${detection.format}`;

const JATS = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.2 20190208//EN" "JATS-archivearticle1.dtd">
<!-- converted by the publisher -->
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article" dtd-version="1.2"><front><article-meta/></front></article>`;

describe('detectFormat: the bytes first', () => {
  it.each([
    ['a PDF', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj'), 'pdf'],
    ['a PDF with bytes before its header (within 1,024)', bytes('\x00'.repeat(100), '%PDF-1.4\n'), 'pdf'],
    ['a .docx', buildDocx({ body: [{ text: 'Hello' }] }), 'docx'],
    ['a .docx cut short (its central directory missing)', buildDocx({ body: [{ text: 'Hello '.repeat(500) }] }).subarray(0, 700), 'docx'],
    ['an arXiv source tarball', tarGzOf({ '._main.tex': 'x', 'main.tex': paper({ body: 'Text.' }) }), 'latex'],
    ["arXiv's bare gzip of a single .tex", gzipOf(paper({ body: 'Text.' })), 'latex'],
    ['an uncompressed tar of LaTeX sources', tarOf({ 'figures/a.pdf': '%PDF-1.4', 'paper.tex': paper({ body: 'Text.' }) }), 'latex'],
    ['an Overleaf project zip', zip({ 'main.tex': paper({ body: 'Text.' }), 'figures/a.png': 'png' }), 'latex'],
    ['a .tex upload with no telling name', bytes(paper({ body: 'Text.' })), 'latex'],
    ['a JATS article after its prolog, DOCTYPE and comments', bytes(JATS), 'jats'],
    [
      'a JATS article whose DOCTYPE has an internal subset',
      bytes('<!DOCTYPE article [ <!ENTITY x "]>"> ]><article><front/></article>'),
      'jats',
    ],
    ['a PubMed Central article set', bytes('<?xml version="1.0"?><pmc-articleset><article><front/></article></pmc-articleset>'), 'jats'],
    [
      'an HTML page after a UTF-8 byte-order mark',
      bytes([0xef, 0xbb, 0xbf], '<!DOCTYPE html>\n<html lang="en"><head><title>x</title></head></html>'),
      'html',
    ],
    ['an XHTML page', bytes('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'), 'html'],
    ['an HTML fragment', bytes('<div class="article"><p>Text.</p></div>'), 'html'],
    ['an HTML5 page that starts with <article>', bytes('<article><h1>Title</h1><p>Text.</p></article>'), 'html'],
    ['plain text', bytes('An article about things.\n'), 'text'],
  ])('reads %s as its format', (_what, data, format) => {
    expect(detect(data)).toEqual({ format });
  });

  it.each([
    [
      'a Word 97–2003 .doc',
      ole('Root Entry', 'WordDocument'),
      'A Word 97–2003 document (.doc) is not read: save it as .docx or PDF and upload that',
    ],
    [
      'a password-protected .docx (an OLE2 file)',
      ole('Root Entry', 'EncryptionInfo', 'EncryptedPackage'),
      'A password-protected Office document (an encrypted .docx is stored as an OLE2 file) is not read: remove the password in Word (File > Info > Protect Document) and upload the .docx again',
    ],
    ['an Excel 97–2003 workbook', ole('Root Entry', 'Workbook'), 'An Excel 97–2003 workbook (.xls) is not read'],
    [
      'an OpenDocument text',
      zip({ mimetype: 'application/vnd.oasis.opendocument.text', 'content.xml': '<x/>' }),
      'An OpenDocument text (.odt) file is not read: save it as .docx or PDF',
    ],
    ['an EPUB', zip({ mimetype: 'application/epub+zip', 'META-INF/container.xml': '<x/>' }), 'An EPUB e-book is not read'],
    ['an Excel workbook', zip({ '[Content_Types].xml': '<x/>', 'xl/workbook.xml': '<x/>' }), 'An Excel workbook (.xlsx) is not read'],
    [
      'a PowerPoint presentation',
      zip({ '[Content_Types].xml': '<x/>', 'ppt/presentation.xml': '<x/>' }),
      'A PowerPoint presentation (.pptx) is not read',
    ],
    ['a zip holding a PDF', zip({ 'paper.pdf': '%PDF-1.4' }), 'A zip archive holding paper.pdf is not read: upload that file itself'],
    ['a zip of images', zip({ 'a.png': 'x', 'b.png': 'y' }), 'A zip archive with no document in it (it holds a.png, b.png) is not read'],
    [
      'a tar with no .tex',
      tarOf({ 'paper.pdf': '%PDF-1.4' }),
      'A tar archive with no LaTeX source (.tex) in it (it holds paper.pdf) is not read',
    ],
    ['a gzip inside a gzip', gzipOf(gzipOf('text')), 'A gzip file holding another compressed file (a nested archive) is not read'],
    ['a gzipped PDF', gzipOf('%PDF-1.4\n'), 'A gzip-compressed PDF is not read: upload the PDF itself'],
    ['gzipped plain text', gzipOf('Just some text.'), 'A gzip-compressed file that is not LaTeX source is not read'],
    [
      'a PNG image',
      bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      'A PNG image is not read: text in images is not read (no OCR)',
    ],
    ['a JPEG image', bytes([0xff, 0xd8, 0xff, 0xe0]), 'A JPEG image is not read'],
    ['a GIF image', bytes('GIF89a'), 'A GIF image is not read'],
    ['a TIFF image', bytes([0x49, 0x49, 0x2a, 0x00]), 'A TIFF image is not read'],
    ['a WebP image', bytes('RIFF\x00\x00\x00\x00WEBPVP8 '), 'A WebP image is not read'],
    ['a HEIC image', bytes('\x00\x00\x00\x18ftypheic'), 'A HEIC image is not read'],
    ['an SVG image', bytes('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'An SVG image is not read'],
    ['an RTF file', bytes('{\\rtf1\\ansi text}'), 'A Rich Text Format (.rtf) file is not read: save it as .docx or PDF'],
    ['a PostScript file', bytes('%!PS-Adobe-3.0\n'), 'A PostScript file is not read: convert it to PDF'],
    ['a 7z archive', bytes([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), 'A 7z archive is not read'],
    ['a RAR archive', bytes('Rar!\x1a\x07\x01\x00'), 'A RAR archive is not read'],
    ['a bzip2 file', bytes('BZh91AY&SY'), 'A bzip2 archive is not read'],
    ['an xz file', bytes([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), 'An xz archive is not read'],
    [
      'XML that is not JATS',
      bytes('<?xml version="1.0"?><TEI xmlns="http://www.tei-c.org/ns/1.0"/>'),
      'XML whose root element is <TEI>, not a JATS <article>, is not read',
    ],
    [
      'UTF-16 text with a byte-order mark',
      bytes([0xff, 0xfe], [...Buffer.from('<?xml version="1.0"?>', 'utf16le')]),
      'UTF-16 text is not supported: save the article as UTF-8',
    ],
    [
      'UTF-16 text without one',
      bytes([...Buffer.from('Plain text in UTF-16', 'utf16le')]),
      'UTF-16 text is not supported: save the article as UTF-8',
    ],
  ])('names %s and what to upload instead', (_what, data, reason) => {
    expect(unsupportedReason(detect(data))).toContain(reason);
  });
});

describe('detectFormat: then the name, then the Content-Type', () => {
  it('reads Markdown by its extension, since it has no signature', () => {
    expect(detect(bytes('# Title\n\nText.'), 'input/notes.md')).toEqual({ format: 'markdown' });
  });

  it('reads Markdown by its Content-Type when the name says nothing', () => {
    expect(detect(bytes('# Title\n\nText.'), 'input/notes', 'text/markdown; charset=utf-8')).toEqual({ format: 'markdown' });
  });

  it('reads a .tex fragment as LaTeX by its extension', () => {
    expect(detect(bytes('\\section{Intro} Text.'), 'input/intro.tex')).toEqual({ format: 'latex' });
  });

  it('keeps a .txt upload text whatever its Content-Type says', () => {
    expect(detect(bytes('Text.'), 'input/article.txt', 'text/markdown')).toEqual({ format: 'text' });
  });
});

describe('detectFormat: an upload whose Content-Type disagrees with its bytes is read by its bytes', () => {
  it('reads PDF bytes sent as text/html as a PDF', () => {
    expect(detect(bytes('%PDF-1.7\n'), 'input/paper.html', 'text/html')).toEqual({ format: 'pdf' });
  });

  it('reads a .docx sent as application/pdf as a .docx', () => {
    expect(detect(buildDocx({ body: [{ text: 'Hello' }] }), 'input/paper', 'application/pdf')).toEqual({ format: 'docx' });
  });

  it('reads a JATS article sent as text/plain as JATS', () => {
    expect(detect(bytes(JATS), 'input/article.txt', 'text/plain')).toEqual({ format: 'jats' });
  });

  it('reads text without a single tag sent as text/html as text', () => {
    expect(detect(bytes('Just words, no markup.'), 'input/article', 'text/html')).toEqual({ format: 'text' });
  });
});
