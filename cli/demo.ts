import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud } from '../local/cloud';
import { collectFiles, dropFiles } from './drop';
import { printable } from './printable';
import { terminalProgress } from './progress';
import { waitForTerminal } from './wait';

const out = (line = '') => process.stdout.write(`${line}\n`);

/**
 * `npm run demo`: a throwaway local cloud (its own state folder and a free port, so it never touches
 * a running `npm start`), the sample articles dropped in, their summaries and the scaling printed.
 */
export const runDemo = async (options: { projectRoot: string; timeScale: number }): Promise<boolean> => {
  const stateDir = mkdtempSync(join(tmpdir(), 'research-summarizer-demo-'));
  const started = Date.now();
  const cloud = await startLocalCloud({ projectRoot: options.projectRoot, stateDir, port: 0, timeScale: options.timeScale });
  try {
    const { endpoints } = cloud;
    const instances = cloud.endpoint.status().instances.inService;
    out(`local cloud up at ${endpoints.edgeUrl} (time scale ${options.timeScale}×); the endpoint has ${instances} instance(s) in service`);
    const files = collectFiles([join(options.projectRoot, 'samples')], endpoints.inputPrefix, 'demo').filter((f) => f.key.endsWith('.txt'));
    const failures = await dropFiles({ bucket: endpoints.bucket, s3: cloud.s3 }, files);
    if (failures.length > 0) throw new Error(`could not upload ${failures.map((f) => `${f.file.key} (${f.reason})`).join(', ')}`);
    out(`dropped ${files.length} sample articles into s3://${endpoints.bucket}/${endpoints.inputPrefix}demo/`);

    const bar = terminalProgress(files.length, 'summarizing');
    const rows = await waitForTerminal(
      { dynamo: cloud.dynamo, table: endpoints.table, bucket: endpoints.bucket, keys: files.map((f) => f.key), timeoutMs: 300_000 },
      (terminal) => bar.update(terminal),
    );
    bar.finish(rows.length);

    out();
    for (const row of rows.sort((a, b) => a.key.localeCompare(b.key))) {
      out(`${row.state}  ${printable(row.key)}  (${row.bytes} bytes, ${((row.totalMs ?? 0) / 1000).toFixed(1)} s)`);
      out(row.state === 'COMPLETED' ? indent(row.summary ?? '') : indent(`reason: ${row.reason ?? ''}`));
      out();
    }
    out('scaling activities (simulated time):');
    for (const activity of cloud.endpoint.scalingActivities()) out(`  ${JSON.stringify(activity)}`);
    out(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s of real time`);
    return rows.every((r) => r.state === 'COMPLETED');
  } finally {
    await cloud.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
};

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `    ${printable(line)}`)
    .join('\n');
