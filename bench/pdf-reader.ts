// The PDF reader (core/documents/pdf/) on the shared evaluation's real PDFs, and on a large generated one.
//   node -e "require('./scripts/build.js').bundle({ 'pdf-reader': 'bench/pdf-reader.ts' }, 'dist/bench')"
//   node dist/bench/pdf-reader.js [--eval-dir ../shared/eval] [--large 200]
// Per document of <eval-dir>/documents/expected.json with format pdf: title and abstract token F1
// (lower-cased word tokens), whether any referenceProbe is in the body (both kept to [a-z0-9]), body
// words beside bodyWords, unusable pages or the rejection, and CPU time. With --large N: an N-page
// two-column PDF with a 240 KB photograph per page (200 pages is about 50 MB), read once, with its
// CPU time and peak RSS, to size the submit function. Writes bench-results/pdf-reader.json.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
import { findProjectRoot, resolveEvalDir } from './eval-samples';

interface Expected {
  file: string;
  format: string;
  title: string;
  abstract: string;
  bodyWords: number;
  referenceProbes: string[];
}

const context = (key: string): ReadContext => ({
  key,
  maxExpandedBytes: 256 * 1024 * 1024,
  deadline: Date.now() + 3_600_000,
  now: Date.now,
});

const tokens = (text: string): string[] => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

/** Token F1 of `found` against `expected`. */
const f1 = (found: string, expected: string): number => {
  const a = tokens(found);
  const b = tokens(expected);
  const counts = new Map<string, number>();
  for (const token of b) counts.set(token, (counts.get(token) ?? 0) + 1);
  let overlap = 0;
  for (const token of a) {
    const count = counts.get(token) ?? 0;
    if (count > 0) {
      overlap += 1;
      counts.set(token, count - 1);
    }
  }
  return overlap === 0 ? 0 : Math.round(((2 * overlap) / (a.length + b.length)) * 1000) / 1000;
};

const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 1000);
};

const scoreDocuments = async (evalDir: string): Promise<Record<string, unknown>[]> => {
  const expected = JSON.parse(readFileSync(join(evalDir, 'documents', 'expected.json'), 'utf8')) as Expected[];
  const rows: Record<string, unknown>[] = [];
  for (const row of expected.filter((entry) => entry.format === 'pdf')) {
    const bytes = new Uint8Array(readFileSync(join(evalDir, 'documents', row.file)));
    const started = process.cpuUsage();
    try {
      const document = await readPdf(bytes, context(`input/${row.file}`));
      const body = bodyText(document);
      const flat = body.toLowerCase().replace(/[^a-z0-9]/g, '');
      rows.push({
        file: row.file,
        titleF1: f1(document.title ?? '', row.title),
        abstractF1: f1(document.abstract ?? '', row.abstract),
        referenceLeaks: row.referenceProbes.filter((probe) => flat.includes(probe)).length,
        bodyWords: tokens(body).length,
        expectedBodyWords: row.bodyWords,
        pages: document.pages,
        unusablePages: document.unusablePages,
        cpuMs: cpuMsSince(started),
      });
    } catch (error) {
      rows.push({ file: row.file, rejected: describeError(error), cpuMs: cpuMsSince(started) });
    }
  }
  return rows;
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
  const large = argv.indexOf('--large');
  const report = {
    node: process.version,
    documents: await scoreDocuments(resolveEvalDir(argv, process.env, root)),
    large: large >= 0 ? await measureLarge(Number(argv[large + 1] ?? 200)) : undefined,
  };
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  const out = join(root, 'bench-results', 'pdf-reader.json');
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\nwrote ${out}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`pdf-reader bench failed: ${describeError(error)}\n`);
  process.exit(1);
});
