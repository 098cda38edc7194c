import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { localClients, type Endpoints } from '../../local/stack';
import { rowsFor } from '../../local/commands/wait';
import { eventually } from '../support/eventually';
import { projectRoot } from '../support/local-cloud';

/** `npm start`'s process, on a free port, with a stand-in model. */
const startCloud = (stateDir: string): ChildProcess =>
  spawn(
    process.execPath,
    ['--openssl-legacy-provider', join(projectRoot, 'dist', 'local', 'cli.js'), 'start', '--port', '0', '--time-scale', '60',
      '--model', 'fixed', '--latency-ms', '100', '--state-dir', stateDir],
    { stdio: 'ignore' },
  );

const endpointsOf = async (stateDir: string): Promise<Endpoints> =>
  eventually(
    async () => {
      const file = join(stateDir, 'endpoints.json');
      if (!existsSync(file)) return undefined;
      const endpoints = JSON.parse(readFileSync(file, 'utf-8')) as Endpoints;
      const health = await fetch(`${endpoints.edgeUrl}/_localcloud/health`).catch(() => undefined);
      return health?.ok ? endpoints : undefined;
    },
    { timeoutMs: 60_000, everyMs: 200, what: 'the local cloud to answer' },
  );

const ARTICLES = 2000;

describe('kill -9 of the whole local cloud in the middle of a 2,000-article burst', () => {
  let stateDir: string;
  let cloud: ChildProcess | undefined;
  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'rs-kill-'));
  });
  afterAll(async () => {
    if (cloud && cloud.exitCode === null) {
      cloud.kill('SIGKILL');
      await new Promise((resolve) => cloud?.once('exit', resolve));
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('loses nothing: after `npm start` again, every uploaded article ends COMPLETED, once', async () => {
    // Prepare
    cloud = startCloud(stateDir);
    const first = await endpointsOf(stateDir);
    const { s3, dynamo } = localClients(first.edgeUrl, first.region);
    const keys = Array.from({ length: ARTICLES }, (_, i) => `input/kill/article-${String(i).padStart(4, '0')}.txt`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys.slice(i, i + 50).map((Key, j) => s3.send(new PutObjectCommand({ Bucket: first.bucket, Key, Body: `Article ${i + j}. It states a fact. It adds another.` }))),
      );
    }
    const doneBeforeKill = await eventually(
      async () => {
        const done = (await rowsFor(dynamo, first.table, first.bucket, keys)).filter((r) => r.state === 'COMPLETED').length;
        return done >= ARTICLES / 10 ? done : undefined;
      },
      { timeoutMs: 120_000, everyMs: 200, what: 'some articles to complete before the kill' },
    );

    // Act: kill everything at once, mid-burst, then start again on the same state.
    const killed = new Promise((resolve) => cloud?.once('exit', resolve));
    cloud.kill('SIGKILL');
    await killed;
    s3.destroy();
    rmSync(join(stateDir, 'endpoints.json'));
    cloud = startCloud(stateDir);
    const second = await endpointsOf(stateDir);
    const after = localClients(second.edgeUrl, second.region);

    // Assess
    const rows = await eventually(
      async () => {
        const found = await rowsFor(after.dynamo, second.table, second.bucket, keys);
        return found.length === keys.length && found.every((r) => r.state === 'COMPLETED') ? found : undefined;
      },
      { timeoutMs: 300_000, everyMs: 1000, what: `all ${ARTICLES} articles to complete after the restart` },
    );
    expect(doneBeforeKill).toBeLessThan(ARTICLES); // the kill did land mid-burst
    expect(new Set(rows.map((r) => r.key)).size).toBe(ARTICLES);
    expect(rows.every((r) => (r.summary ?? '').length > 0)).toBe(true);
    after.s3.destroy();
    after.rawDynamo.destroy();
  }, 600_000);
});
