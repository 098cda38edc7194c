/**
 * npm run bench:sdk-floor -- [--calls 2000] [--runs 3] [--local-cloud] [--out bench-results]
 * The least CPU an article can cost the local cloud with its nine service calls, whatever the
 * emulators behind them do: each call the functions make for one plain-text article, made with the
 * functions' own clients (adapters/clients.ts, adapters/dynamo-items.ts) against a server in a process
 * of its own that answers every request at once with a fixed, valid reply. Three figures per call, in
 * µs of CPU, warm (the mean over `--calls` after a quarter as many to warm up):
 *   - the SDK alone: the client with an HTTP handler that answers in memory (no socket);
 *   - the caller with HTTP: the client as the functions run it, over a keep-alive connection;
 *   - the server: the fixed reply's process, per request (a floor for any emulator: it parses the
 *     request and writes the reply, nothing more).
 * And the key phrases of a sample article (core/trends/keyphrases.ts), which submit-article computes.
 * With --local-cloud, the same calls (but InvokeEndpointAsync) also go to a local cloud of their own
 * (`npm start`'s program, started for the run), one at a time, each article's on a row of its own:
 * the caller's CPU per call there, and each part's as bench:burst splits them (main thread, other
 * threads, dynalite), less what each uses idle; and the caller against the fixed replies sent 2 ms
 * late, which shows what waiting alone costs it.
 * Writes bench-results/sdk-floor.json (docs/benchmarks.md, `npm run bench:sdk-floor`).
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { InvokeEndpointAsyncCommand } from '@aws-sdk/client-sagemaker-runtime';
import { PublishCommand } from '@aws-sdk/client-sns';
import { Readable } from 'node:stream';
import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { DynamoItems } from '../adapters/dynamo-items';
import { makeClients, type ClientBase, type Clients } from '../adapters/clients';
import { keyphrases } from '../core/trends/keyphrases';
import type { Endpoints } from '../local/types';
import { cloudProcessArgs, endpointsOnceUp } from './cloud-process';
import { cpuUsage, parseStat, TICK_MS } from './cpu-usage';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const say = (line: string) => process.stdout.write(`${line}\n`);
const projectRoot = resolve(__dirname, '..', '..');

const ARTICLE = 'An article of a few paragraphs. '.repeat(100);
const SUMMARY = 'A summary of the article. '.repeat(12);
const ROW = {
  articleId: 'bench/input/article-000001.txt',
  key: 'input/article-000001.txt',
  state: 'QUEUED',
  receivedAt: '2026-12-07T19:00:00.000Z',
  batch: 'bench',
  attempt: 1,
  inferenceId: 'a1b2c3d4-0000-4000-8000-000000000001',
  title: 'A title of about sixty characters for the article being read',
  publishedDay: '2026-12-07',
  keyphrases: ['heat pump', 'energy use', 'grid'],
};
const OUTPUT_LOCATION = 's3://bucket/output/0b0d6f0a-5a4f-4d4e-8f8e-2b2b8f1c3a77.out';
/** What the fixed replies say, passed to them: the server process gets fixedReply's source and these as JSON. */
const FIXED = { articleId: ROW.articleId, inferenceId: ROW.inferenceId, outputLocation: OUTPUT_LOCATION, article: ARTICLE };

/**
 * The fixed replies, by what the request asks for: each one what the service would answer. It uses
 * nothing from outside but `fixed`, so its source runs as it is in the server's process.
 */
export const fixedReply = (
  method: string,
  path: string,
  headers: Record<string, string | undefined>,
  body: string,
  fixed: typeof FIXED,
) => {
  const target = headers['x-amz-target'] ?? '';
  const json = (value: unknown) => ({
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: JSON.stringify(value),
  });
  if (target.endsWith('.GetItem'))
    return json({ Item: { articleId: { S: fixed.articleId }, state: { S: 'QUEUED' }, attempt: { N: '1' } } });
  if (target.endsWith('.UpdateItem')) return json(/ALL_NEW/.test(body) ? { Attributes: { articleId: { S: fixed.articleId } } } : {});
  if (target.startsWith('DynamoDB_')) return json({});
  if (path.includes('/async-invocations')) {
    return {
      status: 202,
      headers: {
        'content-type': 'application/json',
        'x-amzn-sagemaker-outputlocation': fixed.outputLocation,
        'x-amzn-sagemaker-failurelocation': fixed.outputLocation.replace('.out', '-error.out'),
      },
      body: JSON.stringify({ InferenceId: fixed.inferenceId }),
    };
  }
  if (method === 'POST' && /Action=Publish/.test(body)) {
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>0b0d6f0a-5a4f-4d4e-8f8e-2b2b8f1c3a77</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>',
    };
  }
  if (method === 'GET') {
    return {
      status: 200,
      headers: {
        'content-type': 'text/plain',
        etag: '"0123456789abcdef0123456789abcdef"',
        'last-modified': 'Mon, 07 Dec 2026 19:00:00 GMT',
      },
      body: fixed.article,
    };
  }
  return { status: 200, headers: { etag: '"0123456789abcdef0123456789abcdef"' }, body: '' };
};

/**
 * The server's program (`node -e`): the fixed replies on a free port, which it prints; each reply
 * after the delay in ms it is given, if any.
 */
const SERVER = `
const http = require('node:http');
const delayMs = Number(process.argv[1] || 0);
const fixedReply = ${fixedReply.toString()};
const fixed = ${JSON.stringify(FIXED)};
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const reply = fixedReply(req.method, req.url, req.headers, Buffer.concat(chunks).toString(), fixed);
    const send = () => {
      res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
      res.end(reply.body);
    };
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.on('disconnect', () => process.exit(0));
`;

/** The part of a request the in-memory handler reads (the SDK's HttpRequest). */
interface SignedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * An HTTP handler that answers from fixedReply in memory: the SDK's own cost, with no socket. Its
 * response is the SDK's HttpResponse shape (a status, headers and a stream), which the SDK checks
 * by shape, not by class.
 */
const utf8 = new TextDecoder();

export const inMemory = {
  handle: async (request: SignedRequest) => {
    // JSON bodies are a Uint8Array with string methods that warn when used: decoded as bytes.
    const body = typeof request.body === 'string' ? request.body : request.body ? utf8.decode(request.body as Uint8Array) : '';
    const reply = fixedReply(request.method, request.path, request.headers, body, FIXED);
    return { response: { statusCode: reply.status, headers: reply.headers, body: Readable.from([Buffer.from(reply.body)]) } };
  },
  updateHttpClientConfig: () => undefined,
  httpHandlerConfigs: () => ({}),
};

/** Where the calls go: the fixed replies take any names; a local cloud's are its own. */
export interface Target {
  bucket: string;
  /** The article GetObject reads: not under the input prefix in a local cloud, where it would start the pipeline. */
  articleKey: string;
  table: string;
  topicArn: string;
}

const FIXED_TARGET: Target = {
  bucket: 'bucket',
  articleKey: ROW.key,
  table: 'ledger',
  topicArn: 'arn:aws:sns:us-east-1:000000000000:research-summarizer-dev-article-events',
};

/**
 * One call of an article. `i` numbers the article, so each round's conditional writes find the row
 * that round's earlier calls made. `localCloud: false`: its work is not over when the call returns
 * (InvokeEndpointAsync queues a model run, its output and notification, and record-result).
 */
type Call = { name: string; make: (c: Clients, at?: Target, i?: number) => Promise<unknown>; localCloud?: false };

const articleId = (i: number) => ROW.articleId.replace('000001', String(i).padStart(6, '0'));
const inferenceId = (i: number) => `${ROW.inferenceId.slice(0, -6)}${String(i).padStart(6, '0')}`;

/** The article's ledger row, through the ledger's own per-article client (adapters/dynamo-items.ts). */
const row = (c: Clients, at: Target, i: number) => {
  const items = DynamoItems.for(c.dynamo);
  const key = { TableName: at.table, Key: { articleId: articleId(i) } };
  return {
    get: () => items.get({ ...key, ConsistentRead: true }),
    update: (input: Omit<UpdateCommandInput, 'TableName' | 'Key'>) => items.update({ ...key, ...input }),
  };
};

/** The nine calls of one plain-text article, in the order the functions make them. */
export const ARTICLE_CALLS: Call[] = [
  {
    name: 'submit: GetObject (the article)',
    make: async (c, at = FIXED_TARGET) => {
      const got = await c.s3.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.articleKey }));
      return got.Body?.transformToString();
    },
  },
  {
    name: 'submit: PutItem (the claim)',
    make: (c, at = FIXED_TARGET, i = 1) =>
      DynamoItems.for(c.dynamo).put({
        TableName: at.table,
        Item: { articleId: articleId(i), key: ROW.key, state: 'QUEUED', receivedAt: ROW.receivedAt, batch: ROW.batch, attempt: 1 },
        ConditionExpression: 'attribute_not_exists(articleId) OR #s = :queued AND receivedAt < :stale',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':queued': 'QUEUED', ':stale': '2026-12-07T18:00:00.000Z' },
      }),
  },
  {
    name: 'submit: PutObject (the model request)',
    make: (c, at = FIXED_TARGET, i = 1) =>
      c.s3.send(
        new PutObjectCommand({
          Bucket: at.bucket,
          Key: `requests/${inferenceId(i)}.json`,
          Body: JSON.stringify({ inputs: ARTICLE }),
          ContentType: 'application/json',
        }),
      ),
  },
  {
    name: 'submit: InvokeEndpointAsync',
    localCloud: false,
    make: (c) =>
      c.sagemaker.send(
        new InvokeEndpointAsyncCommand({
          EndpointName: 'research-summarizer-dev',
          InferenceId: ROW.inferenceId,
          InputLocation: `s3://bucket/requests/${ROW.inferenceId}.json`,
          ContentType: 'application/json',
          RequestTTLSeconds: 21600,
          InvocationTimeoutSeconds: 900,
        }),
      ),
  },
  {
    name: 'submit: UpdateItem (submitted)',
    make: (c, at = FIXED_TARGET, i = 1) =>
      row(c, at, i).update({
        UpdateExpression: 'SET inferenceId = :i, submittedAt = :t, title = :title, publishedDay = :day, keyphrases = :k',
        ConditionExpression: '#s = :queued AND attribute_not_exists(inferenceId)',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: {
          ':i': inferenceId(i),
          ':t': ROW.receivedAt,
          ':title': ROW.title,
          ':day': ROW.publishedDay,
          ':k': ROW.keyphrases,
          ':queued': 'QUEUED',
        },
      }),
  },
  {
    name: 'record: GetItem (the row)',
    make: (c, at = FIXED_TARGET, i = 1) => row(c, at, i).get(),
  },
  {
    name: 'record: UpdateItem (the outcome, event pending)',
    make: (c, at = FIXED_TARGET, i = 1) =>
      row(c, at, i).update({
        UpdateExpression: 'SET #s = :done, completedAt = :t, summary = :summary, finishId = :f, eventPendingSince = :t',
        ConditionExpression: '#s = :queued AND inferenceId = :i',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: {
          ':done': 'COMPLETED',
          ':t': ROW.receivedAt,
          ':summary': SUMMARY,
          ':f': 'finish-1',
          ':queued': 'QUEUED',
          ':i': inferenceId(i),
        },
        ReturnValues: 'ALL_NEW',
      }),
  },
  {
    name: 'record: Publish (the article event)',
    make: (c, at = FIXED_TARGET) =>
      c.sns.send(
        new PublishCommand({
          TopicArn: at.topicArn,
          MessageStructure: 'json',
          Message: JSON.stringify({ default: JSON.stringify({ ...ROW, state: 'COMPLETED', summary: SUMMARY }), email: SUMMARY }),
          MessageAttributes: {
            state: { DataType: 'String', StringValue: 'COMPLETED' },
            batch: { DataType: 'String', StringValue: ROW.batch },
          },
        }),
      ),
  },
  {
    name: 'record: UpdateItem (event sent)',
    make: (c, at = FIXED_TARGET, i = 1) =>
      row(c, at, i).update({
        UpdateExpression: 'REMOVE eventPendingSince',
        ConditionExpression: 'finishId = :f',
        ExpressionAttributeValues: { ':f': 'finish-1' },
      }),
  },
];

export const base = (endpoint: string) => ({
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const processCpuUs = () => {
  const used = process.cpuUsage();
  return used.user + used.system;
};
const childCpuUs = (child: ChildProcess) => parseStat(readFileSync(`/proc/${child.pid}/stat`, 'utf8')).ticks * TICK_MS * 1000;

/** µs of CPU each part of what answers the calls has used so far (a server process, the local cloud's parts). */
export type PartsReading = () => Record<string, number>;

export interface CallFigures {
  /** µs of CPU per call in the caller (this process). */
  caller: number;
  /** µs of CPU per call in each part that answered it. */
  parts: Record<string, number>;
  /** Real time the measured calls took, in ms. */
  wallMs: number;
}

/**
 * Mean µs of CPU per call of each kind in `list`: the caller's, and each part's from `parts`. The
 * measured calls number their articles from `first`, the warm-up ones (a quarter as many) after them.
 */
export const measureCalls = async (
  clients: Clients,
  calls: number,
  { parts = () => ({}), at, list = ARTICLE_CALLS, first = 1 }: { parts?: PartsReading; at?: Target; list?: Call[]; first?: number } = {},
): Promise<CallFigures[]> => {
  const out: CallFigures[] = [];
  for (const call of list) {
    for (let i = 0; i < Math.ceil(calls / 4); i++) await call.make(clients, at, first + calls + i);
    const partsBefore = parts();
    const began = performance.now();
    const before = processCpuUs();
    for (let i = 0; i < calls; i++) await call.make(clients, at, first + i);
    const caller = (processCpuUs() - before) / calls;
    const wallMs = performance.now() - began;
    const after = parts();
    out.push({
      caller,
      parts: Object.fromEntries(Object.keys(after).map((k) => [k, (after[k]! - (partsBefore[k] ?? 0)) / calls])),
      wallMs,
    });
  }
  return out;
};

export const startServer = async (delayMs = 0): Promise<{ child: ChildProcess; url: string }> => {
  const child = spawn(process.execPath, ['-e', SERVER, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise<string>((done, fail) => {
    child.stdout?.once('data', (chunk: Buffer) => done(chunk.toString().trim()));
    child.once('exit', (code) => fail(new Error(`the fixed-reply server exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
};

/** Key phrases of the sample articles, µs of CPU per article (after five passes to warm up). */
const keyphrasesUs = (rounds: number): number => {
  const dir = join(projectRoot, 'samples');
  const texts = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
  for (let r = 0; r < 5; r++) for (const text of texts) keyphrases(text);
  const before = processCpuUs();
  for (let r = 0; r < rounds; r++) for (const text of texts) keyphrases(text);
  return (processCpuUs() - before) / (rounds * texts.length);
};

/** The calls made against a local cloud: all but those whose work goes on after they return. */
export const LOCAL_CLOUD_CALLS = ARTICLE_CALLS.filter((c) => c.localCloud !== false);

/** A local cloud's bucket, table and topic (the template's), and an article outside the input prefix. */
export const localTarget = (endpoints: Pick<Endpoints, 'bucket' | 'table'>): Target => ({
  ...FIXED_TARGET,
  bucket: endpoints.bucket,
  table: endpoints.table,
  articleKey: 'bench/sdk-floor/article.txt',
});

/** A local cloud of its own (`npm start`'s program, the built CLI) on a free port, with the stand-in model. */
interface ChildCloud {
  pid: number;
  target: Target;
  edgeUrl: string;
  stop(): Promise<void>;
}

const startLocalCloud = async (): Promise<ChildCloud> => {
  const stateDir = mkdtempSync(join(tmpdir(), 'rs-sdk-floor-'));
  const args = cloudProcessArgs(projectRoot, stateDir);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGINT'); // as Ctrl-C stops `npm start`
      await exited;
    }
    rmSync(stateDir, { recursive: true, force: true });
  };
  const endpoints = await endpointsOnceUp(stateDir, { timeoutMs: 120_000, gone: () => child.exitCode !== null });
  if (endpoints && child.pid !== undefined) return { pid: child.pid, target: localTarget(endpoints), edgeUrl: endpoints.edgeUrl, stop };
  await stop();
  throw new Error(`the local cloud did not start within 120 s (exit code ${child.exitCode})`);
};

/** The local cloud's parts, as bench:burst splits them (bench/cpu-usage.ts), in µs. */
const localParts =
  (pid: number): PartsReading =>
  () => {
    const usage = cpuUsage('/proc', pid);
    if (!usage) throw new Error(`the local cloud's process ${pid} is gone`);
    return Object.fromEntries(Object.entries(usage).map(([part, ms]) => [part, ms * 1000]));
  };

/**
 * The same calls against a running local cloud, InvokeEndpointAsync left out (its work goes on after
 * it returns). What each part uses while idle, measured for `idleMs` before, is taken off.
 */
const measureLocalCloud = async (cloud: ChildCloud, calls: number, first: number, idleMs = 3000): Promise<CallFigures[]> => {
  const clients = makeClients(base(cloud.edgeUrl), { forcePathStyle: true });
  try {
    await clients.s3.send(new PutObjectCommand({ Bucket: cloud.target.bucket, Key: cloud.target.articleKey, Body: ARTICLE }));
    const parts = localParts(cloud.pid);
    const idleBefore = parts();
    await new Promise((done) => setTimeout(done, idleMs));
    const idleAfter = parts();
    const measured = await measureCalls(clients, calls, { parts, at: cloud.target, list: LOCAL_CLOUD_CALLS, first });
    return measured.map((m) => ({
      ...m,
      parts: Object.fromEntries(
        Object.entries(m.parts).map(([k, v]) => [k, Math.max(0, v - ((idleAfter[k]! - idleBefore[k]!) * m.wallMs) / idleMs / calls)]),
      ),
    }));
  } finally {
    destroyAll(clients);
  }
};

/** Closes every client of `c` (their sockets). */
export const destroyAll = (c: Clients) => [c.s3, c.rawDynamo, c.sagemaker, c.sns].forEach((client) => client.destroy());
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / 1000;
const us = (n: number | undefined, width = 5) => (n ?? 0).toFixed(0).padStart(width);

interface Run {
  run: number;
  sdkAlone: number[];
  withHttp: number[];
  server: number[];
  keyphrases: number;
  /** Per call, µs: the caller with HTTP when each reply comes SLOW_REPLY_MS late (with --local-cloud). */
  withSlowReplies?: number[];
  /** Per call of `localCloudNames`, µs: the caller and each part of the local cloud. */
  localCloud?: { caller: number; parts: Record<string, number> }[];
}

/**
 * A local cloud answers a call in milliseconds, not microseconds: the same fixed replies, each sent
 * this much later, show what waiting alone costs the caller (its thread sleeps and wakes once more
 * per call, and finds its caches cold).
 */
const SLOW_REPLY_MS = 2;

const main = async () => {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '2000' },
      runs: { type: 'string', default: '3' },
      out: { type: 'string', default: 'bench-results' },
      'local-cloud': { type: 'boolean', default: false },
    },
  });
  const calls = Number(values.calls);
  const server = await startServer();
  const cloud = values['local-cloud'] ? await startLocalCloud() : undefined;
  const slowServer = cloud ? await startServer(SLOW_REPLY_MS) : undefined;
  const localNames = LOCAL_CLOUD_CALLS.map((c) => c.name);
  const runs: Run[] = [];
  try {
    for (let run = 1; run <= Number(values.runs); run++) {
      // Every client makeClients builds takes what is in its base, the in-memory handler too.
      const alone = makeClients({ ...base('http://127.0.0.1:9'), requestHandler: inMemory } as ClientBase, { forcePathStyle: true });
      const sdkAlone = (await measureCalls(alone, calls)).map((m) => m.caller);
      const http = makeClients(base(server.url), { forcePathStyle: true });
      const measured = await measureCalls(http, calls, { parts: () => ({ server: childCpuUs(server.child) }) });
      destroyAll(alone);
      destroyAll(http);
      let withSlowReplies: number[] | undefined;
      if (slowServer) {
        const slow = makeClients(base(slowServer.url), { forcePathStyle: true });
        withSlowReplies = (await measureCalls(slow, calls)).map((m) => m.caller);
        destroyAll(slow);
      }
      const local = cloud ? await measureLocalCloud(cloud, calls, run * 10 * calls) : undefined;
      runs.push({
        run,
        sdkAlone,
        withHttp: measured.map((m) => m.caller),
        server: measured.map((m) => m.parts.server ?? 0),
        keyphrases: keyphrasesUs(5),
        ...(withSlowReplies ? { withSlowReplies } : {}),
        ...(local ? { localCloud: local.map(({ caller, parts }) => ({ caller, parts })) } : {}),
      });
      const last = runs[runs.length - 1]!;
      say(`run ${run}`);
      const slowColumn = (i: number) =>
        last.withSlowReplies ? ` | caller, replies ${SLOW_REPLY_MS} ms late ${us(last.withSlowReplies[i])} µs` : '';
      ARTICLE_CALLS.forEach((call, i) =>
        say(
          `  ${call.name.padEnd(48)} SDK alone ${us(last.sdkAlone[i])} µs | caller with HTTP ${us(last.withHttp[i])} µs | server ${us(last.server[i], 4)} µs${slowColumn(i)}`,
        ),
      );
      say(
        `  per article: SDK alone ${sum(last.sdkAlone).toFixed(2)} ms, caller with HTTP ${sum(last.withHttp).toFixed(2)} ms, server ${sum(last.server).toFixed(2)} ms; key phrases ${(last.keyphrases / 1000).toFixed(2)} ms; floor ${(sum(last.withHttp) + sum(last.server) + last.keyphrases / 1000).toFixed(2)} ms`,
      );
      if (last.withSlowReplies)
        say(`  the caller with replies ${SLOW_REPLY_MS} ms late: ${sum(last.withSlowReplies).toFixed(2)} ms per article`);
      if (last.localCloud) {
        say('  against a local cloud (µs of CPU per call: caller | main thread, other threads, DynamoDB | fixed server):');
        const floorOf = (name: string) => {
          const i = ARTICLE_CALLS.findIndex((c) => c.name === name);
          return (last.withHttp[i] ?? 0) + (last.server[i] ?? 0);
        };
        last.localCloud.forEach((m, i) => {
          const name = localNames[i]!;
          const p = m.parts;
          const total = m.caller + Object.values(p).reduce((a, b) => a + b, 0);
          say(
            `  ${name.padEnd(48)} ${us(m.caller)} | ${us(p.mainThread)} ${us(p.otherThreads)} ${us(p.dynamodb)} = ${us(total)} µs | against the fixed server ${us(floorOf(name))} µs`,
          );
        });
        const part = (k: string) => sum(last.localCloud!.map((m) => m.parts[k] ?? 0));
        const caller = sum(last.localCloud.map((m) => m.caller));
        const rest = part('functions') + part('models');
        const total = caller + part('mainThread') + part('otherThreads') + part('dynamodb') + rest;
        say(
          `  per article, ${localNames.length} calls: caller ${caller.toFixed(2)} ms, main thread ${part('mainThread').toFixed(2)}, other threads ${part('otherThreads').toFixed(2)}, DynamoDB ${part('dynamodb').toFixed(2)}, functions and models ${rest.toFixed(2)} = ${total.toFixed(2)} ms; the same calls against the fixed server ${sum(localNames.map(floorOf)).toFixed(2)} ms`,
        );
      }
    }
  } finally {
    server.child.kill();
    slowServer?.child.kill();
    await cloud?.stop();
  }
  const out = resolve(projectRoot, values.out);
  mkdirSync(out, { recursive: true });
  const file = join(out, 'sdk-floor.json');
  writeFileSync(
    file,
    `${JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model }, calls, names: ARTICLE_CALLS.map((c) => c.name), ...(cloud ? { slowReplyMs: SLOW_REPLY_MS, localCloudNames: localNames } : {}), runs }, null, 2)}\n`,
  );
  say(`wrote ${file}`);
};

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:sdk-floor: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
