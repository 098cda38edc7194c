import { startChild, type StartedChild } from '../../../local/support/child-process';
import { CrashStreak, superviseChild, type SupervisedChild } from '../../../local/support/supervisor';
import { eventually } from '../../support/eventually';

const env = { PATH: process.env.PATH ?? '' };
/** A helper that says it listens, then runs until its parent's IPC channel closes. */
const steady = () =>
  startChild(
    ['-e', 'process.stdout.write("listening\\n"); setInterval(() => undefined, 1000); process.on("disconnect", () => process.exit(0));'],
    {
      description: 'steady',
      env,
    },
  );
/** A helper that dies before it listens. */
const broken = () => startChild(['-e', 'process.exit(3)'], { description: 'broken', env });

const policy = { firstDelayMs: 10, maxDelayMs: 40, maxCrashesInARow: 4 };

describe('CrashStreak: the restart policy', () => {
  it('doubles the delay with each crash in a row, up to its cap, and ends the streak at the limit', () => {
    const streak = new CrashStreak(policy);

    const delays = [streak.crashed(), streak.crashed(), streak.crashed(), streak.crashed()];

    expect(delays).toEqual([10, 20, 40, undefined]);
    expect(streak.crashesInARow).toBe(4);
  });

  it('stays at the limit once the streak has ended: a crash of a process started before then is not counted', () => {
    const streak = new CrashStreak(policy);
    for (let i = 0; i < 4; i++) streak.crashed();

    const late = streak.crashed();

    expect([late, streak.crashesInARow]).toEqual([undefined, 4]);
    expect(streak.givenUp('model servers')).toMatch(/^model servers crashed 4 times in a row/);
  });

  it('starts a new streak once the process did useful work', () => {
    const streak = new CrashStreak(policy);
    streak.crashed();
    streak.crashed();

    streak.recovered();

    expect([streak.crashesInARow, streak.crashed()]).toEqual([0, 10]);
  });
});

describe('superviseChild: a helper process started again when it dies', () => {
  let supervised: SupervisedChild | undefined;
  afterEach(async () => {
    await supervised?.stop();
    supervised = undefined;
  });

  it('restarts a process killed with SIGKILL, and reports the exit and the restart', async () => {
    // Prepare
    const delays: number[] = [];
    const starts: StartedChild[] = [];
    supervised = await superviseChild({
      name: 'helper',
      start: steady,
      policy,
      log: () => undefined,
      onStart: (s) => starts.push(s),
      wait: async (ms) => void delays.push(ms),
    });
    const first = await supervised.running(1_000);

    // Act
    first.child.kill('SIGKILL');
    const second = await eventually(async () => (starts.length === 2 ? supervised?.running(10_000) : undefined), {
      timeoutMs: 20_000,
      what: 'the restart',
    });

    // Assess
    expect(second.child.pid).not.toBe(first.child.pid);
    expect(delays).toEqual([10]);
    expect(supervised.status()).toMatchObject({
      name: 'helper',
      state: 'running',
      pid: second.child.pid,
      restarts: 1,
      crashesInARow: 1,
      lastExit: { code: null, signal: 'SIGKILL' },
    });
  });

  it('gives up after the crash-loop limit, says why, and fails requests waiting for it', async () => {
    // Prepare: the first start works; every restart dies before it listens.
    let startsAsked = 0;
    const delays: number[] = [];
    supervised = await superviseChild({
      name: 'helper',
      start: () => (++startsAsked === 1 ? steady() : broken()),
      policy,
      log: () => undefined,
      wait: async (ms) => void delays.push(ms),
    });
    const first = await supervised.running(1_000);

    // Act
    first.child.kill('SIGKILL');
    await first.exited;
    const waiting = supervised.running(60_000);

    // Assess
    await expect(waiting).rejects.toThrow(/helper crashed 4 times in a row .*not restarted again.*exited with 3 before listening/);
    expect(delays).toEqual([10, 20, 40]);
    expect(startsAsked).toBe(4);
    expect(supervised.status()).toMatchObject({ state: 'failed', restarts: 0, crashesInARow: 4 });
    expect(supervised.status().reason).toMatch(/crashed 4 times in a row/);
  });

  it('keeps restarting a process that does useful work between crashes', async () => {
    // Prepare
    const starts: StartedChild[] = [];
    supervised = await superviseChild({
      name: 'helper',
      start: steady,
      policy,
      log: () => undefined,
      onStart: (s) => starts.push(s),
      wait: async () => undefined,
    });

    // Act: more crashes than the limit, each after useful work.
    for (let n = 1; n <= policy.maxCrashesInARow + 1; n++) {
      (await supervised.running(10_000)).child.kill('SIGKILL');
      await eventually(async () => (starts.length === n + 1 ? true : undefined), { timeoutMs: 20_000, what: `restart ${n}` });
      supervised.healthy();
    }

    // Assess
    expect(supervised.status()).toMatchObject({ state: 'running', restarts: policy.maxCrashesInARow + 1, crashesInARow: 0 });
  });

  it('stops the process, and does not restart it, when stopped', async () => {
    // Prepare
    const starts: StartedChild[] = [];
    supervised = await superviseChild({ name: 'helper', start: steady, policy, log: () => undefined, onStart: (s) => starts.push(s) });
    const only = await supervised.running(1_000);

    // Act
    await supervised.stop();

    // Assess
    expect(only.child.exitCode ?? only.child.signalCode).not.toBeNull();
    expect(starts).toHaveLength(1);
    expect(supervised.status().state).toBe('stopped');
    await expect(supervised.running(1_000)).rejects.toThrow('helper is stopped');
  });
});
