/**
 * PDFs written by hand, object by object, for what pdf-lib cannot make: encryption with the standard
 * security handler (RC4, 40-bit key, revision 2: algorithms 2 to 4 of the PDF 1.7 standard,
 * https://opensource.adobe.com/dc-acrobat-sdk-docs/pdfstandards/PDF32000_2008.pdf), a page tree that
 * claims thousands of pages, a content stream that inflates far beyond its size, and a font
 * that needs a predefined CJK CMap the reader does not ship.
 */

import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** A PDF from numbered objects' bodies (object 1 is the catalog), with a classic cross-reference table. */
export const rawPdf = (objects: readonly (string | Buffer)[], trailerExtra = ''): Uint8Array => {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]?.length ?? 0;
  objects.forEach((body, i) => {
    offsets.push(length);
    const object = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'),
      Buffer.from('\nendobj\n'),
    ]);
    parts.push(object);
    length += object.length;
  });
  const xref = [
    `xref\n0 ${objects.length + 1}\n`,
    '0000000000 65535 f \n',
    ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`),
  ].join('');
  parts.push(
    Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${length}\n%%EOF\n`, 'latin1'),
  );
  return new Uint8Array(Buffer.concat(parts));
};

const stream = (dictionary: string, data: Buffer): Buffer =>
  Buffer.concat([
    Buffer.from(`<< ${dictionary} /Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream', 'latin1'),
  ]);

/** Prose for a page's text layer: enough real sentences to be a usable page with a body. */
export const PROSE = [
  'Glacial lakes grow as mountain glaciers retreat, and their dams of loose moraine can fail.',
  'A sudden outburst sends a flood far down the valley within a few hours of the first warning.',
  'Sensors on the lake bed report the water level every ten minutes over long-range radio links.',
  'The measurements reach a server that converts pressure readings into water levels for the valley.',
  'In two seasons of field work the network recorded every filling and draining of three lakes.',
  'Satellite images of the same weeks were obscured by cloud on most of the days that mattered.',
];

const escape = (text: string): string => text.replace(/[\\()]/g, (c) => `\\${c}`);

/** A content stream showing lines of text in font /F1 at 11 points from the top of a letter page. */
const textContent = (lines: readonly string[]): Buffer =>
  Buffer.from(`BT /F1 11 Tf 72 720 Td 14 TL ${lines.map((line) => `(${escape(line)}) Tj T*`).join(' ')} ET`, 'latin1');

const onePage = (contents: string, fonts = '/F1 5 0 R'): string[] => [
  '<< /Type /Catalog /Pages 2 0 R >>',
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << ${fonts} >> >> /Contents ${contents} >>`,
];

const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';

// Standard security handler, revision 2 ------------------------------------------------------------

const PADDING = Buffer.from('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A', 'hex');
const md5 = (...parts: Buffer[]): Buffer => createHash('md5').update(Buffer.concat(parts)).digest();
const padded = (password: string): Buffer => Buffer.concat([Buffer.from(password, 'latin1'), PADDING]).subarray(0, 32);

const rc4 = (key: Buffer, data: Buffer): Buffer => {
  const s = Array.from({ length: 256 }, (_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i += 1) {
    j = (j + (s[i] as number) + (key[i % key.length] as number)) & 255;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
  }
  const out = Buffer.alloc(data.length);
  let a = 0;
  let b = 0;
  for (let k = 0; k < data.length; k += 1) {
    a = (a + 1) & 255;
    b = (b + (s[a] as number)) & 255;
    [s[a], s[b]] = [s[b] as number, s[a] as number];
    out[k] = (data[k] as number) ^ (s[((s[a] as number) + (s[b] as number)) & 255] as number);
  }
  return out;
};

/**
 * A one-page PDF encrypted with RC4: `userPassword` '' opens without a password (only the owner's
 * permissions are protected, as many publishers' PDFs are); any other needs it to be read at all.
 */
export const encryptedPdf = (userPassword: string, ownerPassword = 'owner-secret'): Uint8Array => {
  const id = Buffer.from('8f3c2a7d11e04b5c9a6e2f1d3c4b5a69', 'hex');
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(-44);
  const owner = rc4(md5(padded(ownerPassword)).subarray(0, 5), padded(userPassword)); // algorithm 3
  const key = md5(padded(userPassword), owner, permissions, id).subarray(0, 5); // algorithm 2
  const user = rc4(key, PADDING); // algorithm 4
  const objectKey = md5(key, Buffer.from([4, 0, 0, 0, 0])).subarray(0, 10); // object 4, generation 0
  return rawPdf(
    [
      ...onePage('4 0 R'),
      stream('', rc4(objectKey, textContent(PROSE))),
      HELVETICA,
      `<< /Filter /Standard /V 1 /R 2 /O <${owner.toString('hex')}> /U <${user.toString('hex')}> /P -44 >>`,
    ],
    `/Encrypt 6 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>] `,
  );
};

// Bombs --------------------------------------------------------------------------------------------

/** A page tree whose one page is listed `pages` times: a tiny file that claims a huge page count. */
export const pageCountBomb = (pages: number): Uint8Array =>
  rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${Array.from({ length: pages }, () => '3 0 R').join(' ')}] /Count ${pages} >>`,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    stream('', textContent(PROSE)),
    HELVETICA,
  ]);

/** A page whose content stream is `inflatedBytes` of spaces, compressed (1,000 to 1 and more); `passes` 2 compresses it twice. */
export const streamBomb = (inflatedBytes: number, passes: 1 | 2 = 1): Uint8Array => {
  let data = deflateSync(Buffer.alloc(inflatedBytes, 0x20), { level: 9 });
  if (passes === 2) data = deflateSync(data, { level: 9 });
  const filter = passes === 2 ? '[/FlateDecode /FlateDecode]' : '/FlateDecode';
  return rawPdf([...onePage('4 0 R'), stream(`/Filter ${filter}`, data), HELVETICA]);
};

// Fonts the reader has no data for -------------------------------------------------------------------

/**
 * A page of English prose with one line in a Japanese font that is not embedded and uses the
 * predefined CMap UniJIS-UCS2-H: reading it needs Adobe's CMap files, which the reader does not have.
 */
export const cjkCMapPdf = (): Uint8Array =>
  rawPdf([
    ...onePage('4 0 R', '/F1 5 0 R /F2 6 0 R'),
    stream('', Buffer.concat([textContent(PROSE), Buffer.from(' BT /F2 12 Tf 72 600 Td <65E5672C8A9E> Tj ET', 'latin1')])),
    HELVETICA,
    '<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiMin-W3 /Encoding /UniJIS-UCS2-H /DescendantFonts [7 0 R] >>',
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiMin-W3 /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /FontDescriptor 8 0 R >>',
    '<< /Type /FontDescriptor /FontName /HeiseiMin-W3 /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>',
  ]);
