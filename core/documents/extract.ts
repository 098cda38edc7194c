/**
 * A document's bytes to what the model reads: the reader for its format (detect-format.ts decides
 * which, from the bytes first). Plain text is not read here: submit-article streams it as before.
 */

import type { DocumentFormat, ExtractedDocument, ReadContext } from './document';
import { readDocx } from './docx';
import { readHtml } from './html';
import { readJats } from './jats';
import { readLatex } from './latex/read-latex';
import { readMarkdown } from './markdown';
import { readPdf } from './pdf/read-pdf';

type Reader = (bytes: Uint8Array, context: ReadContext) => Promise<ExtractedDocument>;

const readers: Record<Exclude<DocumentFormat, 'text'>, Reader> = {
  markdown: readMarkdown,
  html: readHtml,
  jats: readJats,
  pdf: readPdf,
  docx: readDocx,
  latex: readLatex,
};

/** Reads a document of a known format; throws RejectedArticleError with the reason when it cannot. */
export const extractDocument = (
  format: Exclude<DocumentFormat, 'text'>,
  bytes: Uint8Array,
  context: ReadContext,
): Promise<ExtractedDocument> => readers[format](bytes, context);
