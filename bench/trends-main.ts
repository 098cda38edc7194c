/**
 * npm run bench:trends -- [--rows 100000] [--days 365] [--out bench-results]
 * How `npm run trends` reads a large ledger: rows spread over a year of published days in dynalite
 * (in memory, the template's table), then a week by day, a quarter by week and a year by month, each
 * counted in Query calls and items read (never a Scan). Also the cost of key phrases for a 1 MB article,
 * what submit-article adds per upload. Writes bench-results/trends.json.
 */

import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { runTrends } from '../cli/read-trends';
import type { TrendsQuery } from '../core/trends/query';
import { keyphrases, titleOf } from '../core/trends/keyphrases';
import { ensureTable } from '../local/dynamodb/tables';
import { readStackConfig } from '../local/template/stack-config';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const say = (line: string) => process.stdout.write(`${line}\n`);
const projectRoot = resolve(__dirname, '..', '..');

/** A Zipf-like draw over `n` phrases, deterministic per seed (Park-Miller). */
const generator = (seed: number) => {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, days: { type: 'string' }, out: { type: 'string' } } });
  const rows = Number(values.rows ?? 100_000);
  const days = Number(values.days ?? 365);
  const outDir = resolve(values.out ?? join(projectRoot, 'bench-results'));

  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const raw = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const dynamo = DynamoDBDocumentClient.from(raw);
  const table = 'ledger';
  await ensureTable(raw, { ...readStackConfig({ projectRoot }).table, TableName: table });

  // Rows: 10 phrases each from a vocabulary of 2,000 (rank r drawn with weight 1/r), a ~1,000-character summary.
  const random = generator(7);
  const vocabulary = Array.from({ length: 2_000 }, (_, i) => `topic ${i}`);
  const harmonic = vocabulary.reduce((sum, _, i) => sum + 1 / (i + 1), 0);
  const draw = () => {
    let u = random() * harmonic;
    for (let i = 0; i < vocabulary.length; i++) if ((u -= 1 / (i + 1)) <= 0) return vocabulary[i] as string;
    return vocabulary[vocabulary.length - 1] as string;
  };
  const start = Date.parse('2026-01-01T00:00:00Z');
  const lastDay = new Date(start + (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const loadStarted = Date.now();
  for (let i = 0; i < rows; i += 25) {
    const batch = Array.from({ length: Math.min(25, rows - i) }, (_, j) => {
      const n = i + j;
      const publishedDay = new Date(start + (n % days) * 86_400_000).toISOString().slice(0, 10);
      const phrases = new Set<string>();
      while (phrases.size < 10) phrases.add(draw());
      // A surge on the last day: half of its articles are about one new topic.
      if (publishedDay === lastDay && Math.floor(n / days) % 2 === 0) phrases.add('heat pump');
      return {
        PutRequest: {
          Item: {
            articleId: `bench/input/${n}.txt`,
            key: `input/${n}.txt`,
            state: 'COMPLETED',
            publishedDay,
            receivedAt: `2026-12-01T00:00:${String(n % 60).padStart(2, '0')}.${String(n).padStart(6, '0')}Z`,
            day: '2026-12-01',
            keyphrases: [...phrases],
            title: `Article ${n}`,
            summary: 'x'.repeat(1_000),
          },
        },
      };
    });
    let request: typeof batch | undefined = batch;
    while (request && request.length > 0) {
      const reply = await dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: request } }));
      request = reply.UnprocessedItems?.[table] as typeof batch | undefined;
    }
  }
  const loadMs = Date.now() - loadStarted;
  say(`loaded ${rows} rows over ${days} published days in ${(loadMs / 1000).toFixed(1)} s`);

  // Every operation the trends client sends, and the items its Queries return.
  const operations = new Map<string, number>();
  let items = 0;
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      operations.set(String(context.commandName), (operations.get(String(context.commandName)) ?? 0) + 1);
      const result = await next(args);
      items += (result.output as { Count?: number }).Count ?? 0;
      return result;
    },
    { step: 'initialize', name: 'countOperations' },
  );
  const target = { dynamo, table, inputPrefix: 'input/' };
  const cases: { name: string; query: TrendsQuery }[] = [
    {
      name: 'last week by day',
      query: {
        from: new Date(Date.parse(`${lastDay}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10),
        to: lastDay,
        by: 'day',
        top: 10,
      },
    },
    {
      name: 'last quarter by week',
      query: {
        from: new Date(Date.parse(`${lastDay}T00:00:00Z`) - 90 * 86_400_000).toISOString().slice(0, 10),
        to: lastDay,
        by: 'week',
        top: 10,
      },
    },
    { name: 'the year by month', query: { from: '2026-01-01', to: lastDay, by: 'month', top: 10 } },
  ];
  const results = [];
  for (const c of cases) {
    operations.clear();
    items = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    const began = Date.now();
    const periods = await runTrends(target, c.query);
    const ms = Date.now() - began;
    const last = periods[periods.length - 1];
    const result = {
      name: c.name,
      ...c.query,
      periods: periods.length,
      queries: operations.get('QueryCommand') ?? 0,
      otherOperations: [...operations].filter(([n]) => n !== 'QueryCommand').length,
      itemsRead: items,
      ms,
      heapGrowthMb: Math.round((process.memoryUsage().heapUsed - heapBefore) / 1e5) / 10,
      lastPeriodArticles: last?.articles,
      lastPeriodRisingFirst: last?.rising[0],
    };
    results.push(result);
    say(
      `${c.name}: ${result.periods} periods, ${result.queries} Query calls (${result.otherOperations} other operations), ${items} items read, ${ms} ms; last period ${last?.articles} articles, rising first ${JSON.stringify(last?.rising[0])}`,
    );
  }

  // Key phrases of a 1 MB article built from the sample articles (original texts, samples/README.md).
  const samples = readdirSync(join(projectRoot, 'samples'))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(join(projectRoot, 'samples', f), 'utf-8'));
  let article = '';
  while (article.length < 1_000_000) article += `${samples.join('\n\n')}\n\n`;
  keyphrases(samples[0] as string); // loads the model, as the first article of a cold start does
  const rssBefore = process.memoryUsage().rss;
  const began = Date.now();
  const title = titleOf(article);
  const phrases = keyphrases(article, title ? { title } : {});
  const phraseMs = Date.now() - began;
  const rssGrowthMb = Math.round((process.memoryUsage().rss - rssBefore) / 1e5) / 10;
  say(`key phrases of a ${article.length}-character article: ${phraseMs} ms, RSS +${rssGrowthMb} MB: ${phrases.join(' | ')}`);

  mkdirSync(outDir, { recursive: true });
  const report = {
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 1e9), node: process.version },
    rows,
    days,
    loadMs,
    trends: results,
    keyphrases: { articleChars: article.length, ms: phraseMs, rssGrowthMb, phrases },
  };
  writeFileSync(join(outDir, 'trends.json'), `${JSON.stringify(report, null, 2)}\n`);
  say(`wrote ${join(outDir, 'trends.json')}`);
  raw.destroy();
  await new Promise<void>((done) => server.close(() => done()));
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
