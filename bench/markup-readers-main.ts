// The JATS and HTML readers on the real documents of shared/eval/documents (read in place, never
// copied), scored against its expected.json: title and abstract token F1 (lower-cased word tokens),
// the date, whether a reference probe or the abstract leaked into the body (lower-cased, letters and
// digits only, substring), and body words. Prints a Markdown table; writes bench-results/markup-readers.json.
// Until `npm run bench:quality` scores documents:
//   npx esbuild bench/markup-readers-main.ts --bundle --platform=node --packages=external --outfile=dist/bench/markup-readers.js
//   node dist/bench/markup-readers.js [--eval-dir ../shared/eval]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { bodyText, type ExtractedDocument } from '../core/documents/document';
import { readHtml } from '../core/documents/html';
import { readJats } from '../core/documents/jats';
import { resolveEvalDir } from './eval-samples';

interface Expected {
  file: string;
  format: string;
  title: string;
  abstract: string;
  published: string | null;
  bodyWords?: number;
  referenceProbes: string[];
}

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Token F1 of `got` against `want` (clipped counts); undefined when there is nothing to score against. */
const tokenF1 = (got: string | undefined, want: string): number | undefined => {
  if (!want) return undefined;
  const left = new Map<string, number>();
  for (const token of words(want)) left.set(token, (left.get(token) ?? 0) + 1);
  const predicted = words(got ?? '');
  let overlap = 0;
  for (const token of predicted) {
    const count = left.get(token) ?? 0;
    if (count === 0) continue;
    overlap++;
    left.set(token, count - 1);
  }
  if (overlap === 0) return 0;
  const precision = overlap / predicted.length;
  const recall = overlap / words(want).length;
  return (2 * precision * recall) / (precision + recall);
};

const stripped = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

const main = async (): Promise<void> => {
  const root = resolve(__dirname, '..', '..');
  const dir = join(resolveEvalDir(process.argv.slice(2), process.env, root), 'documents');
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected[];
  const rows = [];
  for (const want of expected.filter((row) => row.format === 'jats' || row.format === 'html')) {
    const bytes = new Uint8Array(readFileSync(join(dir, want.file)));
    const started = Date.now();
    const context = { key: `input/${want.file}`, maxExpandedBytes: 50 * 1024 * 1024, deadline: started + 60_000, now: Date.now };
    const document: ExtractedDocument = await (want.format === 'jats' ? readJats : readHtml)(bytes, context);
    const body = stripped(bodyText(document));
    const leaks = want.referenceProbes.filter((probe) => body.includes(probe));
    if (want.abstract && body.includes(stripped(want.abstract).slice(0, 60))) leaks.push('the abstract');
    rows.push({
      file: want.file,
      titleF1: tokenF1(document.title, want.title),
      abstractF1: tokenF1(document.abstract, want.abstract),
      published: document.published?.day ?? null,
      publishedFrom: document.published?.from,
      dateRight: (document.published?.day ?? null) === want.published,
      leaks,
      bodyWords: (bodyText(document).match(/\S+/g) ?? []).length,
      expectedBodyWords: want.bodyWords,
      ms: Date.now() - started,
    });
  }
  const f = (n: number | undefined): string => (n === undefined ? '–' : n.toFixed(3));
  const lines = [
    '| document | title F1 | abstract F1 | published | date right | leaks | body words (expected) | ms |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows)
    lines.push(
      `| ${row.file} | ${f(row.titleF1)} | ${f(row.abstractF1)} | ${row.published ?? '–'} ${row.publishedFrom ? `(${row.publishedFrom})` : ''} | ${row.dateRight ? 'yes' : 'NO'} | ${row.leaks.join(', ') || 'none'} | ${row.bodyWords} (${row.expectedBodyWords ?? '–'}) | ${row.ms} |`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', 'markup-readers.json'), `${JSON.stringify(rows, null, 2)}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
