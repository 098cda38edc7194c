import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuUsage, descendants, HOST_OWN_THREADS, hostThreadUsage, parseStat, perArticle } from '../../bench/cpu-usage';

/** A /proc/<pid>/stat line: utime, stime, cutime and cstime where Linux puts them. */
const statLine = (pid: number, comm: string, { ppid = 1, utime = 0, stime = 0, cutime = 0, cstime = 0 } = {}) =>
  `${pid} (${comm}) S ${ppid} 0 0 0 -1 0 0 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 1 0 0\n`;

describe('CPU usage by part of the local cloud', () => {
  let proc: string;
  const write = (path: string, text: string) => {
    mkdirSync(join(proc, path, '..'), { recursive: true });
    writeFileSync(join(proc, path), text);
  };
  beforeEach(() => {
    proc = mkdtempSync(join(tmpdir(), 'fake-proc-'));
  });
  afterEach(() => rmSync(proc, { recursive: true, force: true }));

  it('reads a stat line whose command name holds spaces and parentheses', () => {
    expect(parseStat(statLine(7, 'a) (b c', { ppid: 3, utime: 5, stime: 6, cutime: 7, cstime: 8 }))).toEqual({
      ppid: 3,
      ticks: 11,
      childTicks: 15,
    });
  });

  it('splits threads by role and children by command, counting ended children as models', () => {
    // Prepare: process 100 with a main thread, a function thread (named lambda:…) and a GC thread; a dynalite
    // child, a model child with a child of its own, the Lambda host child, an unrelated process; and 3 ticks of
    // children already reaped by this process, 4 by the dynalite child.
    write('100/stat', statLine(100, 'node', { utime: 50, cutime: 2, cstime: 1 }));
    write('100/task/100/stat', statLine(100, 'node', { utime: 40, stime: 2 }));
    write('100/task/101/stat', statLine(101, 'lambda:submitAr', { utime: 20 }));
    write('100/task/101/comm', 'lambda:submitAr\n');
    write('100/task/102/comm', 'node\n');
    write('100/task/102/stat', statLine(102, 'node', { stime: 4 }));
    write('200/stat', statLine(200, 'node', { ppid: 100, utime: 30, cutime: 4 }));
    write('200/cmdline', 'node\0-e\0const dynalite = require(process.env.DYNALITE_PATH);');
    write('201/stat', statLine(201, 'node', { ppid: 100, utime: 7 }));
    write('201/cmdline', 'node\0model-server.js\0--mode\0fixed');
    write('210/stat', statLine(210, 'sh', { ppid: 201, utime: 6 }));
    write('210/cmdline', 'sh\0-c\0dynalite');
    write('202/stat', statLine(202, 'node', { ppid: 100, utime: 5 }));
    write('202/cmdline', 'node\0dist/local/lambda-host.js\0dist/local/lambda-worker.js');
    write('300/stat', statLine(300, 'bash', { ppid: 1, utime: 999 }));
    write('300/cmdline', 'bash');

    // Act
    const usage = cpuUsage(proc, 100);

    // Assess: 10 ms per tick.
    expect(usage).toEqual({ mainThread: 420, functions: 250, otherThreads: 40, dynamodb: 340, models: 160 });
    // A grandchild belongs to its ancestor's part, whatever its own command line says.
    const parts = descendants(proc, 100).map(({ pid, part }) => [pid, part]);
    expect(parts.sort()).toEqual([
      [200, 'dynamodb'],
      [201, 'models'],
      [202, 'lambdaHost'],
      [210, 'models'],
    ]);
    expect(cpuUsage(join(proc, 'missing'), 100)).toBeUndefined();
  });

  it("splits the Lambda host's CPU by environment thread name, the rest of the host in one line", () => {
    // Prepare: the local cloud 100 with a dynalite child and the Lambda host 202, whose threads are its own, two
    // submit-article environments, a record-result environment and a V8 helper.
    write('100/stat', statLine(100, 'node', { utime: 50 }));
    write('100/task/100/stat', statLine(100, 'node', { utime: 50 }));
    write('200/stat', statLine(200, 'node', { ppid: 100, utime: 30 }));
    write('200/cmdline', 'node\0dist/local/dynalite.js');
    write('200/task/200/stat', statLine(200, 'node', { utime: 30 }));
    write('202/stat', statLine(202, 'node', { ppid: 100, utime: 29 }));
    write('202/cmdline', 'node\0--single-threaded-gc\0dist/local/lambda-host.js\0dist/local/lambda-worker.js');
    const threads: [number, string, number][] = [
      [202, 'node', 2],
      [203, 'node', 5],
      [204, 'lambda:submitAr', 8],
      [205, 'lambda:submitAr', 6],
      [206, 'lambda:recordRe', 8],
    ];
    for (const [tid, comm, utime] of threads) {
      write(`202/task/${tid}/stat`, statLine(tid, comm, { utime }));
      write(`202/task/${tid}/comm`, `${comm}\n`);
    }

    // Act
    const usage = hostThreadUsage(proc, 100);

    // Assess: 10 ms per tick; dynalite's threads are not the host's.
    expect(usage).toEqual({ [HOST_OWN_THREADS]: 70, 'lambda:submitAr': 140, 'lambda:recordRe': 80 });
    expect(Object.values(usage).reduce((a, b) => a + b, 0)).toBe(cpuUsage(proc, 100)?.functions);
  });

  it('counts a part missing from the first reading from zero', () => {
    expect(perArticle({ host: 10 }, { host: 30, 'lambda:submitAr': 40 }, 10)).toEqual({ host: 2, 'lambda:submitAr': 4, total: 6 });
  });

  it('gives milliseconds per article between two readings, with their total', () => {
    const before = { mainThread: 100, functions: 0, otherThreads: 0, dynamodb: 50, models: 0 };
    const after = { mainThread: 300, functions: 100, otherThreads: 30, dynamodb: 150, models: 20 };
    expect(perArticle(before, after, 20)).toEqual({ mainThread: 10, functions: 5, otherThreads: 1.5, dynamodb: 5, models: 1, total: 22.5 });
  });
});
