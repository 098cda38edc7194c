// node scripts/dynalite-cpu.js [--program dist/local/dynalite.js] [--baseline <other dynalite.js>]
//   [--articles 3000] [--concurrency 16] [--runs 3]
// The CPU dynalite's process spends per article on its own, without the rest of the local cloud
// competing for the cores (docs/benchmarks.md, "DynamoDB on its own"): the bundled dynalite process
// (`node scripts/build.js` makes dist/local/dynalite.js) is started as the local cloud starts it, on a
// Unix socket, with a table shaped like the ledger (key `articleId`, the four indexes); then each
// article makes the ledger's five calls of one short article: a conditional PutItem (the claim), a
// conditional UpdateItem (submitted), a consistent GetItem, a conditional UpdateItem that ends the row
// and marks its event pending, an UpdateItem that removes the mark. The figure is the process's user +
// system CPU (/proc) over the articles after 200 warm-up ones. With --baseline, runs alternate between
// the two bundles (for instance one built in a worktree of an earlier commit). Writes
// bench-results/dynalite-cpu.json.
const { Buffer } = require('node:buffer');
const { spawn } = require('node:child_process');
const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const http = require('node:http');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { parseArgs } = require('node:util');

const root = path.resolve(__dirname, '..');
const { values } = parseArgs({
  options: {
    program: { type: 'string', default: path.join(root, 'dist', 'local', 'dynalite.js') },
    baseline: { type: 'string' },
    articles: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '16' },
    runs: { type: 'string', default: '3' },
  },
});
const WARM_UP = 200;
const TABLE = 'ledger';

const include = (name, hash, range, attributes) => ({
  IndexName: name,
  KeySchema: [{ AttributeName: hash, KeyType: 'HASH' }, ...(range ? [{ AttributeName: range, KeyType: 'RANGE' }] : [])],
  Projection: attributes ? { ProjectionType: 'INCLUDE', NonKeyAttributes: attributes } : { ProjectionType: 'KEYS_ONLY' },
});
const TABLE_INPUT = {
  TableName: TABLE,
  BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [{ AttributeName: 'articleId', KeyType: 'HASH' }],
  AttributeDefinitions: ['articleId', 'state', 'receivedAt', 'publishedDay', 'batch', 'eventPendingSince'].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  })),
  GlobalSecondaryIndexes: [
    include('byState', 'state', 'receivedAt', ['key', 'batch', 'completedAt', 'summary']),
    include('byPublishedDay', 'publishedDay', 'receivedAt', ['state', 'key', 'title', 'keyphrases']),
    include('byBatch', 'batch', 'receivedAt', ['key', 'state', 'completedAt']),
    include('byPendingEvent', 'eventPendingSince'),
  ],
};

/** One dynalite process and a keep-alive client on its socket. */
const startDynalite = async (program) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rs-dynalite-cpu-'));
  const socketPath = path.join(dir, 'dynamodb.sock');
  const child = spawn(process.execPath, [program], {
    env: { PATH: process.env.PATH ?? '', DYNALITE_DIR: path.join(dir, 'db'), DYNALITE_SOCKET: socketPath },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', (code) => reject(new Error(`${program} exited with ${code} before listening`)));
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  // dynalite checks that a request is signed, not the signature.
  const call = (target, body) =>
    new Promise((resolve, reject) => {
      const data = JSON.stringify(body);
      const headers = {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(data),
        'x-amz-target': `DynamoDB_20120810.${target}`,
        'x-amz-date': '20261207T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20261207/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      };
      const req = http.request({ socketPath, method: 'POST', path: '/', agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode === 200) resolve(JSON.parse(text));
          else reject(new Error(`${target}: ${res.statusCode} ${text}`));
        });
      });
      req.on('error', reject);
      req.end(data);
    });
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, at USER_HZ 100
  };
  const stop = () => {
    agent.destroy();
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  return { call, cpuMs, stop };
};

/** The ledger's five calls for one short article, in the order the functions make them. */
const article = async (call, n) => {
  const Key = { articleId: { S: `bench/input/${n}.txt` } };
  const at = () => ({ S: new Date().toISOString() });
  const inferenceId = { S: `inference-${n}` };
  await call('PutItem', {
    TableName: TABLE,
    Item: { ...Key, key: { S: `input/${n}.txt` }, state: { S: 'QUEUED' }, receivedAt: at(), batch: { S: 'bench' }, attempt: { N: '1' } },
    ConditionExpression: 'attribute_not_exists(articleId) OR (#s = :queued AND receivedAt < :stale)',
    ExpressionAttributeNames: { '#s': 'state' },
    ExpressionAttributeValues: { ':queued': { S: 'QUEUED' }, ':stale': { S: '2000-01-01T00:00:00Z' } },
  });
  // `#s` is sent only with the expressions that use it: DynamoDB refuses an unused name.
  const update = (UpdateExpression, ConditionExpression, ExpressionAttributeValues) =>
    call('UpdateItem', {
      TableName: TABLE,
      Key,
      UpdateExpression,
      ConditionExpression,
      ...(/#s\b/.test(UpdateExpression + ConditionExpression) && { ExpressionAttributeNames: { '#s': 'state' } }),
      ExpressionAttributeValues,
    });
  await update(
    'SET inferenceId = :i, submittedAt = :t, title = :title, publishedDay = :day, keyphrases = :k',
    '#s = :queued AND attribute_not_exists(inferenceId)',
    {
      ':i': inferenceId,
      ':t': at(),
      ':title': { S: 'A title of about sixty characters for the article being read' },
      ':day': { S: '2026-12-07' },
      ':k': { L: ['heat pump', 'energy use', 'grid'].map((S) => ({ S })) },
      ':queued': { S: 'QUEUED' },
    },
  );
  await call('GetItem', { TableName: TABLE, Key, ConsistentRead: true });
  await update(
    'SET #s = :done, completedAt = :t, summary = :summary, finishId = :f, eventPendingSince = :t',
    '#s = :queued AND inferenceId = :i',
    {
      ':done': { S: 'COMPLETED' },
      ':t': at(),
      ':summary': { S: 'A summary. '.repeat(40) },
      ':f': { S: `finish-${n}` },
      ':queued': { S: 'QUEUED' },
      ':i': inferenceId,
    },
  );
  await update('REMOVE eventPendingSince', 'finishId = :f', { ':f': { S: `finish-${n}` } });
};

const measure = async (program, articles, concurrency) => {
  const dynalite = await startDynalite(program);
  try {
    await dynalite.call('CreateTable', TABLE_INPUT);
    // As on AWS, a new table takes writes once it is ACTIVE (dynalite's timer of 0 ms: a poll or two).
    while ((await dynalite.call('DescribeTable', { TableName: TABLE })).Table.TableStatus !== 'ACTIVE') {
      await sleep(10);
    }
    for (let n = 0; n < WARM_UP; n++) await article(dynalite.call, `warm-${n}`);
    const before = dynalite.cpuMs();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < articles) await article(dynalite.call, next++);
      }),
    );
    return (dynalite.cpuMs() - before) / articles;
  } finally {
    dynalite.stop();
  }
};

(async () => {
  const articles = Number(values.articles);
  const concurrency = Number(values.concurrency);
  const programs = { program: path.resolve(values.program), ...(values.baseline && { baseline: path.resolve(values.baseline) }) };
  const runs = [];
  for (let run = 1; run <= Number(values.runs); run++) {
    for (const [name, program] of Object.entries(programs)) {
      const msPerArticle = await measure(program, articles, concurrency);
      runs.push({ run, name, program, msPerArticle: Number(msPerArticle.toFixed(3)) });
      process.stdout.write(`run ${run} ${name.padEnd(8)} ${msPerArticle.toFixed(2)} ms of dynalite CPU per article (${program})\n`);
    }
  }
  const mean = (name) => {
    const of = runs.filter((r) => r.name === name).map((r) => r.msPerArticle);
    return of.length ? Number((of.reduce((a, b) => a + b, 0) / of.length).toFixed(3)) : null;
  };
  const summary = { articles, concurrency, runs, meanMsPerArticle: { program: mean('program'), baseline: mean('baseline') } };
  if (values.baseline)
    process.stdout.write(`mean: ${summary.meanMsPerArticle.program} against ${summary.meanMsPerArticle.baseline} (baseline)\n`);
  const out = path.join(root, 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'dynalite-cpu.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`wrote ${path.join(out, 'dynalite-cpu.json')}\n`);
})().catch((error) => {
  process.stderr.write(`dynalite-cpu: ${error.stack ?? error}\n`);
  process.exitCode = 1;
});
