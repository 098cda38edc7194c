import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTerminal, type LedgerRow } from '../core/ledger';
import { rowsFor } from '../cli/wait';
import { startLocalCloud, type LocalCloud } from '../local/cloud';
import { SUBMIT_ARTICLE_FUNCTION, type StackConfig } from '../local/template/stack-config';
import { uploadBurst, uploaderProgram } from './burst-uploader';
import { cpuUsage, hostThreadUsage, perArticle, type CpuUsage } from './cpu-usage';
import { inMB, memoryUsage, PeakMemory, withTotal, type MemoryFigures } from './memory-usage';
import { instanceSeconds, percentile, saturatedThroughput, simAt, type Sample } from './burst-stats';
import { fileCreationMicros } from './file-creation';

/**
 * The seed experiment on the local cloud: N articles hit an endpoint at zero instances; measure what
 * is lost, throughput at saturation against the model-bound limit, pipeline overhead, scale-out from
 * zero, the way back to zero and the cost against an always-on endpoint.
 */
export interface BurstOptions {
  projectRoot: string;
  articles: number;
  model: 'fixed' | 'summarize';
  latencyMs: number;
  maxInstances: number;
  concurrencyPerInstance: number;
  targetBacklogPerInstance: number;
  timeScale: number;
  provisioningDelayS: number;
  /** Remove both step policies: target tracking alone, the configuration AWS's guide warns about. */
  targetTrackingOnly: boolean;
  /** Remove the scale-in-to-zero policy: the previous release's scaling (target tracking + step from zero). */
  withoutScaleInToZero?: boolean;
  /** Minutes the idle alarm waits before the scale-in to zero (default: the template's idleMinutesBeforeZero). */
  idleMinutesBeforeZero?: number;
  dropConcurrency?: number;
  /** Uploads started per second; default as fast as the S3 emulator takes them (the burst). */
  uploadRate?: number;
  timeoutMs?: number;
  onProgress?: (line: string) => void;
}

export interface BurstFigures {
  articles: number;
  lost: number;
  duplicates: number;
  byState: Record<string, number>;
  throughputRatio: number | null;
  saturatedPerSecond: number | null;
  saturatedSeconds: number;
  /**
   * Articles COMPLETED per second from the first upload to the last COMPLETED row, real time: unlike
   * the throughput at saturation, it cannot hide a pipeline that starves the endpoint.
   */
  endToEndPerSecond: number | null;
  modelBoundPerSecond: number;
  overheadMs: { p50: number; p95: number; p99: number };
  /** Medians of where an article's time goes outside the model queue, to show what limits the pipeline. */
  stagesP50Ms: Stages;
  /** The same at p99: which stage makes the tail. */
  stagesP99Ms: Stages;
  /** CPU milliseconds per article by part of the local cloud, from drop to the last row (Linux; else null). */
  cpuMsPerArticle: (CpuUsage & { total: number }) | null;
  /** `functions` of cpuMsPerArticle by thread of the Lambda host (bench/cpu-usage.ts, hostThreadUsage; Linux, else null). */
  functionThreadsMsPerArticle: (Record<string, number> & { total: number }) | null;
  /**
   * Peak resident memory (VmRSS) of the local cloud by part, MB, over readings every
   * MEMORY_EVERY_SAMPLES samples from the cloud's start to the end of the run (Linux; else null): each
   * part's own peak, and `total`, the peak of their sum at one reading. The main process is shared with
   * the benchmark (and with earlier runs in the same process); model servers count while they live.
   */
  peakRssMB: MemoryFigures | null;
  /**
   * µs of CPU to create a small file in the state folder just before the run (bench/file-creation.ts):
   * the S3 store creates several files per article, and this disk's cost of a create moves with what
   * was deleted on it in the minutes before (a previous run's state folder, a build), so CPU per article
   * is only comparable between runs that began at a similar figure here.
   */
  fileCreationMicros: number;
  /**
   * VmHWM, MB: each process alive at the end of the run, its own peak RSS since it started (so also
   * between readings, and for this process before the run), summed by part; the peaks need not have
   * come at the same time. Model servers have usually exited by then (the run ends at zero instances),
   * so `models` is mostly 0.
   */
  rssHighWaterMarkMB: MemoryFigures | null;
  scaleOutFromZeroS: number | null;
  backToZeroS: number | null;
  /**
   * Model processing time of the completed requests ÷ (MaxConcurrentInvocationsPerInstance ×
   * instance-seconds), simulated, first upload → back at zero instances. 1.0 is every slot of every
   * billed instance busy the whole time.
   */
  instanceEfficiency: number | null;
  /** The numerator: model processing time of the completed requests, simulated seconds. */
  modelSeconds: number;
  /** Instance-seconds InService only (without Pending and Terminating), same window. */
  instanceSecondsInService: number;
  costRatio: number | null;
  instanceSeconds: number;
  alwaysOnInstanceSeconds: number;
  peakInstances: number;
  dropSeconds: number;
  realSeconds: number;
  scalingActivities: { time: string; from: number; to: number; policyName: string }[];
  /**
   * Scale-ins to zero before the last article finished, each with the simulated seconds since the
   * first upload and the S3 events then still waiting in submit-article: events waiting mean the
   * endpoint went idle because the feed stalled, not because the work was done.
   */
  zeroMidBurst: { atS: number; submitPending: number }[];
}

interface Stages {
  s3EventToSubmit: number;
  submit: number;
  endpointOutsideModel: number;
  notificationToLedger: number;
}

export interface BurstRun {
  figures: BurstFigures;
  samples: Sample[];
}

const SAMPLE_EVERY_MS = 100;
/**
 * Memory is read every 5th sample (500 ms): a reading reads the stat file of every process on the
 * machine, 1.5 ms of CPU for 74 processes, and the CPU figure counts it in the main thread's share.
 * Model servers live for seconds, many readings.
 */
const MEMORY_EVERY_SAMPLES = 5;

/** The template's scaling, changed for this run: starts at zero instances. */
export const adjustScaling =
  (options: BurstOptions) =>
  (config: StackConfig): StackConfig => ({
    ...config,
    endpoint: { ...config.endpoint, initialInstanceCount: 0, maxConcurrentInvocationsPerInstance: options.concurrencyPerInstance },
    scaling: {
      ...config.scaling,
      minCapacity: 0,
      maxCapacity: options.maxInstances,
      ...(config.scaling.targetTracking
        ? { targetTracking: { ...config.scaling.targetTracking, targetValue: options.targetBacklogPerInstance } }
        : {}),
      ...(options.targetTrackingOnly ? { stepScaling: undefined, scaleInToZero: undefined } : {}),
      ...(options.withoutScaleInToZero ? { scaleInToZero: undefined } : {}),
      ...(options.idleMinutesBeforeZero && config.scaling.scaleInToZero && !options.targetTrackingOnly && !options.withoutScaleInToZero
        ? {
            scaleInToZero: {
              ...config.scaling.scaleInToZero,
              alarm: {
                ...config.scaling.scaleInToZero.alarm,
                evaluationPeriods: options.idleMinutesBeforeZero,
                datapointsToAlarm: options.idleMinutesBeforeZero,
              },
            },
          }
        : {}),
    },
  });

/** Article bodies, used in turn; `{i}` becomes the article's number so every upload is new content. */
const articleTexts = (projectRoot: string, model: BurstOptions['model']): string[] => {
  if (model === 'fixed') return ['Burst article {i}. The stand-in model answers after a fixed delay. Its text does not matter.'];
  const dir = join(projectRoot, 'samples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => `${readFileSync(join(dir, f), 'utf-8')}\n\n(Copy {i}.)`);
};

export const runBurst = async (options: BurstOptions): Promise<BurstRun> => {
  const progress = options.onProgress ?? (() => undefined);
  const stateDir = mkdtempSync(join(tmpdir(), 'rs-burst-'));
  const fileCreation = fileCreationMicros(stateDir);
  let keepState = false;
  const timings = new Map<string, { backlogMs: number; modelMs: number }>();
  const modelArgs = options.model === 'fixed' ? ['--mode', 'fixed', '--latency-ms', String(options.latencyMs)] : ['--mode', 'summarize'];
  const cloud: LocalCloud = await startLocalCloud({
    projectRoot: options.projectRoot,
    stateDir,
    port: 0,
    timeScale: options.timeScale,
    provisioningDelayS: options.provisioningDelayS,
    modelArgs,
    adjust: adjustScaling(options),
    onRequestTiming: (t) => timings.set(t.inferenceId, { backlogMs: t.backlogMs, modelMs: t.modelMs }),
  });
  const samples: Sample[] = [];
  const peakMemory = new PeakMemory();
  const readMemory = () => {
    const reading = memoryUsage();
    if (reading) peakMemory.add(reading.rss);
    return reading;
  };
  const sample = () => {
    if (samples.length % MEMORY_EVERY_SAMPLES === 0) readMemory();
    const s = cloud.endpoint.status();
    samples.push({
      real: Date.now(),
      sim: Date.parse(s.time),
      inService: s.instances.inService,
      pending: s.instances.pending,
      terminating: s.instances.terminating,
      desired: s.desiredInstanceCount,
      backlog: s.backlog,
      queued: s.queued,
      completed: s.totals.completed + s.totals.failed + s.totals.expired,
      submitPending: cloud.functions[SUBMIT_ARTICLE_FUNCTION]?.pending ?? 0,
    });
  };
  const sampler = setInterval(sample, SAMPLE_EVERY_MS);
  const started = Date.now();
  const cpuBefore = cpuUsage();
  const threadsBefore = hostThreadUsage();
  try {
    sample();
    const { bucket } = cloud.endpoints;
    const keys = Array.from({ length: options.articles }, (_, i) => `input/burst/article-${String(i).padStart(6, '0')}.txt`);

    // Act: the burst, as fast as the S3 emulator takes it, from an uploader thread of its own.
    const dropAt = await uploadBurst(uploaderProgram(options.projectRoot), {
      edgeUrl: cloud.endpoints.edgeUrl,
      region: cloud.endpoints.region,
      bucket,
      keys,
      texts: articleTexts(options.projectRoot, options.model),
      concurrency: options.dropConcurrency ?? 32,
      ...(options.uploadRate ? { rate: options.uploadRate } : {}),
    });
    const dropSeconds = (Date.now() - started) / 1000;
    progress(`dropped ${keys.length} articles in ${dropSeconds.toFixed(1)} s`);

    // Wait: every function and the endpoint idle, then back to zero instances.
    const deadline = started + (options.timeoutMs ?? 3_600_000);
    let lastReport = 0;
    let quietSince: number | undefined;
    for (;;) {
      const idle = cloud.idle();
      quietSince = idle ? (quietSince ?? Date.now()) : undefined;
      const s = cloud.endpoint.status();
      if (
        quietSince !== undefined &&
        Date.now() - quietSince > 500 &&
        s.instances.inService + s.instances.pending + s.instances.terminating === 0
      )
        break;
      if (Date.now() > deadline) break;
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        progress(
          `t+${((Date.now() - started) / 1000).toFixed(0)} s: ${s.totals.completed} done, backlog ${s.backlog}, instances ${s.instances.inService} (+${s.instances.pending} starting), desired ${s.desiredInstanceCount}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    sample();
    const cpuAfter = cpuUsage();
    const cpu = cpuBefore && cpuAfter ? perArticle(cpuBefore, cpuAfter, keys.length) : null;
    const functionThreads = cpu ? perArticle(threadsBefore, hostThreadUsage(), keys.length) : null;
    const memoryAtEnd = readMemory();
    const peak = peakMemory.peak();
    const memory = {
      peakRssMB: peak ? inMB(peak) : null,
      rssHighWaterMarkMB: memoryAtEnd ? inMB(withTotal(memoryAtEnd.highWaterMark)) : null,
    };

    const rows = await rowsFor(cloud.dynamo, cloud.endpoints.table, bucket, keys);
    const figures = figuresOf(options, {
      keys,
      rows,
      dropAt,
      timings,
      samples,
      cloud,
      started,
      dropSeconds,
      cpu,
      functionThreads,
      memory,
      fileCreation,
    });
    // A run that left articles unfinished keeps its state folder (logs, dead-letter records) to look into.
    if (figures.lost > 0) {
      keepState = true;
      progress(`${figures.lost} article(s) not finished: state kept in ${stateDir} (logs/, dead-letter/)`);
    }
    return { figures, samples };
  } finally {
    clearInterval(sampler);
    await cloud.close();
    if (!keepState) rmSync(stateDir, { recursive: true, force: true });
  }
};

interface Observed {
  keys: string[];
  rows: LedgerRow[];
  dropAt: Map<string, number>;
  timings: Map<string, { backlogMs: number; modelMs: number }>;
  samples: Sample[];
  cloud: LocalCloud;
  started: number;
  dropSeconds: number;
  cpu: BurstFigures['cpuMsPerArticle'];
  functionThreads: BurstFigures['functionThreadsMsPerArticle'];
  memory: Pick<BurstFigures, 'peakRssMB' | 'rssHighWaterMarkMB'>;
  fileCreation: number;
}

const figuresOf = (options: BurstOptions, o: Observed): BurstFigures => {
  const terminal = o.rows.filter((r) => isTerminal(r.state));
  const byState: Record<string, number> = {};
  for (const r of o.rows) byState[r.state] = (byState[r.state] ?? 0) + 1;
  const totals = o.cloud.endpoint.status().totals;

  // Pipeline overhead: drop to terminal ledger row, minus time queued in the endpoint and in the model.
  const overheads = terminal.flatMap((r) => {
    const t = o.timings.get(r.inferenceId);
    const dropped = o.dropAt.get(r.key);
    if (!t || dropped === undefined || !r.completedAt) return [];
    return [Date.parse(r.completedAt) - dropped - t.backlogMs - t.modelMs];
  });

  const ms = (iso: string | undefined) => Date.parse(iso ?? '');
  const stages = (p: number): Stages => {
    const at = (f: (r: LedgerRow, t: { backlogMs: number; modelMs: number }) => number) =>
      round(
        percentile(
          terminal.flatMap((r) => {
            const t = o.timings.get(r.inferenceId);
            return t && r.submittedAt && r.completedAt ? [f(r, t)] : [];
          }),
          p,
        ),
      );
    return {
      s3EventToSubmit: at((r) => ms(r.receivedAt) - (o.dropAt.get(r.key) ?? ms(r.receivedAt))),
      submit: at((r) => ms(r.submittedAt) - ms(r.receivedAt)),
      endpointOutsideModel: at((r, t) => (r.endpointMs ?? 0) - t.backlogMs - t.modelMs),
      // Approximate: submittedAt is stamped after the endpoint's receivedTime, so when the endpoint
      // answers quickly this can dip below zero.
      notificationToLedger: at((r) => ms(r.completedAt) - ms(r.submittedAt) - (r.endpointMs ?? 0)),
    };
  };
  const meanModelMs =
    o.timings.size > 0 ? [...o.timings.values()].reduce((sum, t) => sum + t.modelMs, 0) / o.timings.size : options.latencyMs;
  const latencyForLimit = options.model === 'fixed' ? options.latencyMs : meanModelMs;
  const modelBoundPerSecond = (options.maxInstances * options.concurrencyPerInstance * 1000) / latencyForLimit;
  const saturated = saturatedThroughput(o.samples, options.maxInstances);

  const firstDropSim = simAt(o.samples, o.started);
  const firstInService = o.samples.find((s) => s.real >= o.started && s.inService > 0);
  const lastDone = Math.max(...terminal.map((r) => Date.parse(r.completedAt ?? '')).filter(Number.isFinite));
  const completed = terminal.filter((r) => r.state === 'COMPLETED');
  const lastCompleted = Math.max(...completed.map((r) => Date.parse(r.completedAt ?? '')).filter(Number.isFinite));
  const lastDoneSim = Number.isFinite(lastDone) ? simAt(o.samples, lastDone) : undefined;
  const zeroAgain =
    lastDoneSim === undefined ? undefined : o.samples.find((s) => s.sim >= lastDoneSim && s.inService + s.pending + s.terminating === 0);
  const windowEnd = zeroAgain?.sim ?? (o.samples[o.samples.length - 1] as Sample).sim;
  const used = instanceSeconds(o.samples, firstDropSim, windowEnd);
  const usedInService = instanceSeconds(o.samples, firstDropSim, windowEnd, 'inService');
  // Model time runs in real time on the local cloud; times the time scale, it is simulated time.
  const modelSeconds = (completed.reduce((sum, r) => sum + (o.timings.get(r.inferenceId)?.modelMs ?? 0), 0) * options.timeScale) / 1000;
  const alwaysOn = (options.maxInstances * (windowEnd - firstDropSim)) / 1000;
  const activities = o.cloud.endpoint.scalingActivities();

  return {
    articles: o.keys.length,
    lost: o.keys.length - terminal.length,
    // Model requests beyond one per article: a summary paid for twice.
    duplicates: Math.max(0, totals.accepted - terminal.filter((r) => r.state !== 'REJECTED').length),
    byState,
    throughputRatio: saturated ? round(saturated.perSecond / modelBoundPerSecond, 3) : null,
    saturatedPerSecond: saturated ? round(saturated.perSecond, 1) : null,
    saturatedSeconds: round(saturated?.seconds ?? 0, 1),
    endToEndPerSecond: lastCompleted > o.started ? round((completed.length * 1000) / (lastCompleted - o.started), 1) : null,
    modelBoundPerSecond: round(modelBoundPerSecond, 1),
    overheadMs: { p50: round(percentile(overheads, 50)), p95: round(percentile(overheads, 95)), p99: round(percentile(overheads, 99)) },
    stagesP50Ms: stages(50),
    stagesP99Ms: stages(99),
    cpuMsPerArticle: o.cpu,
    functionThreadsMsPerArticle: o.functionThreads,
    ...o.memory,
    fileCreationMicros: o.fileCreation,
    scaleOutFromZeroS: firstInService ? round((firstInService.sim - firstDropSim) / 1000, 1) : null,
    backToZeroS: zeroAgain && lastDoneSim !== undefined ? round((zeroAgain.sim - lastDoneSim) / 1000, 1) : null,
    instanceEfficiency: zeroAgain && used > 0 ? round(modelSeconds / (options.concurrencyPerInstance * used), 3) : null,
    modelSeconds: round(modelSeconds),
    instanceSecondsInService: round(usedInService),
    costRatio: alwaysOn > 0 ? round(used / alwaysOn, 3) : null,
    instanceSeconds: round(used),
    alwaysOnInstanceSeconds: round(alwaysOn),
    peakInstances: Math.max(...o.samples.map((s) => s.inService)),
    dropSeconds: round(o.dropSeconds, 1),
    realSeconds: round((Date.now() - o.started) / 1000, 1),
    scalingActivities: activities.map(({ time, from, to, policyName }) => ({ time, from, to, policyName })),
    zeroMidBurst: activities
      .filter((a) => a.to === 0 && lastDoneSim !== undefined && Date.parse(a.time) < lastDoneSim)
      .map((a) => ({
        atS: round((Date.parse(a.time) - firstDropSim) / 1000),
        submitPending: o.samples.find((s) => s.sim >= Date.parse(a.time))?.submitPending ?? 0,
      })),
  };
};

const round = (n: number, digits = 0): number => Math.round(n * 10 ** digits) / 10 ** digits;
