import { createWriteStream, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from './cloud';
import { describeError } from '../core/errors';

const out = (line = '') => process.stdout.write(`${line}\n`);

export const banner = (cloud: LocalCloud, options: { timeScale: number; stateDir: string; projectRoot: string }): string => {
  const { endpoints: e, config } = cloud;
  const url = e.edgeUrl;
  return [
    'research-summarizer local cloud is running (Ctrl-C stops it)',
    `  edge URL   ${url}   region ${e.region}, any credentials (e.g. test / test)`,
    `  bucket     ${e.bucket}   (articles go under ${e.inputPrefix})`,
    `  table      ${e.table}`,
    `  endpoint   ${e.endpointName}   ${config.scaling.minCapacity}..${config.scaling.maxCapacity} instances × ${config.endpoint.maxConcurrentInvocationsPerInstance} concurrent, time scale ${options.timeScale}×`,
    `  state      ${relative(options.projectRoot, options.stateDir) || '.'}/ (survives restarts; endpoints.json has these names, logs/ the details)`,
    '',
    'Try, in another terminal:',
    '  npm run drop -- samples/',
    '  npm run results',
    `  aws --endpoint-url ${url} s3 cp article.txt s3://${e.bucket}/${e.inputPrefix}article.txt`,
    `  aws --endpoint-url ${url} dynamodb scan --table-name ${e.table}`,
    `  aws --endpoint-url ${url} dynamodb query --table-name ${e.table} --index-name byState --key-condition-expression "#s = :s" --expression-attribute-names '{"#s":"state"}' --expression-attribute-values '{":s":{"S":"COMPLETED"}}'`,
    `  open ${url}/_dashboard in a browser: live graphs of the backlog, instances and ledger`,
    `  curl ${url}/_localcloud/status`,
    '',
  ].join('\n');
};

/** One line for people: what the endpoint is doing now (printed when it changes). */
export const statusLine = (cloud: LocalCloud): string => {
  const s = cloud.endpoint.status();
  const i = s.instances;
  return [
    `instances ${i.inService} in service${i.pending ? `, ${i.pending} starting` : ''}${i.terminating ? `, ${i.terminating} stopping` : ''} (desired ${s.desiredInstanceCount})`,
    `backlog ${s.backlog} (${s.inFlight} running)`,
    `completed ${s.totals.completed}, failed ${s.totals.failed}, expired ${s.totals.expired}`,
  ].join(' | ');
};

/**
 * One line per supervised process that died since the start or is not running (printed when it
 * changes): DynamoDB restarted, model servers replaced, or a crash loop given up on.
 */
export const processLines = (cloud: Pick<LocalCloud, 'processes'>): string[] =>
  cloud
    .processes()
    .filter((p) => p.restarts > 0 || p.state !== 'running')
    .map((p) => {
      if (p.state === 'failed') return `${p.name} STOPPED: ${p.reason ?? 'crash loop'}`;
      const exit = p.lastExit ? `, last exit ${p.lastExit.signal ?? `code ${p.lastExit.code}`} at ${p.lastExit.at}` : '';
      return `${p.name} ${p.state}: ${p.restarts} ${p.restarts === 1 ? 'restart' : 'restarts'} since the start${exit}`;
    });

/**
 * The last resort behind every request handler's own: an error that escapes one request is logged
 * and the local cloud keeps serving the others. Installed by `npm start` only, so tests (which start
 * the cloud in Jest's process) still fail on any such error.
 */
export const keepServingOnUncaughtErrors = (
  proc: Pick<NodeJS.Process, 'on'>,
  log: (message: string, fields?: Record<string, unknown>) => void,
): void => {
  const report = (kind: string) => (error: unknown) => {
    const fields = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    log(`${kind}: the local cloud keeps serving`, fields);
    process.stderr.write(`${new Date().toISOString()} ${kind} (logged; still serving): ${describeError(error)}\n`);
  };
  proc.on('uncaughtException', report('uncaught exception'));
  proc.on('unhandledRejection', report('unhandled rejection'));
};

/** `npm start`: runs in the foreground until Ctrl-C, reporting scaling and progress as it happens. */
export const runStart = async (options: LocalCloudOptions & { timeScale: number; stateDir: string }): Promise<void> => {
  // Per-request detail goes to a file; the terminal gets scaling and a status line when it changes.
  mkdirSync(join(options.stateDir, 'logs'), { recursive: true, mode: 0o700 });
  const logFile = createWriteStream(join(options.stateDir, 'logs', 'local-cloud.log'), { flags: 'a' });
  const log = (message: string, fields?: Record<string, unknown>) =>
    logFile.write(`${new Date().toISOString()} ${message} ${fields ? JSON.stringify(fields) : ''}\n`);
  const cloud = await startLocalCloud({ ...options, log });
  keepServingOnUncaughtErrors(process, log);
  out(banner(cloud, options));
  const { rates } = cloud.faults;
  if (rates.s3 > 0 || rates.dynamodb > 0 || rates.duplicates > 0) {
    out(
      `fault injection ON: S3 refuses ${rates.s3 * 100}% and DynamoDB ${rates.dynamodb * 100}% of requests (throttling or 5xx); ${rates.duplicates * 100}% of events delivered twice\n`,
    );
  }

  let seenActivities = 0;
  let lastLine = '';
  let lastProcessLines = new Set<string>();
  const report = setInterval(() => {
    const activities = cloud.endpoint.scalingActivities();
    for (const a of activities.slice(seenActivities)) out(`${new Date().toISOString()} scaling ${a.from} -> ${a.to}: ${a.cause}`);
    seenActivities = activities.length;
    const line = statusLine(cloud);
    if (line !== lastLine) out(`${new Date().toISOString()} ${line}`);
    lastLine = line;
    const processes = processLines(cloud);
    for (const p of processes) if (!lastProcessLines.has(p)) out(`${new Date().toISOString()} ${p}`);
    lastProcessLines = new Set(processes);
  }, 1000);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearInterval(report);
  out('stopping the local cloud…');
  await cloud.close();
  logFile.end();
  out(`stopped; state kept in ${relative(options.projectRoot, options.stateDir) || '.'}/ (logs in its logs/ folder)`);
};
