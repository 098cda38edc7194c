import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerRow } from '../../core/ledger';
import { projectRoot, startTestCloud, type TestCloud } from '../support/local-cloud';

/** A pipe holds 64 KiB on Linux (pipe(7)); the ledger below prints as JSON many times that. */
const PIPE_CAPACITY = 65_536;
const ROWS = 600;
const SUMMARY = 'The council approved the new bridge on Monday, and work starts in spring. '.repeat(12);

const exitOf = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });

/** Keeps what it is given, taking one small chunk per turn of the event loop: slower than the command writes. */
const slowReader = () => {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      setImmediate(done);
    },
  });
  return { sink, text: () => Buffer.concat(chunks).toString('utf-8') };
};

describe('command output is complete whatever stdout is', () => {
  let cloud: TestCloud;
  const main = join(projectRoot, 'dist', 'cli', 'main.js');
  const cli = (args: string[], stdout: 'pipe' | number) =>
    spawn(process.execPath, [main, ...args, '--state-dir', cloud.stateDir], { stdio: ['ignore', stdout, 'pipe'] });

  beforeAll(async () => {
    cloud = await startTestCloud();
    // Finished rows written straight to the ledger: what `results --json` prints needs no model runs.
    const now = new Date().toISOString();
    for (let i = 0; i < ROWS; i += 25) {
      const items = Array.from({ length: Math.min(25, ROWS - i) }, (_, j) => ({
        PutRequest: {
          Item: {
            articleId: `complete-output-${i + j}`,
            key: `input/many/article-${String(i + j).padStart(4, '0')}.txt`,
            batch: 'many',
            state: 'COMPLETED',
            receivedAt: now,
            completedAt: now,
            summary: SUMMARY,
          },
        },
      }));
      await cloud.dynamo.send(new BatchWriteCommand({ RequestItems: { [cloud.endpoints.table]: items } }));
    }
  }, 120_000);
  afterAll(async () => cloud?.dispose());

  it('prints every row of `results --json` through a pipe read more slowly than it is written, and the same to a file', async () => {
    // Act: a pipe (as `| jq`), then a file (as `> rows.json`).
    const piped = cli(['results', '--json'], 'pipe');
    let errors = '';
    piped.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const reader = slowReader();
    const [pipedCode] = await Promise.all([exitOf(piped), pipeline(piped.stdout!, reader.sink)]);

    const file = join(cloud.stateDir, 'rows.json');
    const fd = openSync(file, 'w');
    const redirected = cli(['results', '--json'], fd);
    closeSync(fd);
    const fileCode = await exitOf(redirected);

    // Assess
    expect({ pipedCode, errors }).toEqual({ pipedCode: 0, errors: '' });
    expect(fileCode).toBe(0);
    const text = reader.text();
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * PIPE_CAPACITY);
    const rows = JSON.parse(text) as LedgerRow[];
    expect(rows).toHaveLength(ROWS);
    expect(new Set(rows.map((r) => r.key)).size).toBe(ROWS);
    expect(readFileSync(file, 'utf-8')).toBe(text);
    rmSync(file);
  }, 60_000);
});
