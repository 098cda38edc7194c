// The SDK warns about Node 20 on every client; the local cloud runs on the machine's Node, on purpose.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo } from './demo';
import { collectFiles, dropFiles } from './drop';
import { printable } from './printable';
import { runReconcile } from './reconcile';
import { formatResults, parseSince, parseState, queryLedger } from './results';
import { formatRetry, parseRetryStates, runRetry } from './retry';
import { runStart } from '../local/start';
import { awsStatusSource, localStatusSource, readStatus, statusJson, watchStatus } from './status';
import { formatStatus } from '../core/status/batch-status';
import { resolveTarget } from './target';
import { backfillBatch } from '../adapters/ledger-backfill';
import { checkedPublished, formatTrends, formatTrendsCsv, formatTrendsJson, parseTrendsQuery, runTrends } from './trends';
import { parseFaultRates } from '../local/edge/faults';
import { number, port, timeScale } from './options';
import { DEFAULTS } from '../local/defaults';
import { describeError } from '../core/errors';

/**
 * The operator's command line: `npm start`, `npm run drop`, `npm run results`, `npm run demo`; every
 * command but start and demo also works against AWS with --aws. Bundled to dist/cli/main.js by
 * scripts/build.js; run from the project root.
 */
const USAGE = `usage (every command also takes --state-dir, default .local-cloud):
  start   [--port ${DEFAULTS.port}] [--time-scale ${DEFAULTS.timeScale}] [--provisioning-delay ${DEFAULTS.provisioningDelayS}] [--model summarize|fixed] [--latency-ms 100]
          [--model-error-rate 0.1] [--model-crash-after 50] [--model-slow-rate 0.01 --model-slow-ms 5000]
          [--model-fail-start-rate 0.3] [--s3-error-rate 0.05] [--dynamodb-error-rate 0.05] [--duplicate-rate 0.05]
          (fault injection, off by default; S3/DynamoDB rates can change while running: PUT /_localcloud/faults)
  drop    <files or folders...> [--prefix sub/folder] [--published 2026-11-04] [--aws [--stage dev] [--region us-east-1]]
  results [--state COMPLETED|FAILED|REJECTED|EXPIRED|QUEUED] [--since 2026-11-26] [--json] [--aws ...]
  reconcile [--ttl 21600] [--timeout 900] [--grace 300] [--aws ...]   repair rows stuck in QUEUED past ttl + timeout + grace seconds
  retry   [--state FAILED|EXPIRED] [--aws ...]   send failed and expired articles to the endpoint again (history kept in the row)
  trends  [--from 2026-11-01] [--to 2026-11-07] [--by day|week|month] [--top 10] [--prefix sub/folder] [--json|--csv] [--aws ...]
          articles, top and rising key phrases per published day, week or month (README "Trends")
  status  [--prefix input/batch-2026-11/] [--watch] [--json] [--aws ...]   a batch's progress, ETA, endpoint and cost so far
  upgrade-ledger [--aws ...]   once after upgrading a deployed stage: rows of the previous release get their batch (README "Upgrading")
  demo    [--time-scale 30]`;

const projectRoot = resolve(__dirname, '..', '..');

const main = async (argv: string[]): Promise<number> => {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'time-scale': { type: 'string' },
      'provisioning-delay': { type: 'string' },
      model: { type: 'string' },
      'latency-ms': { type: 'string' },
      'model-error-rate': { type: 'string' },
      'model-crash-after': { type: 'string' },
      'model-slow-rate': { type: 'string' },
      'model-slow-ms': { type: 'string' },
      'model-fail-start-rate': { type: 'string' },
      's3-error-rate': { type: 'string' },
      'dynamodb-error-rate': { type: 'string' },
      'duplicate-rate': { type: 'string' },
      prefix: { type: 'string' },
      aws: { type: 'boolean' },
      stage: { type: 'string' },
      region: { type: 'string' },
      state: { type: 'string' },
      since: { type: 'string' },
      json: { type: 'boolean' },
      watch: { type: 'boolean' },
      'state-dir': { type: 'string' },
      ttl: { type: 'string' },
      timeout: { type: 'string' },
      grace: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      by: { type: 'string' },
      top: { type: 'string' },
      csv: { type: 'boolean' },
      published: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const stateDir = resolve(values['state-dir'] ?? join(projectRoot, '.local-cloud'));
  const target = () =>
    resolveTarget({
      aws: values.aws ?? false,
      ...(values.stage ? { stage: values.stage } : {}),
      ...(values.region ? { region: values.region } : {}),
      stateDir,
      projectRoot,
    });

  switch (command) {
    case 'start': {
      if (positionals.length > 0) throw new Error(`start takes no arguments; got ${JSON.stringify(positionals)}\n${USAGE}`);
      const model = values.model ?? 'summarize';
      if (values['model-slow-rate'] && !values['model-slow-ms'])
        throw new Error('--model-slow-rate needs --model-slow-ms: how much longer a slow call takes');
      if (model !== 'summarize' && model !== 'fixed') throw new Error(`--model must be summarize or fixed; got ${JSON.stringify(model)}`);
      // Fault injection for trying failure handling by hand; off unless asked for.
      const modelArgs = [
        '--mode',
        model,
        ...(values['latency-ms'] ? ['--latency-ms', values['latency-ms']] : []),
        ...(values['model-error-rate'] ? ['--error-rate', values['model-error-rate']] : []),
        ...(values['model-crash-after'] ? ['--crash-after', values['model-crash-after']] : []),
        ...(values['model-slow-rate'] ? ['--slow-rate', values['model-slow-rate']] : []),
        ...(values['model-slow-ms'] ? ['--slow-ms', values['model-slow-ms']] : []),
        ...(values['model-fail-start-rate'] ? ['--fail-start-rate', values['model-fail-start-rate']] : []),
      ];
      await runStart({
        projectRoot,
        stateDir,
        port: port(values.port, DEFAULTS.port),
        timeScale: timeScale(values['time-scale'], DEFAULTS.timeScale),
        provisioningDelayS: number(values['provisioning-delay'], 'provisioning-delay', DEFAULTS.provisioningDelayS),
        modelArgs,
        faults: parseFaultRates({
          s3: values['s3-error-rate'] ?? 0,
          dynamodb: values['dynamodb-error-rate'] ?? 0,
          duplicates: values['duplicate-rate'] ?? 0,
        }),
      });
      return 0;
    }
    case 'drop': {
      if (positionals.length === 0) throw new Error('drop needs files or folders: npm run drop -- article.txt articles/');
      const t = await target();
      const published = checkedPublished(values.published);
      const files = collectFiles(positionals, t.inputPrefix, values.prefix).map((f) => (published ? { ...f, published } : f));
      if (files.length === 0) throw new Error('no files found in the given folders');
      const failures = await dropFiles(t, files);
      const uploaded = files.filter((f) => !failures.some((x) => x.file === f));
      const bytes = uploaded.reduce((sum, f) => sum + f.bytes, 0);
      process.stdout.write(
        `uploaded ${uploaded.length} file(s), ${bytes} bytes, to s3://${t.bucket}/${t.inputPrefix} (${t.description})\n`,
      );
      for (const { file, reason } of failures) process.stderr.write(`not uploaded: ${printable(file.path)}: ${printable(reason)}\n`);
      if (uploaded.length > 0) process.stdout.write('follow them with: npm run results\n');
      return failures.length > 0 ? 1 : 0;
    }
    case 'results': {
      const query = { state: parseState(values.state), since: parseSince(values.since) };
      const t = await target();
      const rows = await queryLedger(t, { ...(query.state ? { state: query.state } : {}), ...(query.since ? { since: query.since } : {}) });
      process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatResults(rows, process.stdout.columns ?? 100)}\n`);
      return 0;
    }
    case 'reconcile': {
      const t = await target();
      const repairs = await runReconcile(t, {
        requestTtlSeconds: number(values.ttl, 'ttl', 21600),
        invocationTimeoutSeconds: number(values.timeout, 'timeout', 900),
        graceSeconds: number(values.grace, 'grace', 300),
      });
      const repaired = repairs.filter((r) => r.state !== 'skipped' && r.state !== 'error');
      for (const r of repaired) process.stdout.write(`${r.state.padEnd(9)} ${printable(r.key)}\n`);
      // A row reconcile could not repair stays QUEUED for the next run; say why and fail the command.
      const failed = repairs.flatMap((r) => (r.state === 'error' ? [r] : []));
      for (const r of failed) process.stdout.write(`${'error'.padEnd(9)} ${printable(r.key)}: ${printable(r.error)}\n`);
      process.stdout.write(
        `looked at ${repairs.length} stuck row(s), repaired ${repaired.length}${failed.length ? `, could not repair ${failed.length}` : ''} (${t.description})\n`,
      );
      return failed.length ? 1 : 0;
    }
    case 'retry': {
      const states = parseRetryStates(values.state);
      const t = await target();
      process.stdout.write(`${formatRetry(await runRetry(t, states), t.description)}\n`);
      return 0;
    }
    case 'trends': {
      if (values.json && values.csv) throw new Error('--json and --csv: choose one');
      const query = parseTrendsQuery(values, new Date().toISOString().slice(0, 10));
      const periods = await runTrends(await target(), query);
      process.stdout.write(`${values.json ? formatTrendsJson(periods) : values.csv ? formatTrendsCsv(periods) : formatTrends(periods)}\n`);
      return 0;
    }
    case 'status': {
      const t = await target();
      const source = t.endpointFigures ? await awsStatusSource(t, t.endpointFigures) : localStatusSource(stateDir, projectRoot);
      const read = () => readStatus(t, source, values.prefix);
      if (values.watch) {
        await watchStatus(read, (text) => process.stdout.write(text));
        return 0;
      }
      const status = await read();
      process.stdout.write(`${values.json ? statusJson(status) : formatStatus(status)}\n`);
      return 0;
    }
    case 'upgrade-ledger': {
      const t = await target();
      const report = await backfillBatch(t.dynamo, t.table, t.inputPrefix, (r) =>
        process.stderr.write(`scanned ${r.scanned} row(s), gave ${r.updated} their batch so far\n`),
      );
      process.stdout.write(
        `scanned ${report.scanned} row(s): ${report.updated} got their batch, ${report.skipped} had one meanwhile (${t.description})\n`,
      );
      return 0;
    }
    case 'demo':
      return (await runDemo({ projectRoot, timeScale: timeScale(values['time-scale'], 30) })) ? 0 : 1;
    default:
      throw new Error(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
  }
};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${describeError(error)}\n`);
    process.exit(1);
  },
);
