/**
 * PDF.js as unpdf builds it for serverless runtimes (`unpdf/pdfjs`): one ES module with the PDF.js
 * worker inlined, so documents are parsed in this thread and no worker script is ever loaded. The
 * build polyfills what Node 20 lacks on the text path itself (Promise.withResolvers, Promise.try,
 * Map#getOrInsertComputed, Uint8Array#toHex, Math.sumPrecise, DOMMatrix); what else Node 20 lacks
 * (ArrayBuffer#transferToFixedLength, Set#intersection, Uint8Array.fromBase64) is used only to render
 * pages, save documents and decode XFA images, never to read a text layer, so nothing is added here.
 *
 * Loaded on first use: esbuild bundles it into the Lambda (the dynamic import becomes a require of the
 * bundled module); Jest maps and transforms the ES module to CommonJS (jest.config.js).
 */

export type PdfJs = typeof import('unpdf/pdfjs', { with: { 'resolution-mode': 'import' } });

let loading: Promise<PdfJs> | undefined;

/** The PDF.js module, loaded once per process. */
export const loadPdfJs = (): Promise<PdfJs> => (loading ??= import('unpdf/pdfjs'));
