/**
 * A tiny program around readPdf, bundled by test/core/documents/pdf/bundle.test.ts the way
 * serverless-esbuild bundles the Lambda functions and run by plain node: it reads the PDF named on
 * the command line and prints what readPdf gave as one JSON line.
 */

import { readFileSync } from 'node:fs';
import { bodyText } from '../../../core/documents/document';
import { readPdf } from '../../../core/documents/pdf/read-pdf';

const main = async (path: string): Promise<void> => {
  const document = await readPdf(new Uint8Array(readFileSync(path)), {
    key: 'input/bundled.pdf',
    maxExpandedBytes: 64 * 1024 * 1024,
    deadline: Date.now() + 60_000,
    now: Date.now,
  });
  process.stdout.write(`${JSON.stringify({ title: document.title, pages: document.pages, body: bodyText(document) })}\n`);
};

main(process.argv[2] ?? '').catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
