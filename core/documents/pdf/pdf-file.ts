/**
 * What the file's bytes must show before PDF.js parses them: a PDF header, the end-of-file marker a
 * complete upload ends with, and streams that stay within the reader's decompression limit.
 */

import { RejectedArticleError } from '../../errors';
import { expandedStreamBytes } from './stream-expansion';

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

const megabytes = (bytes: number): string => `${Math.round(bytes / 1_048_576)} MB`;

/** Throws RejectedArticleError when the bytes are not a whole PDF, or would expand past `maxExpandedBytes`. */
export const checkPdfFile = async (bytes: Uint8Array, maxExpandedBytes: number): Promise<void> => {
  // Readers accept the header anywhere in the first 1,024 bytes (the file header section and Annex H of
  // the PDF 1.7 standard: https://opensource.adobe.com/dc-acrobat-sdk-docs/pdfstandards/PDF32000_2008.pdf).
  if (!latin1(bytes.subarray(0, 1024)).includes('%PDF-')) throw new RejectedArticleError('the file is not a PDF: it has no %PDF- header');
  // "The last line of the file shall contain only the end-of-file marker, %%EOF" (the file trailer section
  // of the same standard); readers look for it in the last 1,024 bytes. Without it the upload was cut short.
  if (!latin1(bytes.subarray(Math.max(0, bytes.length - 1024))).includes('%%EOF')) {
    throw new RejectedArticleError('the PDF is truncated: it does not end with %%EOF; upload the whole file again');
  }
  const expanded = await expandedStreamBytes(bytes, maxExpandedBytes);
  if (expanded > maxExpandedBytes) {
    throw new RejectedArticleError(
      `the PDF's compressed streams expand to more than ${megabytes(maxExpandedBytes)} (the limit for reading a document); a file like this is not read`,
    );
  }
};
