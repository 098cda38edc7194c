import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalLambda } from '../../../local/lambda/runtime';
import type { LocalFunction } from '../../../local/template/stack-config';
import { eventually } from '../../support/eventually';
import { lambdaHostForFile } from '../../support/local-cloud';

/**
 * A stand-in bundle: records each call in a file named after the event, and fails while the event
 * asks it to. Written as plain JS, as the real bundles are.
 */
const BUNDLE = `
const fs = require('node:fs');
exports.handler = async (event, context) => {
  const file = event.dir + '/' + event.name;
  const calls = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf-8')) + 1 : 1;
  fs.writeFileSync(file, String(calls));
  fs.writeFileSync(file + '.env', JSON.stringify({ own: process.env.OWN_SETTING, added: process.env.AWS_ENDPOINT_URL, fn: context.functionName, memory: context.memoryLimitInMB }));
  fs.appendFileSync(file + '.ids', context.awsRequestId + '\\n');
  fs.writeFileSync(file + '.thread', fs.readFileSync('/proc/thread-self/comm', 'utf-8').trim());
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  fs.writeFileSync(file + '.priority', String(require('node:os').getPriority(tid)));
  if (event.hangMs && calls === 1) await new Promise((r) => setTimeout(r, event.hangMs));
  fs.appendFileSync(file + '.starts', Date.now() + '\\n');
  if (event.tickForever && calls === 1) {
    // A first attempt that never ends and shows it is alive; the retry takes a moment of its own.
    setInterval(() => fs.appendFileSync(file + '.ticks', Date.now() + '\\n'), 5);
    await new Promise(() => undefined);
  }
  if (event.tickForever) await new Promise((r) => setTimeout(r, 100));
  if (calls <= (event.failTimes || 0)) throw new TypeError('failing call ' + calls);
};`;

describe('LocalLambda: asynchronous invocation as Lambda does it', () => {
  const host = lambdaHostForFile();
  let dir: string;
  let runtime: LocalLambda | undefined;
  const fn = (): LocalFunction => ({
    logicalId: 'TestLambdaFunction',
    name: 'test-fn',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn',
    bundle: join(dir, 'bundle.js'),
    exportName: 'handler',
    environment: { OWN_SETTING: 'from-template' },
    timeoutS: 5,
    memorySizeMB: 256,
    maximumRetryAttempts: 2,
    maximumEventAgeS: 21600,
    onFailureQueue: 'test-dlq',
  });
  const start = (overrides: Partial<LocalFunction> = {}) =>
    (runtime = new LocalLambda({
      fn: { ...fn(), ...overrides },
      env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' },
      stateDir: join(dir, 'state'),
      host,
      timeScale: 600,
    }));
  const calls = (name: string) => (existsSync(join(dir, name)) ? Number(readFileSync(join(dir, name), 'utf-8')) : 0);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rs-lambda-'));
    writeFileSync(join(dir, 'bundle.js'), BUNDLE);
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the function in a thread named after it, at the priority of the rest of the process', async () => {
    const lambda = start({ name: 'research-summarizer-dev-submitArticle' });

    lambda.invokeAsync({ dir, name: 'named' });

    await eventually(() => lambda.idle(), { what: 'the invocation to finish' });
    expect(readFileSync(join(dir, 'named.thread'), 'utf-8')).toBe('lambda:submitAr');
    expect(readFileSync(join(dir, 'named.priority'), 'utf-8')).toBe(String(getPriority()));
  });

  it('runs the bundle with the function environment plus the local endpoints, and the memory size the template gives', async () => {
    const lambda = start();

    lambda.invokeAsync({ dir, name: 'ok' });

    await eventually(() => lambda.idle(), { what: 'the invocation to finish' });
    expect(calls('ok')).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'ok.env'), 'utf-8'))).toEqual({
      own: 'from-template',
      added: 'http://127.0.0.1:1',
      fn: 'test-fn',
      memory: '256',
    });
  });

  it('retries a failing invocation and succeeds on the second retry', async () => {
    const lambda = start();

    lambda.invokeAsync({ dir, name: 'flaky', failTimes: 2 });

    await eventually(() => lambda.idle(), { what: 'the retries' });
    expect(calls('flaky')).toBe(3);
    expect(lambda.counts).toMatchObject({ invocations: 3, errors: 2, retries: 2, deadLettered: 0 });
    // Lambda keeps the request id across the retries of one asynchronous invocation.
    const ids = readFileSync(join(dir, 'flaky.ids'), 'utf-8').trim().split('\n');
    expect(new Set(ids).size).toBe(1);
    expect(ids).toHaveLength(3);
    expect(lambda.deadLetters()).toEqual([]);
  });

  it("sends an invocation that fails three times to the failure destination, with Lambda's record", async () => {
    const lambda = start();
    const event = { dir, name: 'broken', failTimes: 99 };

    lambda.invokeAsync(event);

    await eventually(() => lambda.idle(), { what: 'the retries to run out' });
    const [record] = lambda.deadLetters();
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: {
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: event,
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorType: 'TypeError', errorMessage: 'failing call 3' },
    });
    expect(calls('broken')).toBe(3);
  });

  it('times out an invocation that runs past the function timeout, and retries it', async () => {
    const lambda = start({ timeoutS: 0.2, maximumRetryAttempts: 0 });

    lambda.invokeAsync({ dir, name: 'slow', hangMs: 2000 });

    await eventually(() => lambda.idle(), { what: 'the timeout' });
    expect(lambda.deadLetters()[0]).toMatchObject({ responsePayload: { errorType: 'Sandbox.Timedout' } });
  });

  it("stops a timed-out invocation's environment before its retry runs, as Lambda stops the sandbox", async () => {
    // A second: the retry runs in a new environment, and its stand-in takes a moment of its own.
    const lambda = start({ timeoutS: 1, maximumRetryAttempts: 1 });

    lambda.invokeAsync({ dir, name: 'forever', tickForever: true });
    lambda.invokeAsync({ dir, name: 'bystander' });

    await eventually(() => lambda.idle(), { what: 'the retry to succeed' });
    const times = (suffix: string) =>
      readFileSync(join(dir, `forever${suffix}`), 'utf-8')
        .trim()
        .split('\n')
        .map(Number);
    const [, retryStart] = times('.starts');
    expect(calls('forever')).toBe(2);
    expect(times('.ticks').length).toBeGreaterThan(0);
    // Not one tick of the timed-out attempt once its retry had started.
    expect(times('.ticks').filter((t) => t > (retryStart ?? 0))).toEqual([]);
    expect(calls('bystander')).toBeGreaterThanOrEqual(1);
    expect(lambda.counts.deadLettered).toBe(0);
  });

  it('runs no more invocations at once than the function reserves; the others wait their turn', async () => {
    const lambda = start({ reservedConcurrency: 1 });

    lambda.invokeAsync({ dir, name: 'first', hangMs: 500 });
    lambda.invokeAsync({ dir, name: 'second', hangMs: 500 });

    await eventually(() => lambda.idle(), { what: 'both invocations' });
    const finishedAt = (name: string) => Number(readFileSync(join(dir, `${name}.starts`), 'utf-8').trim());
    // Each waits 500 ms before it records its time: one at a time, they end at least 500 ms apart.
    expect(Math.abs(finishedAt('second') - finishedAt('first'))).toBeGreaterThanOrEqual(500);
    expect(lambda.counts).toMatchObject({ invocations: 2, errors: 0 });
  });

  it('keeps queued invocations across a restart', async () => {
    const first = start();
    first.invokeAsync({ dir, name: 'survivor', hangMs: 10_000 });
    await eventually(() => calls('survivor') === 1, { what: 'the first attempt to start' });
    await first.close();

    const second = start();

    await eventually(() => second.idle(), { timeoutMs: 15_000, what: 'the replayed invocation' });
    expect(calls('survivor')).toBe(2);
  }, 20_000);
});
