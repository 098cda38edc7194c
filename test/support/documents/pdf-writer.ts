/**
 * Writes small PDFs for the PDF reader's tests with pdf-lib: text placed line by line in the standard
 * Times and Helvetica fonts (not embedded, as many real papers have them), with the "fi" and "fl"
 * ligature glyphs TeX uses (codes 1 and 2 mapped to the glyphs /fi and /fl, which PDF.js reads as
 * U+FB01 and U+FB02), rotated margin text, image-only (scanned) pages, and text drawn with glyph codes
 * that have no Unicode meaning: a font whose encoding names its glyphs /g3, /g18 ... with no ToUnicode
 * map, as some PDF producers subset fonts (PDF.js can only give the raw codes, U+0002 and so on).
 */

import {
  beginText,
  concatTransformationMatrix,
  drawObject,
  endText,
  PDFDocument,
  type PDFFont,
  PDFHexString,
  PDFName,
  type PDFPage,
  type PDFRef,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFontAndSize,
  setTextMatrix,
  showText,
  StandardFonts,
  stroke,
} from 'pdf-lib';

export type FontKey = 'regular' | 'bold' | 'italic' | 'sans-bold';

const BASE_FONTS: Record<FontKey, StandardFonts> = {
  regular: StandardFonts.TimesRoman,
  bold: StandardFonts.TimesRomanBold,
  italic: StandardFonts.TimesRomanItalic,
  'sans-bold': StandardFonts.HelveticaBold,
};

/** WinAnsi codes of the characters fixtures use besides ASCII; the ligatures get codes 1 and 2. */
const CODES: Record<string, number> = { '\ufb01': 1, '\ufb02': 2, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };

const encode = (text: string): string =>
  [...text]
    .map((char) => {
      const code = CODES[char] ?? char.charCodeAt(0);
      if (code > 0xff || (code < 0x20 && !(char in CODES))) throw new Error(`fixture text cannot encode ${JSON.stringify(char)}`);
      return code.toString(16).padStart(2, '0');
    })
    .join('');

export class PdfWriter {
  private constructor(
    readonly document: PDFDocument,
    private readonly fontRefs: Record<FontKey, PDFRef>,
    private readonly metrics: Record<FontKey, PDFFont>,
    private readonly garbageFont: PDFRef,
  ) {}

  static async create(): Promise<PdfWriter> {
    const document = await PDFDocument.create({ updateMetadata: false });
    const fontRefs = {} as Record<FontKey, PDFRef>;
    const metrics = {} as Record<FontKey, PDFFont>;
    for (const key of Object.keys(BASE_FONTS) as FontKey[]) {
      fontRefs[key] = document.context.register(
        document.context.obj({
          Type: 'Font',
          Subtype: 'Type1',
          BaseFont: BASE_FONTS[key],
          Encoding: { Type: 'Encoding', BaseEncoding: 'WinAnsiEncoding', Differences: [1, 'fi', 2, 'fl'] },
        }),
      );
      // Measures text only: pdf-lib writes it, but no page refers to it.
      metrics[key] = await document.embedFont(BASE_FONTS[key], { subset: false });
    }
    const garbage = document.context.register(
      document.context.obj({
        Type: 'Font',
        Subtype: 'Type1',
        BaseFont: 'Times-Roman',
        Encoding: { Type: 'Encoding', Differences: [2, ...Array.from({ length: 60 }, (_, i) => `g${(i * 37) % 900}`)] },
      }),
    );
    return new PdfWriter(document, fontRefs, metrics, garbage);
  }

  /** Width of `text` in points. */
  width(text: string, size: number, font: FontKey = 'regular'): number {
    return this.metrics[font].widthOfTextAtSize(text.replace(/\ufb01/g, 'fi').replace(/\ufb02/g, 'fl'), size);
  }

  addPage(width = 612, height = 792): PageWriter {
    const page = this.document.addPage([width, height]);
    const names = {} as Record<FontKey, PDFName>;
    for (const key of Object.keys(this.fontRefs) as FontKey[]) names[key] = page.node.newFontDictionary(key, this.fontRefs[key]);
    return new PageWriter(this.document, page, names, page.node.newFontDictionary('garbage', this.garbageFont));
  }

  async bytes(): Promise<Uint8Array> {
    return this.document.save({ useObjectStreams: false });
  }
}

export class PageWriter {
  constructor(
    private readonly document: PDFDocument,
    readonly page: PDFPage,
    private readonly fonts: Record<FontKey, PDFName>,
    private readonly garbageFont: PDFName,
  ) {}

  /** Draws one line of text with its baseline at `y` (points from the page's bottom). */
  text(text: string, x: number, y: number, size: number, font: FontKey = 'regular'): void {
    this.page.pushOperators(
      beginText(),
      setFontAndSize(this.fonts[font], size),
      setTextMatrix(1, 0, 0, 1, x, y),
      showText(PDFHexString.of(encode(text))),
      endText(),
    );
  }

  /** Draws text turned 90° counter-clockwise, as arXiv stamps its identifier in the left margin. */
  rotatedText(text: string, x: number, y: number, size: number): void {
    this.page.pushOperators(
      beginText(),
      setFontAndSize(this.fonts.regular, size),
      setTextMatrix(0, 1, -1, 0, x, y),
      showText(PDFHexString.of(encode(text))),
      endText(),
    );
  }

  /** Draws glyph codes 2 to 61 in the font without a Unicode meaning: a text layer of garbage. */
  glyphCodes(codes: readonly number[], x: number, y: number, size: number): void {
    const hex = codes.map((code) => code.toString(16).padStart(2, '0')).join('');
    this.page.pushOperators(
      beginText(),
      setFontAndSize(this.garbageFont, size),
      setTextMatrix(1, 0, 0, 1, x, y),
      showText(PDFHexString.of(hex)),
      endText(),
    );
  }

  /** A box, as a figure's frame. */
  box(x: number, y: number, width: number, height: number): void {
    this.page.pushOperators(rectangle(x, y, width, height), stroke());
  }

  /** A grey image filling the box: what a scanned page is, with no text layer. */
  image(x: number, y: number, width: number, height: number): void {
    const pixels = new Uint8Array(64 * 64).map((_, i) => (i * 37) % 256);
    const image = this.document.context.register(
      this.document.context.flateStream(pixels, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: 64,
        Height: 64,
        ColorSpace: 'DeviceGray',
        BitsPerComponent: 8,
      }),
    );
    const name = this.page.node.newXObject('Scan', image);
    this.page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(width, 0, 0, height, x, y),
      drawObject(name),
      popGraphicsState(),
    );
  }
}
