import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runFaults, type FaultsOptions } from './faults';
import { describeError } from '../core/errors';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `npm run bench:faults -- [--articles 2000] [--time-scale 20] [--out bench-results]
  Every fault at once: 5% bad input, model 3% errors / crash every 300 calls / 1% past the 2 s
  invocation timeout / 20% failed starts, S3 and DynamoDB refusing 2% of requests, 5% of events
  delivered twice, a 300 s (simulated) request TTL.`;

const say = (line: string) => process.stdout.write(`${line}\n`);

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string' },
      'time-scale': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    say(USAGE);
    return 0;
  }
  const positive = (raw: string | undefined, name: string, fallback: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number; got ${JSON.stringify(raw)}\n${USAGE}`);
    return n;
  };
  const projectRoot = resolve(__dirname, '..', '..');
  const outDir = resolve(values.out ?? join(projectRoot, 'bench-results'));
  const options: FaultsOptions = {
    projectRoot,
    articles: positive(values.articles, 'articles', 2000),
    timeScale: positive(values['time-scale'], 'time-scale', 20),
    badInputRate: 0.05,
    edge: { s3: 0.02, dynamodb: 0.02, duplicates: 0.05 },
    model: { latencyMs: 50, errorRate: 0.03, crashAfter: 300, slowRate: 0.01, failStartRate: 0.2 },
    invocationTimeoutSeconds: 2,
    requestTtlSeconds: 300,
    timeoutMs: 1_800_000,
    onProgress: (line) => say(`  ${line}`),
  };
  say(`fault soak: ${options.articles} articles, time scale ${options.timeScale}×, every fault on`);
  const report = await runFaults(options);
  const out = {
    ...report,
    settings: { ...options, onProgress: undefined, projectRoot: undefined },
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    generatedAt: new Date().toISOString(),
    command: `npm run bench:faults -- ${process.argv.slice(2).join(' ')}`.trim(),
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'faults.json'), `${JSON.stringify(out, null, 2)}\n`);

  say('');
  say(`articles in        ${report.articles}`);
  say(`terminal rows out  ${report.terminal}`);
  say(`lost               ${report.lost}`);
  say(`duplicates         ${report.duplicates}`);
  say(
    `by state           ${Object.entries(report.byState)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}`,
  );
  say(
    `faults injected    ${Object.entries(report.injected)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}`,
  );
  say(
    `instance events    ${
      Object.entries(report.instanceEvents)
        .map(([s, n]) => `${s}: ${n}`)
        .join('; ') || 'none'
    }`,
  );
  say(`dead letters       ${report.deadLetters}`);
  say('why not completed:');
  for (const [reason, n] of Object.entries(report.reasons).sort((a, b) => b[1] - a[1])) say(`  ${String(n).padStart(5)}  ${reason}`);
  say(`\nwrote ${join(outDir, 'faults.json')} (${report.realSeconds} s)`);
  return report.lost === 0 ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${describeError(error)}\n`);
    process.exit(1);
  },
);
