import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runBurst, type BurstFigures, type BurstOptions } from './burst';
import { burstChart } from './burst-chart';
import { describeError } from '../core/errors';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `npm run bench:burst -- [--articles 10000] [--model fixed|summarize] [--latency-ms 100]
  [--max-instances 5] [--concurrency 2] [--target 5] [--time-scale 20] [--provisioning-delay 120]
  [--upload-rate 80 (articles/s; default: as fast as S3 takes them)] [--idle-minutes 5 (before the scale-in to zero)]
  [--only ours|previous-release|target-tracking-only] [--out bench-results]`;

const say = (line: string) => process.stdout.write(`${line}\n`);
/** Above it, a create costs several times what it does on this disk when nothing was deleted lately (bench/file-creation.ts). */
const SLOW_FILE_CREATION_MICROS = 200;

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string' },
      model: { type: 'string' },
      'latency-ms': { type: 'string' },
      'max-instances': { type: 'string' },
      concurrency: { type: 'string' },
      target: { type: 'string' },
      'time-scale': { type: 'string' },
      'provisioning-delay': { type: 'string' },
      only: { type: 'string' },
      'upload-rate': { type: 'string' },
      'idle-minutes': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    say(USAGE);
    return 0;
  }
  const num = (name: keyof typeof values, fallback: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number; got ${JSON.stringify(raw)}\n${USAGE}`);
    return n;
  };
  const model = values.model ?? 'fixed';
  if (model !== 'fixed' && model !== 'summarize') throw new Error(`--model must be fixed or summarize\n${USAGE}`);
  const projectRoot = resolve(__dirname, '..', '..');
  const outDir = resolve(values.out ?? join(projectRoot, 'bench-results'));
  const base: Omit<BurstOptions, 'targetTrackingOnly'> = {
    projectRoot,
    articles: num('articles', 10_000),
    model,
    latencyMs: num('latency-ms', 100),
    maxInstances: num('max-instances', 5),
    concurrencyPerInstance: num('concurrency', 2),
    targetBacklogPerInstance: num('target', 5),
    timeScale: num('time-scale', 20),
    provisioningDelayS: num('provisioning-delay', 120),
    ...(values['upload-rate'] ? { uploadRate: num('upload-rate', 0) } : {}),
    ...(values['idle-minutes'] ? { idleMinutesBeforeZero: num('idle-minutes', 5) } : {}),
    onProgress: (line) => say(`  ${line}`),
  };
  const configs = [
    { name: 'ours', label: 'target tracking + step from zero + scale-in to zero (ours)', targetTrackingOnly: false, color: '#1f6fd1' },
    {
      name: 'previous-release',
      label: 'target tracking + step from zero (previous release)',
      targetTrackingOnly: false,
      withoutScaleInToZero: true,
      color: '#2a9d3f',
      dash: '2 3',
    },
    { name: 'target-tracking-only', label: 'target tracking only', targetTrackingOnly: true, color: '#d1451f', dash: '6 4' },
  ].filter((c) => !values.only || c.name === values.only);
  if (configs.length === 0) throw new Error(`--only must be ours, previous-release or target-tracking-only\n${USAGE}`);

  const runs = [];
  for (const config of configs) {
    say(
      `${config.label}: ${base.articles} articles, ${model} model${model === 'fixed' ? ` (${base.latencyMs} ms)` : ''}, 0..${base.maxInstances} instances × ${base.concurrencyPerInstance}, target ${base.targetBacklogPerInstance}, time scale ${base.timeScale}×`,
    );
    const run = await runBurst({
      ...base,
      targetTrackingOnly: config.targetTrackingOnly,
      withoutScaleInToZero: config.withoutScaleInToZero === true,
    });
    runs.push({ ...config, ...run });
  }

  const ours = runs.find((r) => r.name === 'ours');
  const previous = runs.find((r) => r.name === 'previous-release');
  const ttOnly = runs.find((r) => r.name === 'target-tracking-only');
  const settings = { ...base, onProgress: undefined };
  const report = {
    ...(ours?.figures ?? previous?.figures ?? ttOnly?.figures),
    ...(ours && previous ? { previousRelease: previous.figures } : {}),
    ...(ours && ttOnly ? { targetTrackingOnly: ttOnly.figures } : {}),
    settings,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    generatedAt: new Date().toISOString(),
    command: `npm run bench:burst -- ${process.argv.slice(2).join(' ')}`.trim(),
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'burst.json'), `${JSON.stringify(report, null, 2)}\n`);
  const chart = burstChart(
    runs.map((r) => ({
      label: r.label,
      samples: r.samples,
      startReal: r.samples[0]?.real ?? 0,
      color: r.color,
      ...(r.dash ? { dash: r.dash } : {}),
    })),
    `Burst of ${base.articles} articles, ${model} model, 0..${base.maxInstances} instances × ${base.concurrencyPerInstance}, target backlog ${base.targetBacklogPerInstance}/instance`,
  );
  writeFileSync(join(outDir, 'burst.svg'), chart);
  // Every 100 ms sample of each run, for looking into a run after the fact (the chart is drawn from them).
  writeFileSync(join(outDir, 'burst-samples.json'), `${JSON.stringify(Object.fromEntries(runs.map((r) => [r.name, r.samples])))}\n`);

  say('');
  say(table(runs.map((r) => [r.name, r.figures])));
  const slowCreate = Math.max(...runs.map((r) => r.figures.fileCreationMicros));
  if (slowCreate > SLOW_FILE_CREATION_MICROS)
    say(
      `\nCreating a file cost ${slowCreate} µs at the start of a run: files were deleted on this disk in the last minutes ` +
        '(a previous run, a build), and the CPU per article reads high; compare runs that began at similar figures ' +
        '(docs/benchmarks.md, The machine and the method).',
    );
  say(`\nwrote ${join(outDir, 'burst.json')}, ${join(outDir, 'burst.svg')} and ${join(outDir, 'burst-samples.json')}`);
  return runs.every((r) => r.figures.lost === 0) ? 0 : 1;
};

const stages = (s: BurstFigures['stagesP50Ms']): string =>
  `${s.s3EventToSubmit} / ${s.submit} / ${s.endpointOutsideModel} / ${s.notificationToLedger}`;

const cpu = (c: BurstFigures['cpuMsPerArticle']): string =>
  c ? `${c.mainThread} / ${c.functions} / ${c.otherThreads} / ${c.dynamodb} / ${c.models} = ${c.total}` : 'not on Linux';

const threads = (t: BurstFigures['functionThreadsMsPerArticle']): string =>
  t
    ? Object.entries(t)
        .filter(([name]) => name !== 'total')
        .map(([name, ms]) => `${name} ${ms}`)
        .join(' / ')
    : 'not on Linux';

const rss = (m: BurstFigures['peakRssMB']): string =>
  m ? `${m.mainProcess} / ${m.lambdaHost} / ${m.dynamodb} / ${m.models} = ${m.total}` : 'not on Linux';

const table = (rows: [string, BurstFigures][]): string => {
  const lines: [string, (f: BurstFigures) => string][] = [
    ['articles', (f) => String(f.articles)],
    ['lost', (f) => String(f.lost)],
    ['duplicates', (f) => String(f.duplicates)],
    [
      'throughput / model-bound limit',
      (f) =>
        f.throughputRatio === null ? 'never saturated' : `${f.throughputRatio} (${f.saturatedPerSecond}/s of ${f.modelBoundPerSecond}/s)`,
    ],
    ['articles/s, first upload to last COMPLETED', (f) => String(f.endToEndPerSecond ?? '-')],
    ['overhead p50 / p95 / p99 ms', (f) => `${f.overheadMs.p50} / ${f.overheadMs.p95} / ${f.overheadMs.p99}`],
    ['p50 ms: event>submit, submit, endpoint I/O, notify>ledger', (f) => stages(f.stagesP50Ms)],
    ['p99 ms: event>submit, submit, endpoint I/O, notify>ledger', (f) => stages(f.stagesP99Ms)],
    ['CPU ms/article: main thread, functions, other threads, DynamoDB, models = total', (f) => cpu(f.cpuMsPerArticle)],
    ['functions by thread of the Lambda host, ms/article', (f) => threads(f.functionThreadsMsPerArticle)],
    ['peak RSS MB: main process, Lambda host, DynamoDB, models = total', (f) => rss(f.peakRssMB)],
    ['creating a file in the state folder, at the start (µs of CPU)', (f) => String(f.fileCreationMicros)],
    ['scale-out from zero (sim s)', (f) => String(f.scaleOutFromZeroS ?? 'never')],
    ['back to zero (sim s)', (f) => String(f.backToZeroS ?? 'never')],
    [
      'instance efficiency (model s / (concurrency × instance-s))',
      (f) => (f.instanceEfficiency === null ? '-' : `${f.instanceEfficiency} (${f.modelSeconds} s / ${f.instanceSeconds} instance-s)`),
    ],
    [
      'to zero before the last article (sim s: events waiting in submit-article)',
      (f) => (f.zeroMidBurst.length === 0 ? 'never' : f.zeroMidBurst.map((z) => `${z.atS}: ${z.submitPending}`).join(', ')),
    ],
    ['cost vs always-on max', (f) => String(f.costRatio ?? '-')],
    ['peak instances', (f) => String(f.peakInstances)],
    ['real time (s)', (f) => String(f.realSeconds)],
  ];
  const header = ['', ...rows.map(([name]) => name)];
  const body = lines.map(([label, value]) => [label, ...rows.map(([, f]) => value(f))]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => (r[i] as string).length)));
  return [header, ...body].map((r) => r.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ')).join('\n');
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:burst failed: ${describeError(error)}\n`);
    process.exit(1);
  },
);
