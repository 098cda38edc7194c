import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalLambda } from '../../../local/lambda/runtime';
import type { LocalFunction } from '../../../local/template/stack-config';
import { eventually } from '../../support/eventually';
import { lambdaHostForFile } from '../../support/local-cloud';

/**
 * A stand-in bundle with the module state real bundles have: an id drawn once per environment (its
 * init), a module-level variable each invocation sets, and a Powertools Logger created at module level
 * whose keys each invocation appends, as submit-article and record-result do. Each invocation writes a
 * line when it starts and when it ends; `meet` makes it wait until the named invocations have started
 * too (so they run at the same time), `gate` until a file exists, `hang` forever.
 */
const bundle = (dir: string): string => `
const fs = require('node:fs');
const { randomUUID } = require('node:crypto');
const { Logger } = require(${JSON.stringify(require.resolve('@aws-lambda-powertools/logger'))});
const dir = ${JSON.stringify(dir)};
const environmentId = randomUUID();
fs.appendFileSync(dir + '/inits', environmentId + '\\n');
const logger = new Logger({ serviceName: 'environments-test' });
let current;
const waitFor = async (file) => {
  const end = Date.now() + 20000;
  while (!fs.existsSync(file)) {
    if (Date.now() > end) throw new Error('gave up waiting for ' + file);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const note = (fields) => fs.appendFileSync(dir + '/events', JSON.stringify({ env: environmentId, ...fields }) + '\\n');
exports.handler = async (event, context) => {
  logger.addContext(context);
  logger.appendKeys({ inferenceId: event.name });
  current = event.name;
  note({ at: 'start', name: event.name, requestId: context.awsRequestId });
  fs.writeFileSync(dir + '/started-' + event.name, '');
  for (const other of event.meet || []) await waitFor(dir + '/started-' + other);
  if (event.gate) await waitFor(dir + '/' + event.gate);
  if (event.hang) await new Promise(() => undefined);
  logger.info('invocation done', { sawCurrent: current });
  note({ at: 'end', name: event.name, current });
};`;

interface Note {
  env: string;
  at: 'start' | 'end';
  name: string;
  requestId?: string;
  current?: string;
}

describe('LocalLambda: one execution environment per running invocation, as Lambda runs them', () => {
  const host = lambdaHostForFile();
  let dir: string;
  let runtime: LocalLambda | undefined;
  const fn = (overrides: Partial<LocalFunction>): LocalFunction => ({
    logicalId: 'TestLambdaFunction',
    name: 'test-fn',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn',
    bundle: join(dir, 'bundle.js'),
    exportName: 'handler',
    environment: { AWS_LAMBDA_LOG_LEVEL: 'INFO' },
    timeoutS: 30,
    memorySizeMB: 256,
    maximumRetryAttempts: 0,
    maximumEventAgeS: 21600,
    onFailureQueue: 'test-dlq',
    ...overrides,
  });
  let logged: Array<Record<string, unknown>> = [];
  const start = ({ environments = 4, ...overrides }: Partial<LocalFunction> & { environments?: number } = {}) =>
    (runtime = new LocalLambda({
      fn: fn(overrides),
      env: {},
      stateDir: join(dir, 'state'),
      host,
      timeScale: 600,
      environments,
      log: (message, fields) => logged.push({ message, ...fields }),
    }));
  const lines = (file: string): string[] =>
    existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf-8').trim().split('\n').filter(Boolean) : [];
  const notes = (): Note[] => lines('events').map((line) => JSON.parse(line) as Note);
  const inits = (): string[] => lines('inits');
  const started = (): Note[] => notes().filter((n) => n.at === 'start');
  const ended = (): Note[] => notes().filter((n) => n.at === 'end');
  const envOf = (name: string): string | undefined => started().find((n) => n.name === name)?.env;
  /** The most invocations that had started and not yet ended at any one time. */
  const mostAtOnce = (): number => {
    let running = 0;
    let most = 0;
    for (const n of notes()) {
      running += n.at === 'start' ? 1 : -1;
      most = Math.max(most, running);
    }
    return most;
  };

  beforeEach(() => {
    logged = [];
    dir = mkdtempSync(join(tmpdir(), 'rs-lambda-env-'));
    writeFileSync(join(dir, 'bundle.js'), bundle(dir));
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps each running invocation's module state and logger keys its own", async () => {
    const lambda = start();

    // Each waits until the other has started and set its state: both run at the same time.
    lambda.invokeAsync({ name: 'first', meet: ['second'] });
    lambda.invokeAsync({ name: 'second', meet: ['first'] });

    await eventually(() => lambda.idle(), { what: 'both invocations to finish' });
    expect(
      ended()
        .map((n) => [n.name, n.current])
        .sort(),
    ).toEqual([
      ['first', 'first'],
      ['second', 'second'],
    ]);
    expect(envOf('first')).not.toBe(envOf('second'));
    const logged = await eventually(
      () => {
        const done = lines(join('state', 'logs', 'test-fn.log'))
          .filter((line) => line.includes('invocation done'))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        return done.length === 2 && done;
      },
      { what: 'both log lines' },
    );
    const requestIdOf = Object.fromEntries(started().map((n) => [n.name, n.requestId]));
    for (const line of logged) {
      expect(line.sawCurrent).toBe(line.inferenceId);
      expect(line.function_request_id).toBe(requestIdOf[line.inferenceId as string]);
    }
  });

  it('reuses a warm environment, running its init once, and starts another for a concurrent invocation', async () => {
    const lambda = start();

    lambda.invokeAsync({ name: 'cold' });
    await eventually(() => lambda.idle(), { what: 'the first invocation' });
    lambda.invokeAsync({ name: 'warm' });
    await eventually(() => lambda.idle(), { what: 'the second invocation' });
    lambda.invokeAsync({ name: 'alongside-a', meet: ['alongside-b'] });
    lambda.invokeAsync({ name: 'alongside-b', meet: ['alongside-a'] });
    await eventually(() => lambda.idle(), { what: 'the concurrent pair' });

    expect(envOf('warm')).toBe(envOf('cold'));
    expect(envOf('alongside-a')).not.toBe(envOf('alongside-b'));
    expect([envOf('alongside-a'), envOf('alongside-b')]).toContain(envOf('cold'));
    expect(inits()).toHaveLength(2);
    expect(lambda.counts).toMatchObject({ invocations: 4, coldStarts: 2, errors: 0 });
    expect(lambda.environments).toBe(2);
  });

  it('runs at most its concurrency of invocations at once, in that many environments, and queues the rest', async () => {
    const lambda = start({ environments: 2 });

    for (const name of ['a', 'b', 'c', 'd', 'e']) lambda.invokeAsync({ name, gate: 'open' });
    await eventually(() => started().length === 2, { what: 'two invocations to start' });

    expect(lambda.running).toBe(2);
    expect(lambda.queued).toBe(3);
    expect(lambda.environments).toBe(2);
    writeFileSync(join(dir, 'open'), '');
    await eventually(() => lambda.idle(), { what: 'every invocation to finish' });
    expect(
      ended()
        .map((n) => n.name)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(mostAtOnce()).toBe(2);
    expect(new Set(started().map((n) => n.env)).size).toBe(2);
    expect(inits()).toHaveLength(2);
    expect(lambda.counts).toMatchObject({ invocations: 5, coldStarts: 2 });
  });

  it('stops only the environment of a timed-out invocation; a concurrent one stays warm', async () => {
    const lambda = start({ timeoutS: 1 });

    lambda.invokeAsync({ name: 'stuck', meet: ['steady'], hang: true });
    lambda.invokeAsync({ name: 'steady', meet: ['stuck'] });
    await eventually(() => lambda.idle(), { what: 'the timeout' });
    lambda.invokeAsync({ name: 'after' });
    await eventually(() => lambda.idle(), { what: 'the invocation after it' });

    expect(lambda.deadLetters()).toEqual([
      expect.objectContaining({ responsePayload: expect.objectContaining({ errorType: 'Sandbox.Timedout' }) }),
    ]);
    expect(envOf('after')).toBe(envOf('steady'));
    expect(inits()).toHaveLength(2);
    expect(lambda.environments).toBe(1);
  });

  it('fails an invocation whose environment cannot start with the error its init threw, and tries a new one next time', async () => {
    writeFileSync(join(dir, 'bundle.js'), `throw new RangeError('MAX_INPUT_TOKENS must be a positive integer');`);
    const lambda = start();

    lambda.invokeAsync({ name: 'first' });
    lambda.invokeAsync({ name: 'second' });
    await eventually(() => lambda.idle(), { what: 'both invocations to fail' });

    expect(lambda.deadLetters()).toHaveLength(2);
    expect(lambda.deadLetters()[0]).toMatchObject({
      responsePayload: { errorType: 'RangeError', errorMessage: 'MAX_INPUT_TOKENS must be a positive integer' },
    });
    expect(lambda.counts).toMatchObject({ invocations: 2, errors: 2, coldStarts: 2 });
    expect(lambda.environments).toBe(0);
  });

  it('never runs more environments than the reserved concurrency, whatever bound is asked', async () => {
    const lambda = start({ environments: 4, reservedConcurrency: 1 });

    for (const name of ['one', 'two', 'three']) lambda.invokeAsync({ name, gate: 'open' });
    await eventually(() => started().length === 1, { what: 'one invocation to start' });

    expect(lambda.queued).toBe(2);
    writeFileSync(join(dir, 'open'), '');
    await eventually(() => lambda.idle(), { what: 'every invocation to finish' });
    expect(mostAtOnce()).toBe(1);
    expect(lambda.counts).toMatchObject({ invocations: 3, coldStarts: 1 });
  });

  it('retries the invocations running when the Lambda host process dies, in a new host, and loses none', async () => {
    const lambda = start({ maximumRetryAttempts: 2 });
    await host.start();
    const firstHost = host.pid;
    lambda.invokeAsync({ name: 'left', gate: 'open' });
    lambda.invokeAsync({ name: 'right', gate: 'open' });
    await eventually(() => started().length === 2, { what: 'both invocations to start' });

    // Act: kill -9 of the host, mid-invocation, then let the retries finish.
    process.kill(firstHost as number, 'SIGKILL');
    await eventually(() => lambda.counts.errors === 2, { what: 'both attempts to fail' });
    writeFileSync(join(dir, 'open'), '');
    await eventually(() => lambda.idle(), { what: 'the retries' });

    // Assess: each ran twice under one request id and ended once; the host was replaced once.
    expect(
      ended()
        .map((n) => n.name)
        .sort(),
    ).toEqual(['left', 'right']);
    for (const name of ['left', 'right']) {
      const attempts = started().filter((n) => n.name === name);
      expect(attempts).toHaveLength(2);
      expect(new Set(attempts.map((n) => n.requestId)).size).toBe(1);
    }
    expect(lambda.counts).toMatchObject({ invocations: 4, errors: 2, retries: 2, deadLettered: 0, coldStarts: 4 });
    expect(logged.filter((l) => l.message === 'function error').map((l) => l.errorType)).toEqual([
      'Runtime.ExitError',
      'Runtime.ExitError',
    ]);
    expect(lambda.deadLetters()).toEqual([]);
    expect(host.pid).not.toBe(firstHost);
    expect(host.status()).toMatchObject({ state: 'running', restarts: 1 });
  });
});
