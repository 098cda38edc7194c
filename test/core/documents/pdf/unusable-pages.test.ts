import { bodyText, type ReadContext } from '../../../../core/documents/document';
import { readPdf } from '../../../../core/documents/pdf/read-pdf';
import { cjkCMapPdf, PROSE } from '../../../support/documents/pdf-hostile';
import { type PageWriter, PdfWriter } from '../../../support/documents/pdf-writer';

const context = (): ReadContext => ({
  key: 'input/scan.pdf',
  maxExpandedBytes: 64 * 1024 * 1024,
  deadline: Date.now() + 60_000,
  now: Date.now,
});

type PageKind = 'text' | 'scan' | 'empty' | 'garbage';

/** One page per kind: prose, a scanned image with no text layer, nothing at all, or glyph garbage. */
const pdfOf = async (kinds: readonly PageKind[]): Promise<Uint8Array> => {
  const writer = await PdfWriter.create();
  const draw: Record<PageKind, (page: PageWriter, n: number) => void> = {
    // Each page starts with another sentence: a line repeated at the top of every page is a running header.
    text: (page, n) =>
      PROSE.forEach((_, i) => page.text(`${(PROSE[(i + n) % PROSE.length] ?? '').replace(/\.$/, '')} on page ${n}.`, 72, 700 - 14 * i, 11)),
    scan: (page) => page.image(0, 0, 612, 792),
    empty: () => undefined,
    garbage: (page) => {
      for (let line = 0; line < 30; line += 1)
        page.glyphCodes(
          Array.from({ length: 70 }, (_, i) => 2 + ((i * 7 + line * 3) % 60)),
          72,
          720 - 14 * line,
          11,
        );
    },
  };
  kinds.forEach((kind, i) => draw[kind](writer.addPage(), i + 1));
  return writer.bytes();
};

describe('pages without a usable text layer', () => {
  it('refuses a document whose pages after the first are scans, naming them', async () => {
    const bytes = await pdfOf(['text', 'scan', 'scan', 'scan']);

    await expect(readPdf(bytes, context())).rejects.toThrow('pages 2–4 have no usable text layer; OCR is not supported');
  });

  it('refuses a document whose text layer is mostly glyph garbage, naming the pages', async () => {
    const bytes = await pdfOf(['text', 'garbage', 'garbage', 'text', 'garbage']);

    await expect(readPdf(bytes, context())).rejects.toThrow('pages 2–3 and 5 have no usable text layer; OCR is not supported');
  });

  it('reads the good pages of a mostly good document and names the others', async () => {
    const bytes = await pdfOf(['text', 'text', 'garbage', 'text', 'empty']);

    const document = await readPdf(bytes, context());

    expect(document.unusablePages).toEqual([3, 5]);
    expect(document.pages).toBe(5);
    const body = bodyText(document);
    expect(body).toContain('on page 4.');
    // eslint-disable-next-line no-control-regex -- the garbage is control characters
    expect(body).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('reads a page whose font needs a CJK CMap it does not have, without fetching anything', async () => {
    const fetch = jest.spyOn(globalThis, 'fetch');
    const bytes = cjkCMapPdf();

    const document = await readPdf(bytes, context());

    expect(bodyText(document)).toContain(PROSE[0]);
    expect(fetch).not.toHaveBeenCalled();
    fetch.mockRestore();
  });
});
