import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../local/cloud';
import { localBundle } from '../../local/bundles';
import { LambdaHost } from '../../local/lambda/host-process';
import { rowsFor } from '../../cli/wait';
import { isTerminal, type LedgerRow } from '../../core/ledger';
import { eventually } from './eventually';

export const projectRoot = join(__dirname, '..', '..');

/** One Lambda host process for a test file's functions, as the local cloud has one for all of its; closed after the file. */
export const lambdaHostForFile = (): LambdaHost => {
  const host = new LambdaHost({
    hostProgram: localBundle(projectRoot, 'lambda-host'),
    workerProgram: localBundle(projectRoot, 'lambda-worker'),
  });
  afterAll(() => host.close());
  return host;
};

/** A local cloud for one test file, with the state folder it runs on and a way to remove both. */
export type TestCloud = LocalCloud & { stateDir: string; dispose(): Promise<void> };

/** A local cloud on a free port with its own state folder; `stateDir` may be reused to restart. */
export const startTestCloud = async (options: Partial<LocalCloudOptions> = {}): Promise<TestCloud> => {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'rs-cloud-'));
  const cloud = await startLocalCloud({ projectRoot, port: 0, timeScale: 600, provisioningDelayS: 30, ...options, stateDir });
  return Object.assign(cloud, {
    stateDir,
    dispose: async () => {
      await cloud.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  });
};

export const putArticle = async (cloud: LocalCloud, key: string, body: string | Buffer, contentType = 'text/plain'): Promise<void> => {
  await cloud.s3.send(new PutObjectCommand({ Bucket: cloud.endpoints.bucket, Key: key, Body: body, ContentType: contentType }));
};

/** Waits until every key has a terminal ledger row; returns the rows by key. */
export const terminalRows = async (cloud: LocalCloud, keys: string[], timeoutMs = 60_000): Promise<Map<string, LedgerRow>> => {
  const rows = await eventually(
    async () => {
      const found = await rowsFor(cloud.dynamo, cloud.endpoints.table, cloud.endpoints.bucket, keys);
      return found.length === keys.length && found.every((r) => isTerminal(r.state)) ? found : undefined;
    },
    { timeoutMs, everyMs: 200, what: `${keys.length} terminal ledger rows` },
  );
  return new Map(rows.map((r) => [r.key, r]));
};
