/**
 * A document's bytes to what the model reads: the reader for its format (detect-format.ts decides
 * which, from the bytes first). Plain text is not read here: submit-article streams it as before.
 *
 * Most articles are plain text or Markdown, so the other readers (PDF.js, mammoth, Readability, the
 * XML and LaTeX readers: most of the function's code) load on the first document of their format in
 * an execution environment, and stay loaded for the next ones. Each is `require`d inside its loader:
 * in the Lambda bundle, deploy/esbuild-plugins.js makes each a file of its own beside the handler,
 * which is not even parsed until then; elsewhere (tests, the operator CLI) the require loads the
 * module then. Markdown is read by the bundle itself: it is a text format, and small.
 */

import { RejectedArticleError } from '../errors';
import type { DocumentFormat, ExtractedDocument, ReadContext } from './document';
import type * as Docx from './docx';
import type * as Html from './html';
import type * as Jats from './jats';
import type * as Latex from './latex/read-latex';
import { readMarkdown } from './markdown';
import type * as Pdf from './pdf/read-pdf';

type Reader = (bytes: Uint8Array, context: ReadContext) => Promise<ExtractedDocument>;
type Format = Exclude<DocumentFormat, 'text'>;

/* eslint-disable @typescript-eslint/no-require-imports -- each reader loads on its first document (see above) */
const loaders: Record<Format, () => Reader> = {
  markdown: () => readMarkdown,
  html: () => (require('./html') as typeof Html).readHtml,
  jats: () => (require('./jats') as typeof Jats).readJats,
  pdf: () => (require('./pdf/read-pdf') as typeof Pdf).readPdf,
  docx: () => (require('./docx') as typeof Docx).readDocx,
  latex: () => (require('./latex/read-latex') as typeof Latex).readLatex,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * A reader bundled in a file of its own carries its own copy of core/errors.ts, so what it throws is
 * not an instance of this bundle's RejectedArticleError: it is given back as one, message, cause and
 * format kept, so read-article.ts and submit-article.ts see a rejection and not a crash.
 */
const asOurs = (error: unknown): unknown =>
  error instanceof Error && !(error instanceof RejectedArticleError) && error.name === 'RejectedArticleError'
    ? new RejectedArticleError(error.message, { cause: error.cause, format: (error as { format?: string }).format })
    : error;

/** Reads a document of a known format; throws RejectedArticleError with the reason when it cannot. */
export const extractDocument = async (format: Format, bytes: Uint8Array, context: ReadContext): Promise<ExtractedDocument> => {
  const read = loaders[format]();
  try {
    return await read(bytes, context);
  } catch (error) {
    throw asOurs(error);
  }
};
