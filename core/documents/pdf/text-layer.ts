/**
 * A PDF's text layer as positioned runs of text, page by page, read with PDF.js (pdfjs.ts) under the
 * reader's limits: the page count, the function's deadline checked between pages, and the bad files
 * PDF.js reports (a password, a damaged structure) turned into reasons a person can act on.
 *
 * Nothing is fetched: PDF.js is given no CMap, standard-font or WebAssembly location, so a font that
 * would need one (a CJK font using a predefined CMap, an unembedded standard-14 font) is read with
 * PDF.js's fallback, or as garbage that text-quality.ts then finds, and never from the network.
 */

import { RejectedArticleError } from '../../errors';
import type { ExtractionLimits } from '../document';
import { loadPdfJs } from './pdfjs';

/** More pages than a research document has; a larger count is refused before any page is read. */
export const MAX_PAGES = 2000;

/** One run of text as PDF.js places it, in points from the page's top-left corner. */
export interface TextRun {
  text: string;
  /** Left edge. */
  x: number;
  /** Baseline. */
  y: number;
  width: number;
  /** Font size. */
  size: number;
  /** PDF.js's name for the font on this page: runs with the same name share a font. */
  font: string;
  monospace: boolean;
}

export interface TextPage {
  /** 1-based. */
  number: number;
  width: number;
  height: number;
  /** Horizontal text, in the order the page draws it. */
  runs: TextRun[];
  /** Rotated text (an arXiv stamp in the margin), one string per run. */
  rotated: string[];
}

/** What the document's information dictionary says, where it says it. */
export interface PdfInfo {
  title?: string;
  creationDate?: string;
  keywords?: string;
  language?: string;
}

export interface TextLayer<T> {
  pageCount: number;
  info: PdfInfo;
  /** What `onPage` made of each page, in page order. */
  pages: T[];
}

/**
 * Reads every page's text runs and hands each page to `onPage` as it is read (so only what `onPage`
 * keeps stays in memory). Throws RejectedArticleError for an encrypted, damaged or oversized PDF, and
 * when the deadline passes before the last page.
 */
export const readTextLayer = async <T>(
  bytes: Uint8Array,
  limits: ExtractionLimits,
  onPage: (page: TextPage) => T,
): Promise<TextLayer<T>> => {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    // PDF.js takes ownership of the array it is given (it is detached), so it gets a copy.
    data: new Uint8Array(bytes),
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    useWasm: false,
    enableXfa: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    stopAtErrors: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    const document = await task.promise.catch((error: unknown) => {
      throw unreadable(error);
    });
    const pageCount = document.numPages;
    if (pageCount > MAX_PAGES) {
      throw new RejectedArticleError(`the PDF has ${pageCount} pages, over the ${MAX_PAGES}-page limit; split it into smaller files`);
    }
    const info = infoOf((await document.getMetadata().catch(() => undefined))?.info);
    const started = limits.now();
    const pages: T[] = [];
    for (let number = 1; number <= pageCount; number += 1) {
      if (limits.now() >= limits.deadline) throw outOfTime(number, pageCount, limits.now() - started);
      const page = await document.getPage(number).catch((error: unknown) => {
        throw damagedPage(number, error);
      });
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent().catch((error: unknown) => {
        throw damagedPage(number, error);
      });
      const runs: TextRun[] = [];
      const rotated: string[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = pdfjs.Util.transform(viewport.transform, item.transform) as number[];
        const size = Math.hypot(c, d);
        // In the viewport's space (y down) horizontal text has a > 0, d < 0 and no shear or rotation.
        if (a <= 0 || d >= 0 || Math.abs(b) > 0.05 * a || Math.abs(c) > 0.05 * size) {
          rotated.push(item.str);
          continue;
        }
        runs.push({
          text: item.str,
          x: e,
          y: f,
          width: item.width * viewport.scale,
          size,
          font: item.fontName,
          monospace: content.styles[item.fontName]?.fontFamily === 'monospace',
        });
      }
      page.cleanup();
      pages.push(onPage({ number, width: viewport.width, height: viewport.height, runs, rotated }));
    }
    return { pageCount, info, pages };
  } finally {
    await task.destroy();
  }
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

const infoOf = (info: unknown): PdfInfo => {
  const fields = (info ?? {}) as Record<string, unknown>;
  return {
    title: text(fields.Title),
    creationDate: text(fields.CreationDate),
    keywords: text(fields.Keywords),
    language: text(fields.Language),
  };
};

const nameOf = (error: unknown): string =>
  error instanceof Error || (typeof error === 'object' && error !== null) ? String((error as Error).name) : '';
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Why PDF.js could not open the document, for a person. */
const unreadable = (error: unknown): RejectedArticleError => {
  if (error instanceof RejectedArticleError) return error;
  const name = nameOf(error);
  const message = messageOf(error);
  if (name === 'PasswordException' || /encrypt|password/i.test(message)) {
    return new RejectedArticleError('the PDF is encrypted and needs a password to open; upload a copy without the password', {
      cause: error,
    });
  }
  if (name === 'InvalidPDFException') {
    return new RejectedArticleError(`the PDF is damaged or truncated and cannot be read (${message}); upload the file again`, {
      cause: error,
    });
  }
  return new RejectedArticleError(`the PDF cannot be read (${message})`, { cause: error });
};

const damagedPage = (number: number, error: unknown): RejectedArticleError =>
  new RejectedArticleError(`the PDF is damaged: page ${number} cannot be read (${messageOf(error)})`, { cause: error });

const outOfTime = (number: number, pageCount: number, elapsedMs: number): RejectedArticleError =>
  new RejectedArticleError(
    `reading the PDF takes longer than the function's time: stopped before page ${number} of ${pageCount} after ${Math.round(elapsedMs / 1000)} s; split it into smaller files`,
  );
