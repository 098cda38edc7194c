import { readdirSync, readFileSync } from 'node:fs';
import { FUNCTION_THREAD_PREFIX } from '../local/defaults';

/**
 * CPU time spent by each part of the local cloud, read from /proc (Linux only), so a benchmark can
 * say what limits the pipeline: on one machine every emulated service shares the same cores.
 */
export interface CpuUsage {
  /** The local cloud's main thread: the edge, s3rver, the endpoint emulator, SNS, the Lambda runtime. */
  mainThread: number;
  /** The function worker threads (named with FUNCTION_THREAD_PREFIX) and the Lambda host process that holds them. */
  functions: number;
  /**
   * Every other live thread of this process: garbage collection, compilation, file I/O. A thread that
   * has ended leaves /proc, so the benchmark's uploader thread (ended before the last reading) is not
   * counted: the figures are the local cloud's.
   */
  otherThreads: number;
  /** The dynalite process. */
  dynamodb: number;
  /** Model server processes, live or ended. */
  models: number;
}

/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const TICK_MS = 10;

interface Stat {
  ppid: number;
  ticks: number;
  childTicks: number;
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
export const parseStat = (text: string): Stat => {
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(f[i]);
  return { ppid: n(1), ticks: n(11) + n(12), childTicks: n(13) + n(14) };
};

const readStat = (path: string): Stat | undefined => {
  try {
    return parseStat(readFileSync(path, 'utf-8'));
  } catch {
    return undefined; // ended between the listing and the read
  }
};

const readText = (path: string): string => {
  try {
    return readFileSync(path, 'utf-8');
  } catch {
    return '';
  }
};

/**
 * CPU milliseconds used so far by this process's threads and its children; undefined where /proc
 * is missing. Children that have ended count once they are reaped (cutime), as model servers are.
 */
export const cpuUsage = (procRoot = '/proc', pid = process.pid): CpuUsage | undefined => {
  const self = readStat(`${procRoot}/${pid}/stat`);
  if (!self) return undefined;
  const usage: CpuUsage = { mainThread: 0, functions: 0, otherThreads: 0, dynamodb: 0, models: self.childTicks * TICK_MS };
  for (const tid of readdirSync(`${procRoot}/${pid}/task`)) {
    const thread = readStat(`${procRoot}/${pid}/task/${tid}/stat`);
    if (!thread) continue;
    const isFunction = readText(`${procRoot}/${pid}/task/${tid}/comm`).startsWith(FUNCTION_THREAD_PREFIX);
    const part = Number(tid) === pid ? 'mainThread' : isFunction ? 'functions' : 'otherThreads';
    usage[part] += thread.ticks * TICK_MS;
  }
  for (const child of readdirSync(procRoot).filter((name) => /^\d+$/.test(name))) {
    const stat = readStat(`${procRoot}/${child}/stat`);
    if (stat?.ppid !== pid) continue;
    const command = readText(`${procRoot}/${child}/cmdline`);
    usage[command.includes('dynalite') ? 'dynamodb' : command.includes('lambda-host') ? 'functions' : 'models'] += stat.ticks * TICK_MS;
  }
  return usage;
};

/** Milliseconds per article spent by each part between two readings, and their total. */
export const perArticle = (before: CpuUsage, after: CpuUsage, articles: number): CpuUsage & { total: number } => {
  const parts = Object.keys(before) as (keyof CpuUsage)[];
  const each = Object.fromEntries(parts.map((p) => [p, round1((after[p] - before[p]) / articles)])) as unknown as CpuUsage;
  return { ...each, total: round1(parts.reduce((sum, p) => sum + (after[p] - before[p]), 0) / articles) };
};

const round1 = (n: number): number => Math.round(n * 10) / 10;
