// `npm run bench:quality`: ROUGE and speed of the local summarizer, Lead-k and the npm summarization
// packages on every shared/eval `*-sample.jsonl`, plus published outputs where rows carry them. Writes bench-results/quality.json and prints a table.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProjectRoot, listDatasets, loadSamples, resolveEvalDir, selectDatasets } from './eval-samples';
import { loadPeers } from './peers';
import { formatTable, reportJson, runQuality } from './quality-report';
import { publishedEntries, systemsFor } from './systems';
import { describeError } from '../core/errors';
import { formatDocumentsTable, runDocuments } from './documents';

/** Research documents (PDF, JATS, HTML, .docx, LaTeX) with their expected.json: a dataset of their own. */
const DOCUMENTS = 'documents';

const main = async (): Promise<void> => {
  const root = findProjectRoot(__dirname);
  const argv = process.argv.slice(2);
  const evalDir = resolveEvalDir(argv, process.env, root);
  const documentsDir = join(evalDir, DOCUMENTS);
  const all = [...listDatasets(evalDir), ...(existsSync(join(documentsDir, 'expected.json')) ? [DOCUMENTS] : [])];
  const selected = selectDatasets(argv, all);
  const datasets = selected.filter((dataset) => dataset !== DOCUMENTS);
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  if (selected.includes(DOCUMENTS)) {
    const documents = await runDocuments(documentsDir);
    const out = join(root, 'bench-results', 'quality-documents.json');
    writeFileSync(out, `${JSON.stringify(documents, null, 2)}\n`);
    process.stdout.write(`${formatDocumentsTable(documents)}\nwrote ${out}\n\n`);
  }
  if (datasets.length === 0) return;
  const loaded = Object.fromEntries(datasets.map((dataset) => [dataset, loadSamples(evalDir, dataset)]));
  const samples = { ...loaded, ...publishedEntries(loaded) };
  const { peers, skipped } = loadPeers();
  const report = await runQuality({ samples, systemsFor: systemsFor(peers), skipped });
  // A partial run writes beside the full report rather than over it.
  const out = join(root, 'bench-results', datasets.length === all.length ? 'quality.json' : `quality-${datasets.join('-')}.json`);
  writeFileSync(out, `${JSON.stringify(reportJson(report), null, 2)}\n`);
  process.stdout.write(`${formatTable(report)}\nwrote ${out}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`bench:quality failed: ${describeError(error)}\n`);
  process.exit(1);
});
