/**
 * Typesets a small research paper as a PDF, the way journals lay one out, for the PDF reader's tests:
 * a title and authors across the top of page 1, then one or two justified columns with an abstract
 * (labelled, or unlabelled as in ACM papers), keywords, numbered sections, acknowledgements and a
 * reference list; optionally a running header and page numbers on every page, a footnote with its
 * raised marker, a framed figure with its caption, and an arXiv stamp in the margin. Words break at
 * line ends where the text allows (a soft hyphen, U+00AD, or a real hyphen), and always where the text
 * has a broken bar (¦: "repre\u00ad¦sentation", "state-of-¦the-art"); the builder says which words it
 * broke, so tests can check how they are joined.
 */

import { type FontKey, type PageWriter, PdfWriter } from './pdf-writer';

export interface PaperSpec {
  title: string;
  authors: string;
  abstract: string;
  /** 'heading' (default): an "Abstract" heading above it; 'run-in': "Abstract—" before it (IEEE); 'none': unlabelled (ACM). */
  abstractStyle?: 'heading' | 'run-in' | 'none';
  keywords?: string[];
  /** What the keywords line starts with: "Keywords:" (default), "Index Terms—" (IEEE). */
  keywordsLabel?: string;
  /** Publisher boilerplate at the bottom of page 1's first column, at the body's size (ACM's permission block). */
  permission?: string;
  /** Paragraph text may hold soft hyphens (break points) and "word^1" for a raised footnote marker. */
  sections: { heading: string; paragraphs: string[] }[];
  acknowledgements?: string;
  references: string[];
  columns: 1 | 2;
  runningHeader?: string;
  pageNumbers?: boolean;
  footnote?: string;
  figureCaption?: string;
  arxivStamp?: string;
  metadata?: { title?: string; creationDate?: Date };
}

export interface BuiltPaper {
  bytes: Uint8Array;
  pages: number;
  /** Words broken across two lines, as written (soft hyphens removed, real hyphens kept). */
  brokenWords: string[];
}

const PAGE = { width: 612, height: 792, left: 54, right: 558, top: 732, bottom: 60 };
const GUTTER = 24;
const BODY = { size: 10, leading: 12 };

interface Word {
  text: string;
  marker?: string;
}

interface Column {
  x: number;
  y: number;
  bottom: number;
}

/** Text laid out line by line, column by column, page by page. */
class Flow {
  readonly brokenWords: string[] = [];
  private pages: PageWriter[] = [];
  private columnIndex = 0;
  private column!: Column;

  constructor(
    private readonly writer: PdfWriter,
    private readonly spec: PaperSpec,
  ) {}

  get pageCount(): number {
    return this.pages.length;
  }

  get width(): number {
    return this.spec.columns === 2 ? (PAGE.right - PAGE.left - GUTTER) / 2 : PAGE.right - PAGE.left;
  }

  get page(): PageWriter {
    return this.pages.at(-1) as PageWriter;
  }

  newPage(columnsTop = PAGE.top): void {
    const page = this.writer.addPage(PAGE.width, PAGE.height);
    this.pages.push(page);
    const number = this.pages.length;
    if (this.spec.runningHeader) page.text(this.spec.runningHeader, PAGE.left, 762, 8, 'italic');
    if (this.spec.pageNumbers) page.text(String(number), PAGE.width / 2 - 4, 36, 9);
    this.columnIndex = 0;
    this.column = { x: PAGE.left, y: columnsTop, bottom: this.bottomOf(number, 0) };
  }

  /** Lines of the permission block, set at the bottom of page 1's first column. */
  permissionLines(): string[] {
    return this.spec.permission
      ? this.wrap(words(this.spec.permission), BODY.size, 'regular', this.width, 0).map((line) => line.map((word) => word.text).join(' '))
      : [];
  }

  private bottomOf(page: number, column: number): number {
    if (page !== 1 || column !== 0) return PAGE.bottom;
    return PAGE.bottom + (this.spec.footnote ? 30 : 0) + this.permissionLines().length * BODY.leading + (this.spec.permission ? 10 : 0);
  }

  /** Moves to the next column, or to a new page after the last one. */
  nextColumn(columnsTop: number): void {
    if (this.spec.columns === 2 && this.columnIndex === 0) {
      this.columnIndex = 1;
      this.column = { x: PAGE.left + this.width + GUTTER, y: columnsTop, bottom: this.bottomOf(this.pages.length, 1) };
      if (this.pages.length === 1 && this.spec.figureCaption) this.figure();
    } else {
      this.newPage();
      if (this.spec.columns === 1 && this.pages.length === 2 && this.spec.figureCaption) this.figure();
    }
  }

  private columnsTop = PAGE.top;

  setColumnsTop(y: number): void {
    this.columnsTop = y;
    this.column.y = y;
  }

  private ensureRoom(height: number): void {
    if (this.column.y - height < this.column.bottom) this.nextColumn(this.pages.length === 1 ? this.columnsTop : PAGE.top);
  }

  /** A framed figure with its caption at the top of the current column. */
  private figure(): void {
    const { x } = this.column;
    this.page.box(x, this.column.y - 80, this.width, 80);
    this.column.y -= 92;
    const lines = this.wrap(words(this.spec.figureCaption ?? ''), 9, 'regular', this.width, 0);
    for (const line of lines) {
      this.page.text(line.map((word) => word.text).join(' '), x, this.column.y, 9);
      this.column.y -= 11;
    }
    this.column.y -= 10;
  }

  heading(text: string): void {
    this.ensureRoom(14 + 3 * BODY.leading);
    this.column.y -= 6;
    this.page.text(text, this.column.x, this.column.y, 11, 'bold');
    this.column.y -= 16;
  }

  paragraph(text: string, options: { size?: number; indent?: number; font?: FontKey } = {}): void {
    const size = options.size ?? BODY.size;
    const leading = size * 1.2;
    const indent = options.indent ?? 12;
    const lines = this.wrap(words(text), size, options.font ?? 'regular', this.width, indent);
    lines.forEach((line, i) => {
      this.ensureRoom(leading);
      const x = this.column.x + (i === 0 ? indent : 0);
      const available = this.width - (i === 0 ? indent : 0);
      this.drawLine(line, x, this.column.y, size, options.font ?? 'regular', i < lines.length - 1 ? available : undefined);
      this.column.y -= leading;
    });
    this.column.y -= 2;
  }

  /** Draws a line's words, spread to `justifyTo` points when given (unless that spreads them too far). */
  private drawLine(line: Word[], x: number, y: number, size: number, font: FontKey, justifyTo?: number): void {
    const natural = this.lineWidth(line, size, font);
    const space = this.writer.width(' ', size, font);
    const extra = justifyTo !== undefined && line.length > 1 ? (justifyTo - natural) / (line.length - 1) : 0;
    const gap = space + (extra > 0 && extra < 0.6 * size ? extra : 0);
    let at = x;
    for (const word of line) {
      this.page.text(word.text, at, y, size, font);
      at += this.writer.width(word.text, size, font);
      if (word.marker) {
        this.page.text(word.marker, at + 0.5, y + 0.4 * size, 0.6 * size, font);
        at += this.writer.width(word.marker, 0.6 * size, font) + 0.5;
      }
      at += gap;
    }
  }

  private lineWidth(line: Word[], size: number, font: FontKey): number {
    const space = this.writer.width(' ', size, font);
    return line.reduce((sum, word, i) => sum + this.writer.width(word.text + (word.marker ?? ''), size, font) + (i > 0 ? space : 0), 0);
  }

  /** Greedy line breaking; a word that does not fit breaks at its last soft or real hyphen that fits. */
  wrap(input: Word[], size: number, font: FontKey, width: number, firstIndent: number): Word[][] {
    const lines: Word[][] = [[]];
    const queue = [...input];
    while (queue.length > 0) {
      const word = queue.shift() as Word;
      const line = lines.at(-1) as Word[];
      const forced = word.text.indexOf('¦');
      if (forced > 0) {
        // The head ends this line (or the next, when it does not fit), the tail starts a new one.
        const head = word.text
          .slice(0, forced)
          .replace(/\u00ad$/, '-')
          .replace(/\u00ad/g, '');
        if (line.length > 0 && this.lineWidth([...line, { text: head }], size, font) > width - (lines.length === 1 ? firstIndent : 0))
          lines.push([]);
        (lines.at(-1) as Word[]).push({ text: head });
        lines.push([]);
        queue.unshift({ ...word, text: word.text.slice(forced + 1) });
        this.brokenWords.push(word.text.replace(/[\u00ad¦]/g, ''));
        continue;
      }
      const limit = width - (lines.length === 1 ? firstIndent : 0);
      const candidate = [...line, { ...word, text: word.text.replace(/\u00ad/g, '') }];
      if (this.lineWidth(candidate, size, font) <= limit) {
        line.push(candidate.at(-1) as Word);
        continue;
      }
      const split = this.breakWord(line, word, size, font, limit);
      if (split) {
        line.push(split.head);
        queue.unshift(split.tail);
        this.brokenWords.push(word.text.replace(/\u00ad/g, ''));
      } else if (line.length === 0) line.push(candidate.at(-1) as Word);
      else queue.unshift(word);
      lines.push([]);
    }
    return lines.filter((line) => line.length > 0);
  }

  private breakWord(line: Word[], word: Word, size: number, font: FontKey, limit: number): { head: Word; tail: Word } | undefined {
    if (word.marker) return undefined;
    const points: number[] = [];
    for (let i = 1; i < word.text.length - 1; i += 1) if (word.text[i] === '\u00ad' || word.text[i] === '-') points.push(i);
    for (const point of points.reverse()) {
      const hyphen = word.text[point] === '-';
      const head = `${word.text.slice(0, hyphen ? point + 1 : point).replace(/\u00ad/g, '')}${hyphen ? '' : '-'}`;
      if (this.lineWidth([...line, { text: head }], size, font) <= limit)
        return { head: { text: head }, tail: { text: word.text.slice(point + 1) } };
    }
    return undefined;
  }
}

const words = (text: string): Word[] =>
  text
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => {
      const [body = '', marker] = word.split('^');
      return marker ? { text: body, marker } : { text: body };
    });

/** The paper's PDF. */
export const buildPaper = async (spec: PaperSpec): Promise<BuiltPaper> => {
  const writer = await PdfWriter.create();
  if (spec.metadata?.title) writer.document.setTitle(spec.metadata.title);
  if (spec.metadata?.creationDate) writer.document.setCreationDate(spec.metadata.creationDate);
  const flow = new Flow(writer, spec);
  flow.newPage();
  // Title and authors across the top of page 1, centred.
  const fullWidth = PAGE.right - PAGE.left;
  let y = 712;
  for (const line of flow.wrap(words(spec.title), 17, 'sans-bold', fullWidth, 0)) {
    const text = line.map((word) => word.text).join(' ');
    flow.page.text(text, PAGE.left + (fullWidth - writer.width(text, 17, 'sans-bold')) / 2, y, 17, 'sans-bold');
    y -= 21;
  }
  flow.page.text(spec.authors, PAGE.left + (fullWidth - writer.width(spec.authors, 11)) / 2, y - 6, 11);
  if (spec.arxivStamp) flow.page.rotatedText(spec.arxivStamp, 30, 250, 12);
  if (spec.footnote) flow.page.text(spec.footnote, PAGE.left, PAGE.bottom + 10, 8);
  flow
    .permissionLines()
    .forEach((line, i, lines) =>
      flow.page.text(line, PAGE.left, PAGE.bottom + (spec.footnote ? 30 : 0) + (lines.length - 1 - i) * BODY.leading, BODY.size),
    );
  flow.setColumnsTop(y - 40);

  const abstractStyle = spec.abstractStyle ?? 'heading';
  if (abstractStyle === 'heading') flow.heading('Abstract');
  flow.paragraph(abstractStyle === 'run-in' ? `Abstract—${spec.abstract}` : spec.abstract, { indent: 0 });
  if (spec.keywords) flow.paragraph(`${spec.keywordsLabel ?? 'Keywords:'} ${spec.keywords.join(', ')}`, { indent: 0 });
  for (const section of spec.sections) {
    flow.heading(section.heading);
    for (const paragraph of section.paragraphs) flow.paragraph(paragraph);
  }
  if (spec.acknowledgements) {
    flow.heading('Acknowledgements');
    flow.paragraph(spec.acknowledgements, { indent: 0 });
  }
  flow.heading('References');
  for (const reference of spec.references) flow.paragraph(reference, { size: 9, indent: 0 });
  return { bytes: await writer.bytes(), pages: flow.pageCount, brokenWords: flow.brokenWords };
};
