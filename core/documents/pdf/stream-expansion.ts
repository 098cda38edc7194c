/**
 * How many bytes a PDF's compressed streams expand to when PDF.js decodes them to read the text layer,
 * counted before PDF.js sees the file, so a PDF bomb (a few kilobytes of FlateDecode that inflate to
 * gigabytes, perhaps twice over) is refused instead of exhausting the function's memory. PDF.js keeps a
 * decoded stream whole in memory, so the count has to come first.
 *
 * Counted: every FlateDecode stream (a chain of them too) that is not an image: content streams, form
 * XObjects, embedded fonts, ToUnicode CMaps, object and cross-reference streams. Images are skipped:
 * reading text never decodes them. Other filters (LZW, RunLength, ASCII85/Hex) are not counted;
 * FlateDecode is what PDF writers use and where the ratios of a bomb are (up to about 1,000:1 per pass).
 * Streams are found by their keywords, as PDF.js's own recovery does for a damaged cross-reference table
 * (the stream filters section of the PDF 1.7 standard, https://opensource.adobe.com/dc-acrobat-sdk-docs/pdfstandards/PDF32000_2008.pdf).
 */

import { constants, createInflate } from 'node:zlib';

/** How far back from `stream` a stream's dictionary is looked for. */
const DICTIONARY_WINDOW = 4096;

/**
 * Bytes the non-image FlateDecode streams expand to; counting stops just past `cap`, so memory stays at
 * zlib's chunk size whatever the file holds.
 */
export const expandedStreamBytes = async (bytes: Uint8Array, cap: number): Promise<number> => {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  let at = file.indexOf('stream', 0, 'latin1');
  while (at !== -1) {
    const stream = streamAt(file, at);
    if (stream && stream.flatePasses > 0) {
      total += await inflatedSize(file.subarray(stream.start, stream.end), stream.flatePasses, cap - total);
      if (total > cap) return total;
    }
    at = file.indexOf('stream', (stream?.end ?? at) + 6, 'latin1');
  }
  return total;
};

interface StreamSpan {
  start: number;
  end: number;
  /** How many FlateDecode filters the stream's filter chain starts with. */
  flatePasses: number;
}

/** The stream whose `stream` keyword is at `at`, when it is one and PDF.js would inflate it to read text. */
const streamAt = (file: Buffer, at: number): StreamSpan | undefined => {
  if (at >= 3 && file.toString('latin1', at - 3, at) === 'end') return undefined;
  let start = at + 6;
  if (file[start] === 0x0d) start += 1;
  if (file[start] === 0x0a) start += 1;
  else if (file[start - 1] !== 0x0d) return undefined;
  const head = file.toString('latin1', Math.max(0, at - DICTIONARY_WINDOW), at);
  const dictionary = head.slice(head.lastIndexOf(' obj') + 1);
  if (!/>>\s*$/.test(dictionary) || /\/Subtype\s*\/Image\b/.test(dictionary)) return undefined;
  const flatePasses = leadingFlateFilters(dictionary);
  const endstream = file.indexOf('endstream', start, 'latin1');
  const end = endstream === -1 ? file.length : endstream;
  return { start, end, flatePasses };
};

const leadingFlateFilters = (dictionary: string): number => {
  const filter = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dictionary)?.[1] ?? '';
  const names = filter.match(/\/[A-Za-z0-9]+/g) ?? [];
  let passes = 0;
  while (passes < names.length && (names[passes] === '/FlateDecode' || names[passes] === '/Fl')) passes += 1;
  return passes;
};

/**
 * Output bytes of `passes` inflations of `data`, stopping past `budget`. zlib checks the header as
 * PDF.js's FlateStream does; a damaged or truncated stream counts what it gave, as PDF.js decodes what it can.
 */
const inflatedSize = (data: Uint8Array, passes: number, budget: number): Promise<number> =>
  new Promise((resolve) => {
    let size = 0;
    const stages = Array.from({ length: passes }, () => createInflate({ finishFlush: constants.Z_SYNC_FLUSH }));
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      for (const stage of stages) stage.destroy();
      resolve(size);
    };
    stages.forEach((stage, i) => {
      stage.on('error', settle);
      const next = stages[i + 1];
      if (next) stage.pipe(next);
    });
    const last = stages.at(-1);
    last?.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > budget) settle();
    });
    last?.on('end', settle);
    stages[0]?.end(data);
  });
