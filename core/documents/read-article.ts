/**
 * From an uploaded object to what the model reads. The format is decided by the bytes first
 * (detect-format.ts); plain text goes on as it always has (submit-article checks and encodes its bytes),
 * every other format is read by its reader and becomes its body text.
 *
 * Limits, in the order they are applied (docs/documents.md "Limits"):
 * 1. from the S3 event, before anything is read: empty objects, and objects over the larger of
 *    maxArticleBytes and maxDocumentBytes;
 * 2. from the first bytes: text and Markdown over maxArticleBytes (the rest is never read), formats
 *    the product does not read;
 * 3. while reading: decompression beyond maxExpandedBytes, the function's remaining time;
 * 4. after extraction: a body with no text, or over maxDocumentWords.
 */

import type { Readable } from 'node:stream';
import { RejectedArticleError } from '../errors';
import { bodyText, TextFormats, type DocumentFormat, type ExtractedDocument } from './document';
import { arxivIdDate } from './arxiv-id';
import { detectFormat } from './detect-format';
import { extractDocument } from './extract';

export interface ArticleLimits {
  /** Text and Markdown articles (MAX_ARTICLE_BYTES). */
  maxArticleBytes: number;
  /** PDFs, .docx, LaTeX archives, JATS and web pages (MAX_DOCUMENT_BYTES). */
  maxDocumentBytes: number;
  /** Words of a document's extracted body (MAX_DOCUMENT_WORDS), so its row with every step fits DynamoDB's item limit. */
  maxDocumentWords: number;
}

/** What the model reads: a text article's bytes as uploaded, or a document's extracted body. */
export type ArticleText =
  { format: 'text'; bytes: Buffer } | { format: Exclude<DocumentFormat, 'text'>; document: ExtractedDocument; body: string; words: number };

export interface UploadedObject {
  body: Readable;
  /** The size the S3 event announced. */
  bytes: number;
  key: string;
  contentType?: string;
}

/** Enough of the start of a file to tell text from the formats with a signature. */
const HEAD_BYTES = 64 * 1024;
/** A compressed document may expand this many times its size limit, and no more (zip, gzip and tar bombs). */
const EXPANSION_FACTOR = 6;

/** Why an upload is refused from its S3 event alone, before it is read; undefined when it may be read. */
export const sizeProblem = (bytes: number, limits: ArticleLimits): string | undefined => {
  if (bytes === 0) return 'empty article: the object has no content';
  const max = Math.max(limits.maxArticleBytes, limits.maxDocumentBytes);
  if (bytes > max) {
    const name = max === limits.maxArticleBytes ? 'MAX_ARTICLE_BYTES' : 'MAX_DOCUMENT_BYTES';
    return `too large: ${bytes} bytes is over the ${max}-byte limit (${name})`;
  }
  return undefined;
};

/**
 * Reads an uploaded object within the limits and returns what the model reads; RejectedArticleError
 * with the reason when it cannot be summarized. `deadline` is when the function must stop reading.
 */
export const readArticle = async (
  object: UploadedObject,
  limits: ArticleLimits,
  time: { deadline: number; now: () => number },
): Promise<ArticleText> => {
  const chunks = object.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const pieces: Buffer[] = [];
  let read = 0;
  const readUntil = async (bytes: number): Promise<void> => {
    while (read < bytes) {
      const next = await chunks.next();
      if (next.done) return;
      pieces.push(next.value);
      read += next.value.length;
      if (read > limits.maxDocumentBytes && read > limits.maxArticleBytes) {
        object.body.destroy();
        throw new RejectedArticleError(`too large: more than ${read} bytes, over the limit (MAX_DOCUMENT_BYTES)`);
      }
    }
  };

  if (object.bytes > limits.maxArticleBytes) {
    await readUntil(HEAD_BYTES);
    const early = detectFormat(Buffer.concat(pieces), object.key, object.contentType);
    if ('format' in early && TextFormats.includes(early.format)) {
      object.body.destroy();
      throw new RejectedArticleError(
        `too large: ${object.bytes} bytes is over the ${limits.maxArticleBytes}-byte limit (MAX_ARTICLE_BYTES)`,
      );
    }
  }
  await readUntil(Infinity);
  const bytes = Buffer.concat(pieces);

  const detected = detectFormat(bytes, object.key, object.contentType);
  if ('unsupported' in detected) throw new RejectedArticleError(detected.unsupported);
  const { format } = detected;
  if (TextFormats.includes(format) && bytes.length > limits.maxArticleBytes) {
    throw new RejectedArticleError(`too large: ${bytes.length} bytes is over the ${limits.maxArticleBytes}-byte limit (MAX_ARTICLE_BYTES)`);
  }
  if (format === 'text') return { format, bytes };

  let document: ExtractedDocument;
  try {
    document = await extractDocument(format, bytes, {
      key: object.key,
      maxExpandedBytes: EXPANSION_FACTOR * limits.maxDocumentBytes,
      deadline: time.deadline,
      now: time.now,
    });
  } catch (error) {
    // The row says what the upload was read as, beside why it could not be.
    if (error instanceof RejectedArticleError) throw new RejectedArticleError(error.message, { cause: error.cause, format });
    throw error;
  }
  // Where the document states no date, an arXiv id in its key still bounds it (any format).
  const dated = document.published ? document : withKeyDate(document, object.key);
  const body = bodyText(dated);
  const words = countWords(body);
  if (words === 0) throw new RejectedArticleError(`no body text found in the ${format} document: nothing to summarize`, { format });
  if (words > limits.maxDocumentWords) {
    throw new RejectedArticleError(
      `the ${format} document's body has ${words} words, over the ${limits.maxDocumentWords}-word limit (MAX_DOCUMENT_WORDS): upload it in parts`,
      { format },
    );
  }
  return { format, document: dated, body, words };
};

const withKeyDate = (document: ExtractedDocument, key: string): ExtractedDocument => {
  const published = arxivIdDate(key);
  return published ? { ...document, published } : document;
};

const countWords = (text: string): number => text.match(/\S+/g)?.length ?? 0;
