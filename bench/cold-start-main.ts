/**
 * npm run bench:cold-start -- [--baseline <handler.js>] [--runs 1] [--warm 200] [--out bench-results]
 * What a cold start of submit-article costs, in fresh execution environments (lambda-environment.ts):
 * the CPU and RSS to load the bundle `serverless package` built, and the CPU of an environment's first
 * invocation on a plain-text article and on a PDF; then what a warm invocation costs: `--warm` more
 * plain-text articles, one at a time, in the environment that handled the first (the CPU per
 * invocation over the second half of them, once its code has warmed up). `--baseline` measures another build of the same
 * function beside it (say, a copy of `.esbuild/.build/functions/submit-article/` from before a
 * change), in the same run. The environments run against a local cloud on a free port; the articles
 * go under `cold-start/`, which no notification watches, so only the measured environments handle
 * them. Writes bench-results/cold-start.json.
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { DynamoDbSummaryLedger } from '../adapters/dynamodb-ledger';
import { articleIdFor } from '../core/ids';
import { startLocalCloud, type LocalCloud } from '../local/cloud';
import { localFunctionEnv } from '../local/lambda/start-functions';
import { toS3Record } from '../local/s3/events';
import { BUNDLE_DIR } from '../local/template/functions';
import { functionOf, SUBMIT_ARTICLE_FUNCTION } from '../local/template/stack-config';
import { percentile } from './burst-stats';
import { startLambdaEnvironment, type LambdaEnvironment, type LoadCost } from './lambda-environment';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const say = (line: string) => process.stdout.write(`${line}\n`);
const projectRoot = resolve(__dirname, '..', '..');
const PREFIX = 'cold-start/';

interface FirstInvocation {
  /** CPU of the invocation alone (the load is in `load`), ms. */
  cpuMs: number;
  rssBytes: number;
  /** On-demand modules the environment had loaded after it (`<handler>.lazy/<name>.js`). */
  onDemand: string[];
  state: string;
}

/** CPU per warm invocation on a plain-text article, over the second half of `count` in one environment. */
interface WarmInvocations {
  count: number;
  meanCpuMs: number;
  medianCpuMs: number;
}

interface BundleFigures {
  bundle: string;
  bundleBytes: number;
  /** The environment that handled the plain-text article, then the one that handled the PDF. */
  load: LoadCost[];
  text: FirstInvocation;
  pdf: FirstInvocation;
  warm?: WarmInvocations;
}

/** A two-page PDF of the sample article, typeset here: benchmarks build their own inputs. */
const samplePdf = async (text: string): Promise<Uint8Array> => {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.TimesRoman);
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  for (const word of words) {
    const last = lines[lines.length - 1];
    if (last !== undefined && font.widthOfTextAtSize(`${last} ${word}`, 11) < 470) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  for (let page = 0; page * 50 < lines.length * 2; page++) {
    const sheet = pdf.addPage([612, 792]);
    // The text twice over, so the document has two pages like a short paper.
    const onPage = [...lines, ...lines].slice(page * 50, page * 50 + 50);
    onPage.forEach((line, i) => sheet.drawText(line, { x: 72, y: 720 - i * 13, size: 11, font }));
  }
  return pdf.save();
};

/** The second half of an environment's warm invocations: the first ones still run code V8 has not optimised. */
const warmFigures = (cpuMs: number[]): WarmInvocations | undefined => {
  const settled = cpuMs.slice(Math.floor(cpuMs.length / 2));
  if (settled.length === 0) return undefined;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    count: cpuMs.length,
    meanCpuMs: round(settled.reduce((sum, ms) => sum + ms, 0) / settled.length),
    medianCpuMs: round(percentile(settled, 50)),
  };
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: { baseline: { type: 'string' }, runs: { type: 'string' }, warm: { type: 'string' }, out: { type: 'string' } },
  });
  const runs = Number(values.runs ?? 1);
  const warm = Number(values.warm ?? 200);
  if (!Number.isInteger(warm) || warm < 0) throw new Error(`--warm must be a whole number of invocations, not ${values.warm}`);
  const outDir = resolve(values.out ?? join(projectRoot, 'bench-results'));
  const bundles: Record<string, string> = {
    ...(values.baseline ? { baseline: resolve(values.baseline) } : {}),
    current: join(projectRoot, BUNDLE_DIR, 'functions', 'submit-article', 'handler.js'),
  };
  const text = readFileSync(join(projectRoot, 'samples', 'climate-glacial-lakes.txt'));
  const pdf = await samplePdf(text.toString('utf-8'));

  const stateDir = mkdtempSync(join(tmpdir(), 'rs-cold-start-'));
  const cloud: LocalCloud = await startLocalCloud({
    projectRoot,
    stateDir,
    port: 0,
    modelArgs: ['--mode', 'fixed', '--latency-ms', '5'],
    log: () => undefined,
  });
  const ledger = new DynamoDbSummaryLedger(cloud.dynamo, cloud.endpoints.table);
  const env = {
    PATH: process.env.PATH ?? '',
    ...functionOf(cloud.config, SUBMIT_ARTICLE_FUNCTION).environment,
    ...localFunctionEnv(cloud.endpoints.edgeUrl, cloud.endpoints.region),
    INPUT_PREFIX: PREFIX,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };

  let n = 0;
  /** A new article under PREFIX and the S3 event the local cloud would hand submit-article for it (local/s3/events.ts). */
  const upload = async (body: Uint8Array | string, extension: string) => {
    const key = `${PREFIX}${++n}.${extension}`;
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const put = await cloud.s3.send(new PutObjectCommand({ Bucket: cloud.endpoints.bucket, Key: key, Body: body }));
    const record = toS3Record(
      {
        eventName: 'ObjectCreated:Put',
        eventTime: new Date().toISOString(),
        awsRegion: cloud.endpoints.region,
        s3: { s3SchemaVersion: '1.0', configurationId: 'cold-start', bucket: { name: cloud.endpoints.bucket, arn: '' }, object: { key } },
      },
      {
        region: cloud.endpoints.region,
        sequencer: `${n}`.padStart(16, '0'),
        eTag: (put.ETag ?? '').replace(/"/g, ''),
        size,
        configurationId: 'cold-start',
      },
    );
    return { key, event: { Records: [record] } };
  };

  const invoke = async (environment: LambdaEnvironment, body: Uint8Array | string, extension: string) => {
    const { key, event } = await upload(body, extension);
    const result = await environment.invoke(event, `cold-start-${n}`);
    if (result.error) throw new Error(`the handler failed on ${key}: ${result.error}`);
    return { key, result };
  };

  /**
   * A fresh environment for `bundle` handles one new article; its load cost and the invocation's. Then,
   * if asked, `warmCount` more plain-text articles (the sample text with a line of its own) in the same environment.
   */
  const firstInvocation = async (bundle: string, body: Uint8Array, extension: string, warmCount = 0) => {
    const environment = await startLambdaEnvironment(bundle, env);
    try {
      const { key, result } = await invoke(environment, body, extension);
      const row = await ledger.get(articleIdFor(cloud.endpoints.bucket, key));
      const invocation: FirstInvocation = {
        cpuMs: Math.round(result.cpuMs),
        rssBytes: result.rssBytes,
        onDemand: result.loaded.filter((file) => file.includes('.lazy/')).map((file) => file.slice(file.lastIndexOf('/') + 1)),
        state: row?.state ?? 'no row',
      };
      const cpu: number[] = [];
      // Each a new article (its own key, so its own row), as a burst brings them.
      for (let i = 0; i < warmCount; i++)
        cpu.push((await invoke(environment, `${text.toString('utf-8')}\nArticle ${i}.`, 'txt')).result.cpuMs);
      return {
        load: { cpuMs: Math.round(environment.load.cpuMs), rssBytes: environment.load.rssBytes },
        invocation,
        warm: warmFigures(cpu),
      };
    } finally {
      await environment.close();
    }
  };

  const figures: Record<string, BundleFigures[]> = {};
  try {
    for (let run = 1; run <= runs; run++) {
      // Side by side: each bundle's environments one after the other, in every run.
      for (const [label, bundle] of Object.entries(bundles)) {
        const first = await firstInvocation(bundle, text, 'txt', warm);
        const second = await firstInvocation(bundle, pdf, 'pdf');
        const result: BundleFigures = {
          bundle,
          bundleBytes: readFileSync(bundle).length,
          load: [first.load, second.load],
          text: first.invocation,
          pdf: second.invocation,
          ...(first.warm ? { warm: first.warm } : {}),
        };
        (figures[label] ??= []).push(result);
        const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
        say(
          `${label} run ${run}: load ${result.load.map((l) => `${l.cpuMs} ms CPU, ${mb(l.rssBytes)} RSS`).join(' / ')}; ` +
            `first text invocation ${result.text.cpuMs} ms CPU (${result.text.state}, on demand: ${result.text.onDemand.join(' ') || 'none'}); ` +
            `first PDF invocation ${result.pdf.cpuMs} ms CPU, ${mb(result.pdf.rssBytes)} RSS (${result.pdf.state}, on demand: ${result.pdf.onDemand.join(' ') || 'none'})` +
            (result.warm
              ? `; warm text invocations ${result.warm.meanCpuMs} ms CPU mean, ${result.warm.medianCpuMs} median (the last ${Math.ceil(result.warm.count / 2)} of ${result.warm.count})`
              : ''),
        );
      }
    }
  } finally {
    await cloud.close();
    rmSync(stateDir, { recursive: true, force: true });
  }

  const report = {
    figures,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    loadAverage: loadavg(),
    generatedAt: new Date().toISOString(),
    command: `npm run bench:cold-start -- ${process.argv.slice(2).join(' ')}`.trim(),
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'cold-start.json'), `${JSON.stringify(report, null, 2)}\n`);
  say(`wrote ${join(outDir, 'cold-start.json')}`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
