import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isTerminal, type LedgerRow } from '../core/ledger';
import { rowsFor } from '../cli/wait';
import type { FaultRates } from '../local/edge/faults';
import { startLocalCloud } from '../local/cloud';
import { SUBMIT_ARTICLE_FUNCTION, withFunctionEnvironment } from '../local/template/stack-config';

/**
 * The soak: a burst with every fault on at once (bad input, model errors, crashes, slow calls past
 * the invocation timeout, instances failing to start, S3 and DynamoDB refusing requests, duplicate
 * deliveries, requests outliving their TTL), then the count: every article must have one terminal row.
 */
export interface FaultsOptions {
  projectRoot: string;
  articles: number;
  timeScale: number;
  /** Share of articles that are bad input (empty, binary, Latin-1, no letters, over the size limit). */
  badInputRate: number;
  edge: FaultRates;
  model: { errorRate: number; crashAfter: number; slowRate: number; failStartRate: number; latencyMs: number };
  invocationTimeoutSeconds: number;
  requestTtlSeconds: number;
  timeoutMs: number;
  onProgress?: (line: string) => void;
}

export interface FaultsReport {
  articles: number;
  terminal: number;
  duplicates: number;
  lost: number;
  byState: Record<string, number>;
  reasons: Record<string, number>;
  injected: Record<string, number>;
  /** What the endpoint did about its instances: launches that failed, instances found dead, requests retried. */
  instanceEvents: Record<string, number>;
  endpoint: { accepted: number; completed: number; failed: number; expired: number };
  deadLetters: number;
  realSeconds: number;
}

/** Bad bodies, in turn: each must end REJECTED with a reason. */
const BAD_INPUT: Array<() => Buffer> = [
  () => Buffer.alloc(0),
  () => Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x10, 0x00]),
  () => Buffer.from('Caf\xe9 soci\xe9t\xe9: le r\xe9sum\xe9 est pr\xeat.', 'latin1'),
  () => Buffer.from('1234 5678 9012 3456 .,;: 42'),
  () => Buffer.alloc(1024 * 1024 + 1, 'a'),
];

const goodArticle = (i: number) =>
  Buffer.from(`Soak article ${i}. The council met on Tuesday. It approved a new library. Building starts next year.`);

export const runFaults = async (options: FaultsOptions): Promise<FaultsReport> => {
  const progress = options.onProgress ?? (() => undefined);
  const stateDir = mkdtempSync(join(tmpdir(), 'rs-faults-'));
  const started = Date.now();
  const m = options.model;
  const instanceEvents: Record<string, number> = {};
  const watched = new Set([
    'instance launch failed, retrying',
    'instance unhealthy, replacing it',
    'instance died mid-request, retrying the request',
    'instance failed its start-up health checks, relaunching',
  ]);
  const cloud = await startLocalCloud({
    log: (message) => {
      if (watched.has(message)) instanceEvents[message] = (instanceEvents[message] ?? 0) + 1;
    },
    projectRoot: options.projectRoot,
    stateDir,
    port: 0,
    timeScale: options.timeScale,
    modelArgs: [
      '--mode',
      'fixed',
      '--latency-ms',
      String(m.latencyMs),
      '--error-rate',
      String(m.errorRate),
      '--crash-after',
      String(m.crashAfter),
      '--slow-rate',
      String(m.slowRate),
      '--slow-ms',
      String((options.invocationTimeoutSeconds + 2) * 1000),
      '--fail-start-rate',
      String(m.failStartRate),
    ],
    adjust: (config) =>
      withFunctionEnvironment(config, SUBMIT_ARTICLE_FUNCTION, {
        INVOCATION_TIMEOUT_SECONDS: String(options.invocationTimeoutSeconds),
        REQUEST_TTL_SECONDS: String(options.requestTtlSeconds),
      }),
    faults: options.edge,
  });
  // The uploads themselves are not under test: their client retries past the injected refusals.
  const uploader = new S3Client({
    endpoint: cloud.endpoints.edgeUrl,
    region: cloud.endpoints.region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 30,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  try {
    const keys = Array.from({ length: options.articles }, (_, i) => `input/soak/article-${String(i).padStart(6, '0')}.txt`);
    const everyBad = options.badInputRate > 0 ? Math.round(1 / options.badInputRate) : 0;
    const body = (i: number) =>
      everyBad > 0 && i % everyBad === 0 ? (BAD_INPUT[(i / everyBad) % BAD_INPUT.length] as () => Buffer)() : goodArticle(i);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < keys.length) {
          const i = next++;
          await uploader.send(
            new PutObjectCommand({ Bucket: cloud.endpoints.bucket, Key: keys[i], Body: body(i), ContentType: 'text/plain' }),
          );
        }
      }),
    );
    progress(`dropped ${keys.length} articles in ${((Date.now() - started) / 1000).toFixed(1)} s with faults on`);

    let rows: LedgerRow[] = [];
    const deadline = started + options.timeoutMs;
    let lastReport = 0;
    for (;;) {
      rows = await rowsFor(cloud.dynamo, cloud.endpoints.table, cloud.endpoints.bucket, keys);
      const terminal = rows.filter((r) => isTerminal(r.state)).length;
      if ((terminal === keys.length && cloud.idle()) || Date.now() > deadline) break;
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        progress(`t+${((Date.now() - started) / 1000).toFixed(0)} s: ${terminal} of ${keys.length} terminal`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }

    const byState: Record<string, number> = {};
    const reasons: Record<string, number> = {};
    for (const r of rows) {
      byState[r.state] = (byState[r.state] ?? 0) + 1;
      if (r.state !== 'COMPLETED') {
        const reason = `${r.state}: ${(r.reason ?? '(no reason)').replace(/\d+/g, 'N').slice(0, 90)}`;
        reasons[reason] = (reasons[reason] ?? 0) + 1;
      }
    }
    const terminal = rows.filter((r) => isTerminal(r.state)).length;
    const totals = cloud.endpoint.status().totals;
    return {
      articles: keys.length,
      terminal,
      // Model requests the endpoint accepted beyond one per article that reached it.
      duplicates: Math.max(0, totals.accepted - rows.filter((r) => r.submittedAt).length),
      lost: keys.length - terminal,
      byState,
      reasons,
      injected: { ...cloud.faults.injected },
      instanceEvents,
      endpoint: { accepted: totals.accepted, completed: totals.completed, failed: totals.failed, expired: totals.expired },
      deadLetters: Object.values(cloud.functions).reduce((sum, f) => sum + f.counts.deadLettered, 0),
      realSeconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    uploader.destroy();
    await cloud.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
};
