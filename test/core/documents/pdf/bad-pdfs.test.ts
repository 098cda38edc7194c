import type { ReadContext } from '../../../../core/documents/document';
import { readPdf } from '../../../../core/documents/pdf/read-pdf';
import { RejectedArticleError } from '../../../../core/errors';
import { buildPaper } from '../../../support/documents/pdf-paper';
import { encryptedPdf, pageCountBomb, PROSE, streamBomb } from '../../../support/documents/pdf-hostile';
import { samplePaper } from '../../../support/documents/pdf-sample';
import { PdfWriter } from '../../../support/documents/pdf-writer';

const MB = 1024 * 1024;

const context = (overrides: Partial<ReadContext> = {}): ReadContext => ({
  key: 'input/upload.pdf',
  maxExpandedBytes: 8 * MB,
  deadline: Date.now() + 60_000,
  now: Date.now,
  ...overrides,
});

/** A PDF of `pages` pages of prose. */
const prosePdf = async (pages: number): Promise<Uint8Array> => {
  const writer = await PdfWriter.create();
  for (let n = 0; n < pages; n += 1) {
    const page = writer.addPage();
    PROSE.forEach((_, i) => page.text(PROSE[(i + n) % PROSE.length] ?? '', 72, 700 - 14 * i, 11));
  }
  return writer.bytes();
};

describe('PDFs that cannot be read end with a reason', () => {
  it('refuses a PDF that needs a password to open', async () => {
    const bytes = encryptedPdf('secret');

    const read = readPdf(bytes, context());

    await expect(read).rejects.toBeInstanceOf(RejectedArticleError);
    await expect(read).rejects.toThrow('the PDF is encrypted and needs a password to open; upload a copy without the password');
  });

  it('reads a PDF encrypted without a user password (only its permissions are protected)', async () => {
    const bytes = encryptedPdf('');

    const document = await readPdf(bytes, context());

    expect(document.sections.map((section) => section.text).join(' ')).toContain(PROSE[0]);
  });

  it('refuses a truncated upload', async () => {
    const paper = await buildPaper(samplePaper());

    const read = readPdf(paper.bytes.subarray(0, Math.floor(paper.bytes.length * 0.6)), context());

    await expect(read).rejects.toThrow('the PDF is truncated: it does not end with %%EOF; upload the whole file again');
  });

  it('refuses a file whose structure is damaged', async () => {
    const junk = Buffer.concat([
      Buffer.from('%PDF-1.7\n'),
      Buffer.alloc(4000, 'garbled bytes, no objects here '),
      Buffer.from('\n%%EOF\n'),
    ]);

    const read = readPdf(new Uint8Array(junk), context());

    await expect(read).rejects.toThrow(
      /^the PDF is damaged or truncated and cannot be read \(Invalid PDF structure\.\); upload the file again$/,
    );
  });

  it('refuses a file that is not a PDF', async () => {
    const read = readPdf(new TextEncoder().encode('<html><body>Not a PDF</body></html>'), context());

    await expect(read).rejects.toThrow('the file is not a PDF: it has no %PDF- header');
  });

  it('refuses a PDF whose streams inflate past the limit, before PDF.js decodes them', async () => {
    // 64 MB of content compressed to about 64 KB, then compressed again: a 200-byte-scale bomb.
    const bytes = streamBomb(64 * MB, 2);

    const read = readPdf(bytes, context({ maxExpandedBytes: 8 * MB }));

    await expect(read).rejects.toThrow(/^the PDF's compressed streams expand to more than 8 MB/);
  });

  it('refuses a PDF that claims more pages than a document has', async () => {
    const bytes = pageCountBomb(2001);

    const read = readPdf(bytes, context());

    await expect(read).rejects.toThrow('the PDF has 2001 pages, over the 2000-page limit; split it into smaller files');
  });

  it("stops between pages when the function's time runs out, saying where", async () => {
    // A clock that advances a second each time it is read: the deadline falls while the pages are read.
    const bytes = await prosePdf(6);
    let clock = 0;
    const now = (): number => (clock += 1000);

    const read = readPdf(bytes, context({ now, deadline: 3_500 }));

    await expect(read).rejects.toThrow(
      /^reading the PDF takes longer than the function's time: stopped before page [2-6] of 6 after \d+ s; split it into smaller files$/,
    );
  });
});
