// `npm run bench:large-pdf [-- --pages 200]`: what reading a maxDocumentBytes PDF costs submit-article.
// An N-page two-column PDF with a 240 KB photograph per page (200 pages is about 50 MB) is read once by
// the PDF reader (core/documents/pdf/), with its CPU time, wall time and peak RSS, to size the
// function's memory and timeout (docs/documents.md). Writes bench-results/large-pdf.json.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFRawStream,
  popGraphicsState,
  pushGraphicsState,
  StandardFonts,
} from 'pdf-lib';
import { bodyText, type ReadContext } from '../core/documents/document';
import { readPdf } from '../core/documents/pdf/read-pdf';
import { describeError } from '../core/errors';
import { findProjectRoot } from './eval-samples';

const context = (key: string): ReadContext => ({
  key,
  maxExpandedBytes: 256 * 1024 * 1024,
  deadline: Date.now() + 3_600_000,
  now: Date.now,
});

const tokens = (text: string): string[] => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 1000);
};

/** An N-page two-column PDF of prose with an incompressible 240 KB image (as JPEG data is) on each page. */
const largePdf = async (pages: number): Promise<Uint8Array> => {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.TimesRoman);
  const words =
    'glacial lakes grow as mountain glaciers retreat and a sudden outburst can flood valleys far downstream while sensors on the lake bed report levels every ten minutes'.split(
      ' ',
    );
  let next = 0;
  for (let n = 0; n < pages; n += 1) {
    const page = document.addPage([612, 792]);
    for (let column = 0; column < 2; column += 1) {
      for (let row = 0; row < (column === 0 ? 50 : 36); row += 1) {
        let line = '';
        while (font.widthOfTextAtSize(`${line} ${words[next % words.length]}`, 10) < 238)
          line += `${line ? ' ' : ''}${words[next++ % words.length]}`;
        page.drawText(line, { x: 54 + 264 * column, y: 700 - 12 * row - (column === 1 ? 160 : 0), size: 10, font });
      }
    }
    const image = document.context.obj({
      Type: 'XObject',
      Subtype: 'Image',
      Width: 400,
      Height: 200,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8,
      Filter: 'DCTDecode',
    });
    const ref = document.context.register(PDFRawStream.of(image, randomBytes(240_000)));
    const name = page.node.newXObject('Photo', ref);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(240, 0, 0, 140, 318, 560), drawObject(name), popGraphicsState());
  }
  return document.save({ useObjectStreams: false });
};

const measureLarge = async (pages: number): Promise<Record<string, unknown>> => {
  const bytes = await largePdf(pages);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = process.cpuUsage();
  const wall = Date.now();
  const document = await readPdf(bytes, context('input/large.pdf'));
  clearInterval(sampler);
  return {
    pages,
    megabytes: Math.round(bytes.length / 10_485.76) / 100,
    bodyWords: tokens(bodyText(document)).length,
    cpuMs: cpuMsSince(started),
    wallMs: Date.now() - wall,
    peakRssMB: Math.round(Math.max(peak, process.memoryUsage().rss) / 1_048_576),
  };
};

const main = async (): Promise<void> => {
  const root = findProjectRoot(__dirname);
  const argv = process.argv.slice(2);
  const pages = argv.indexOf('--pages');
  const report = { node: process.version, ...(await measureLarge(pages >= 0 ? Number(argv[pages + 1]) : 200)) };
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  const out = join(root, 'bench-results', 'large-pdf.json');
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\nwrote ${out}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`bench:large-pdf failed: ${describeError(error)}\n`);
  process.exit(1);
});
