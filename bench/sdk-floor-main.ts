/**
 * npm run bench:sdk-floor -- [--calls 2000] [--runs 3] [--out bench-results]
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
 * Writes bench-results/sdk-floor.json (docs/benchmarks.md, `npm run bench:sdk-floor`).
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { InvokeEndpointAsyncCommand } from '@aws-sdk/client-sagemaker-runtime';
import { PublishCommand } from '@aws-sdk/client-sns';
import { Readable } from 'node:stream';
import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { DynamoItems } from '../adapters/dynamo-items';
import { makeClients, type ClientBase, type Clients } from '../adapters/clients';
import { keyphrases } from '../core/trends/keyphrases';
import { parseStat, TICK_MS } from './cpu-usage';

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

/** The server's program (`node -e`): the fixed replies on a free port, which it prints. */
const SERVER = `
const http = require('node:http');
const fixedReply = ${fixedReply.toString()};
const fixed = ${JSON.stringify(FIXED)};
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const reply = fixedReply(req.method, req.url, req.headers, Buffer.concat(chunks).toString(), fixed);
    res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
    res.end(reply.body);
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

type Call = { name: string; make: (c: Clients) => Promise<unknown> };

/** The article's ledger row, through the ledger's own per-article client (adapters/dynamo-items.ts). */
const row = (c: Clients) => {
  const items = DynamoItems.for(c.dynamo);
  const key = { TableName: 'ledger', Key: { articleId: ROW.articleId } };
  return {
    get: () => items.get({ ...key, ConsistentRead: true }),
    update: (input: Omit<UpdateCommandInput, 'TableName' | 'Key'>) => items.update({ ...key, ...input }),
  };
};

/** The nine calls of one plain-text article, in the order the functions make them. */
export const ARTICLE_CALLS: Call[] = [
  {
    name: 'submit: GetObject (the article)',
    make: async (c) => {
      const got = await c.s3.send(new GetObjectCommand({ Bucket: 'bucket', Key: ROW.key }));
      return got.Body?.transformToString();
    },
  },
  {
    name: 'submit: PutItem (the claim)',
    make: (c) =>
      DynamoItems.for(c.dynamo).put({
        TableName: 'ledger',
        Item: { articleId: ROW.articleId, key: ROW.key, state: 'QUEUED', receivedAt: ROW.receivedAt, batch: ROW.batch, attempt: 1 },
        ConditionExpression: 'attribute_not_exists(articleId) OR #s = :queued AND receivedAt < :stale',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':queued': 'QUEUED', ':stale': '2026-12-07T18:00:00.000Z' },
      }),
  },
  {
    name: 'submit: PutObject (the model request)',
    make: (c) =>
      c.s3.send(
        new PutObjectCommand({
          Bucket: 'bucket',
          Key: `requests/${ROW.inferenceId}.json`,
          Body: JSON.stringify({ inputs: ARTICLE }),
          ContentType: 'application/json',
        }),
      ),
  },
  {
    name: 'submit: InvokeEndpointAsync',
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
    make: (c) =>
      row(c).update({
        UpdateExpression: 'SET inferenceId = :i, submittedAt = :t, title = :title, publishedDay = :day, keyphrases = :k',
        ConditionExpression: '#s = :queued AND attribute_not_exists(inferenceId)',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: {
          ':i': ROW.inferenceId,
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
    make: (c) => row(c).get(),
  },
  {
    name: 'record: UpdateItem (the outcome, event pending)',
    make: (c) =>
      row(c).update({
        UpdateExpression: 'SET #s = :done, completedAt = :t, summary = :summary, finishId = :f, eventPendingSince = :t',
        ConditionExpression: '#s = :queued AND inferenceId = :i',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: {
          ':done': 'COMPLETED',
          ':t': ROW.receivedAt,
          ':summary': SUMMARY,
          ':f': 'finish-1',
          ':queued': 'QUEUED',
          ':i': ROW.inferenceId,
        },
        ReturnValues: 'ALL_NEW',
      }),
  },
  {
    name: 'record: Publish (the article event)',
    make: (c) =>
      c.sns.send(
        new PublishCommand({
          TopicArn: 'arn:aws:sns:us-east-1:000000000000:research-summarizer-dev-article-events',
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
    make: (c) =>
      row(c).update({
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

/** Mean µs of CPU per call of each kind: the caller's, and the server's when there is one. */
export const measureCalls = async (
  clients: Clients,
  calls: number,
  server?: ChildProcess,
): Promise<{ caller: number; server?: number }[]> => {
  const out: { caller: number; server?: number }[] = [];
  for (const call of ARTICLE_CALLS) {
    for (let i = 0; i < Math.ceil(calls / 4); i++) await call.make(clients);
    const serverBefore = server ? childCpuUs(server) : 0;
    const before = processCpuUs();
    for (let i = 0; i < calls; i++) await call.make(clients);
    const caller = (processCpuUs() - before) / calls;
    out.push(server ? { caller, server: (childCpuUs(server) - serverBefore) / calls } : { caller });
  }
  return out;
};

export const startServer = async (): Promise<{ child: ChildProcess; url: string }> => {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
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

const main = async () => {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '2000' },
      runs: { type: 'string', default: '3' },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const calls = Number(values.calls);
  const server = await startServer();
  const runs: { run: number; sdkAlone: number[]; withHttp: number[]; server: number[]; keyphrases: number }[] = [];
  try {
    for (let run = 1; run <= Number(values.runs); run++) {
      // Every client makeClients builds takes what is in its base, the in-memory handler too.
      const alone = makeClients({ ...base('http://127.0.0.1:9'), requestHandler: inMemory } as ClientBase, { forcePathStyle: true });
      const sdkAlone = (await measureCalls(alone, calls)).map((m) => m.caller);
      const http = makeClients(base(server.url), { forcePathStyle: true });
      const measured = await measureCalls(http, calls, server.child);
      runs.push({
        run,
        sdkAlone,
        withHttp: measured.map((m) => m.caller),
        server: measured.map((m) => m.server ?? 0),
        keyphrases: keyphrasesUs(5),
      });
      for (const c of [alone, http]) {
        c.s3.destroy();
        c.rawDynamo.destroy();
        c.sagemaker.destroy();
        c.sns.destroy();
      }
      const last = runs[runs.length - 1]!;
      say(`run ${run}`);
      ARTICLE_CALLS.forEach((call, i) =>
        say(
          `  ${call.name.padEnd(48)} SDK alone ${last.sdkAlone[i]!.toFixed(0).padStart(5)} µs | caller with HTTP ${last.withHttp[i]!.toFixed(0).padStart(5)} µs | server ${last.server[i]!.toFixed(0).padStart(4)} µs`,
        ),
      );
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / 1000;
      say(
        `  per article: SDK alone ${sum(last.sdkAlone).toFixed(2)} ms, caller with HTTP ${sum(last.withHttp).toFixed(2)} ms, server ${sum(last.server).toFixed(2)} ms; key phrases ${(last.keyphrases / 1000).toFixed(2)} ms; floor ${(sum(last.withHttp) + sum(last.server) + last.keyphrases / 1000).toFixed(2)} ms`,
      );
    }
  } finally {
    server.child.kill();
  }
  const out = resolve(projectRoot, values.out);
  mkdirSync(out, { recursive: true });
  const file = join(out, 'sdk-floor.json');
  writeFileSync(
    file,
    `${JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model }, calls, names: ARTICLE_CALLS.map((c) => c.name), runs }, null, 2)}\n`,
  );
  say(`wrote ${file}`);
};

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:sdk-floor: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
