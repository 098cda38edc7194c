import { readFileSync } from 'node:fs';
import { descendants } from './cpu-usage';

/**
 * Resident memory of each part of the local cloud, read from /proc (Linux only), so a benchmark can
 * say whether the local cloud's memory stays put as articles go through it. The parts are the CPU
 * figure's (cpu-usage.ts) where processes allow: threads share their process's memory, so the main
 * thread and the other threads of this process are one part, and the function threads are the
 * Lambda host's.
 */
export interface MemoryParts {
  /** This process: the local cloud's main thread and the benchmark (its uploader thread, or Jest) share it. */
  mainProcess: number;
  /** The Lambda host process, which holds every function's execution environments (worker threads). */
  lambdaHost: number;
  /** The dynalite process. */
  dynamodb: number;
  /** The model server processes alive at the reading. */
  models: number;
}

const PARTS: (keyof MemoryParts)[] = ['mainProcess', 'lambdaHost', 'dynamodb', 'models'];
const none = (): MemoryParts => ({ mainProcess: 0, lambdaHost: 0, dynamodb: 0, models: 0 });

export interface ProcessMemory {
  /** VmRSS: resident set size now, kB. */
  rssKb: number;
  /** VmHWM: the process's own peak resident set size since it started, kB. */
  highWaterMarkKb: number;
}

/**
 * VmRSS and VmHWM from the text of /proc/<pid>/status (in kB, as the kernel writes them:
 * https://man7.org/linux/man-pages/man5/proc_pid_status.5.html). Undefined when either is missing,
 * as for a zombie, whose memory is already gone.
 */
export const parseStatus = (text: string): ProcessMemory | undefined => {
  const field = (name: string) => new RegExp(`^${name}:\\s*(\\d+) kB$`, 'm').exec(text)?.[1];
  const rss = field('VmRSS');
  const hwm = field('VmHWM');
  return rss === undefined || hwm === undefined ? undefined : { rssKb: Number(rss), highWaterMarkKb: Number(hwm) };
};

const readMemory = (path: string): ProcessMemory | undefined => {
  try {
    return parseStatus(readFileSync(path, 'utf-8'));
  } catch {
    return undefined; // ended since the walk listed it
  }
};

/**
 * kB by part of this process and every live descendant (descendants(), the walk the CPU figure uses),
 * for both figures of each process: `rss` sums what is resident now, `highWaterMark` sums each live
 * process's own peak (its peaks need not have come at the same time). Undefined where /proc is missing.
 */
export const memoryUsage = (procRoot = '/proc', pid = process.pid): { rss: MemoryParts; highWaterMark: MemoryParts } | undefined => {
  const self = readMemory(`${procRoot}/${pid}/status`);
  if (!self) return undefined;
  const rss = { ...none(), mainProcess: self.rssKb };
  const highWaterMark = { ...none(), mainProcess: self.highWaterMarkKb };
  for (const { pid: child, part } of descendants(procRoot, pid)) {
    const memory = readMemory(`${procRoot}/${child}/status`);
    if (!memory) continue;
    rss[part] += memory.rssKb;
    highWaterMark[part] += memory.highWaterMarkKb;
  }
  return { rss, highWaterMark };
};

export type MemoryFigures = MemoryParts & { total: number };

/**
 * The peak of the local cloud's resident memory over readings taken during a run. Model servers start
 * and exit as the endpoint scales, so no reading at the end can see them; each reading sums the parts
 * live at that moment.
 */
export class PeakMemory {
  private readonly parts = none();
  private total = 0;
  private readings = 0;

  add(reading: MemoryParts): void {
    this.readings++;
    for (const part of PARTS) this.parts[part] = Math.max(this.parts[part], reading[part]);
    this.total = Math.max(
      this.total,
      PARTS.reduce((sum, part) => sum + reading[part], 0),
    );
  }

  /**
   * In kB: each part's own peak over the readings, and `total`, the peak of the parts' sum at one
   * reading. The parts need not peak at the same reading, so the total lies between the largest part
   * and the parts' sum. Undefined before the first reading.
   */
  peak(): MemoryFigures | undefined {
    return this.readings > 0 ? { ...this.parts, total: this.total } : undefined;
  }
}

/** kB as whole MB (MiB, 2^20 bytes), as the other benchmarks report memory. */
export const inMB = (kb: MemoryFigures): MemoryFigures =>
  Object.fromEntries(Object.entries(kb).map(([part, value]) => [part, Math.round(value / 1024)])) as unknown as MemoryFigures;

/** The parts of a reading with their sum, for figures read once (the high-water marks at the end). */
export const withTotal = (parts: MemoryParts): MemoryFigures => ({
  ...parts,
  total: PARTS.reduce((sum, part) => sum + parts[part], 0),
});
