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
export const TICK_MS = 10;

export interface Stat {
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

/** Each thread of a process, with its name (comm); none once the process has ended. */
const threadsOf = (procRoot: string, pid: number): { tid: number; name: string; ticks: number }[] => {
  let tids: string[];
  try {
    tids = readdirSync(`${procRoot}/${pid}/task`);
  } catch {
    return [];
  }
  return tids.flatMap((tid) => {
    const stat = readStat(`${procRoot}/${pid}/task/${tid}/stat`);
    return stat ? [{ tid: Number(tid), name: readText(`${procRoot}/${pid}/task/${tid}/comm`).trim(), ticks: stat.ticks }] : [];
  });
};

/** What each child of the local cloud's process is, told apart by its command line. */
export type ChildPart = 'dynamodb' | 'lambdaHost' | 'models';

export interface Descendant {
  pid: number;
  /** The part of the child of this process it descends from. */
  part: ChildPart;
  stat: Stat;
}

const partOf = (cmdline: string): ChildPart =>
  cmdline.includes('dynalite') ? 'dynamodb' : cmdline.includes('lambda-host') ? 'lambdaHost' : 'models';

/**
 * Every live descendant of a process, from one listing of /proc: each in the part of the child it
 * descends from (a grandchild of the dynalite process is DynamoDB's). The one walk of the local cloud's
 * processes, for CPU here and for memory (memory-usage.ts). A process that ends during the walk is
 * skipped; a child whose command line cannot be read any more is counted as a model server, the
 * children that come and go.
 */
export const descendants = (procRoot = '/proc', pid = process.pid): Descendant[] => {
  const byParent = new Map<number, { pid: number; stat: Stat }[]>();
  for (const name of readdirSync(procRoot).filter((n) => /^\d+$/.test(n))) {
    const stat = readStat(`${procRoot}/${name}/stat`);
    if (!stat) continue;
    const siblings = byParent.get(stat.ppid) ?? [];
    siblings.push({ pid: Number(name), stat });
    byParent.set(stat.ppid, siblings);
  }
  const found: Descendant[] = [];
  const visit = (parent: number, part: ChildPart) => {
    for (const child of byParent.get(parent) ?? []) {
      found.push({ ...child, part });
      visit(child.pid, part);
    }
  };
  for (const child of byParent.get(pid) ?? []) {
    const part = partOf(readText(`${procRoot}/${child.pid}/cmdline`));
    found.push({ ...child, part });
    visit(child.pid, part);
  }
  return found;
};

/**
 * CPU milliseconds used so far by this process's threads and its descendants; undefined where /proc
 * is missing. Processes that have ended count once they are reaped (cutime), as model servers are:
 * this process's reaped children count as models, a descendant's reaped children in its part.
 */
export const cpuUsage = (procRoot = '/proc', pid = process.pid): CpuUsage | undefined => {
  const self = readStat(`${procRoot}/${pid}/stat`);
  if (!self) return undefined;
  const usage: CpuUsage = { mainThread: 0, functions: 0, otherThreads: 0, dynamodb: 0, models: self.childTicks * TICK_MS };
  for (const { tid, name, ticks } of threadsOf(procRoot, pid)) {
    const part = tid === pid ? 'mainThread' : name.startsWith(FUNCTION_THREAD_PREFIX) ? 'functions' : 'otherThreads';
    usage[part] += ticks * TICK_MS;
  }
  for (const { part, stat } of descendants(procRoot, pid)) {
    usage[part === 'lambdaHost' ? 'functions' : part] += (stat.ticks + stat.childTicks) * TICK_MS;
  }
  return usage;
};

/** What hostThreadUsage calls the Lambda host's threads that are not an environment's. */
export const HOST_OWN_THREADS = 'host and V8 helpers';

/**
 * The `functions` part by thread, in ms: each function's environments (threads named
 * FUNCTION_THREAD_PREFIX and the function's name, which Linux cuts to 15 characters), and the rest of
 * the Lambda host (its own thread, and V8's helper threads that compile and collect for every
 * environment). An environment stopped before the reading has left /proc and is not counted.
 */
export const hostThreadUsage = (procRoot = '/proc', pid = process.pid): Record<string, number> => {
  const usage: Record<string, number> = {};
  for (const host of descendants(procRoot, pid).filter((d) => d.part === 'lambdaHost')) {
    for (const { name, ticks } of threadsOf(procRoot, host.pid)) {
      const key = name.startsWith(FUNCTION_THREAD_PREFIX) ? name : HOST_OWN_THREADS;
      usage[key] = (usage[key] ?? 0) + ticks * TICK_MS;
    }
  }
  return usage;
};

/**
 * Milliseconds per article spent by each part between two readings, and their total. A part missing
 * from the first reading (a thread that started after it) counts from zero.
 */
export const perArticle = <K extends string>(
  before: Partial<Record<K, number>>,
  after: Record<K, number>,
  articles: number,
): Record<K, number> & { total: number } => {
  const used = (p: K) => after[p] - (before[p] ?? 0);
  const parts = Object.keys(after) as K[];
  const each = Object.fromEntries(parts.map((p) => [p, round1(used(p) / articles)])) as Record<K, number>;
  return { ...each, total: round1(parts.reduce((sum, p) => sum + used(p), 0) / articles) };
};

const round1 = (n: number): number => Math.round(n * 10) / 10;
