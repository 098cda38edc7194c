import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inMB, memoryUsage, parseStatus, PeakMemory, withTotal, type MemoryParts } from '../../bench/memory-usage';

/** A /proc/<pid>/status as Linux 6.x writes it for a running process, cut to the lines around memory. */
const status = (rssKb: number, hwmKb: number, name = 'node') => `Name:\t${name}
Umask:\t0022
State:\tS (sleeping)
Tgid:\t4922
Pid:\t4922
PPid:\t4915
VmPeak:\t  993456 kB
VmSize:\t  993204 kB
VmLck:\t       0 kB
VmHWM:\t ${String(hwmKb).padStart(8)} kB
VmRSS:\t ${String(rssKb).padStart(8)} kB
RssAnon:\t   10512 kB
RssFile:\t   39248 kB
Threads:\t7
`;

/** What a zombie's status says: its memory is gone, and so are the Vm lines. */
const zombieStatus = 'Name:\tnode\nState:\tZ (zombie)\nTgid:\t301\nPid:\t301\nPPid:\t100\nThreads:\t1\n';

const statLine = (pid: number, ppid: number) => `${pid} (node) S ${ppid} 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 0\n`;

const reading = (mainProcess: number, lambdaHost: number, dynamodb: number, models: number): MemoryParts => ({
  mainProcess,
  lambdaHost,
  dynamodb,
  models,
});

describe('memory by part of the local cloud', () => {
  let proc: string;
  const write = (path: string, text: string) => {
    mkdirSync(join(proc, path, '..'), { recursive: true });
    writeFileSync(join(proc, path), text);
  };
  const child = (pid: number, ppid: number, cmdline: string, text: string) => {
    write(`${pid}/stat`, statLine(pid, ppid));
    write(`${pid}/cmdline`, cmdline);
    write(`${pid}/status`, text);
  };
  beforeEach(() => {
    proc = mkdtempSync(join(tmpdir(), 'fake-proc-'));
  });
  afterEach(() => rmSync(proc, { recursive: true, force: true }));

  it('reads the resident set size and its high-water mark from a status file, and nothing from a zombie', () => {
    expect(parseStatus(status(49_760, 51_200))).toEqual({ rssKb: 49_760, highWaterMarkKb: 51_200 });
    expect(parseStatus(zombieStatus)).toBeUndefined();
  });

  it('sums each part over its processes, descendants included, and skips zombies and strangers', () => {
    // Prepare: process 100; dynalite, the Lambda host, two model servers (one with a child of its own), a
    // model server that has exited but is not reaped yet, and an unrelated process.
    write('100/stat', statLine(100, 1));
    write('100/status', status(300_000, 350_000));
    child(200, 100, 'node\0-e\0const dynalite = require(process.env.DYNALITE_PATH);', status(90_000, 95_000));
    child(201, 100, 'node\0dist/local/lambda-host.js\0dist/local/lambda-worker.js', status(150_000, 160_000));
    child(202, 100, 'node\0model-server.js\0--mode\0fixed', status(60_000, 61_000));
    child(203, 100, 'node\0model-server.js\0--mode\0fixed', status(40_000, 41_000));
    child(210, 203, 'sh', status(1_000, 1_000));
    child(204, 100, 'node\0model-server.js', zombieStatus);
    child(300, 1, 'bash', status(999_999, 999_999));

    // Act
    const usage = memoryUsage(proc, 100);

    // Assess
    expect(usage).toEqual({
      rss: reading(300_000, 150_000, 90_000, 101_000),
      highWaterMark: reading(350_000, 160_000, 95_000, 103_000),
    });
    expect(memoryUsage(join(proc, 'missing'), 100)).toBeUndefined();
  });

  it('keeps the peak of the sum apart from each part’s peak, the sum between the largest part and the parts summed', () => {
    // Prepare: model servers come and go, the Lambda host grows, so no part peaks when the sum does.
    const peak = new PeakMemory();
    expect(peak.peak()).toBeUndefined();

    // Act
    for (const r of [reading(100, 50, 40, 0), reading(120, 60, 40, 200), reading(110, 90, 45, 100), reading(130, 95, 45, 0)]) peak.add(r);

    // Assess
    const figures = peak.peak();
    expect(figures).toEqual({ mainProcess: 130, lambdaHost: 95, dynamodb: 45, models: 200, total: 420 });
    expect(figures?.total).toBeGreaterThanOrEqual(Math.max(130, 95, 45, 200));
    expect(figures?.total).toBeLessThan(130 + 95 + 45 + 200);
  });

  it('gives whole MB (MiB) and a total for figures read once', () => {
    expect(inMB(withTotal(reading(1024 * 300, 1024 * 150 + 511, 1024 * 90 + 512, 0)))).toEqual({
      mainProcess: 300,
      lambdaHost: 150,
      dynamodb: 91,
      models: 0,
      total: 541,
    });
  });
});
