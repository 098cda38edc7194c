import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { makeClients, type Clients } from '../adapters/clients';
import S3rver from 's3rver';
import { makeDashboardHandler } from './dashboard';
import { decodedS3Request, isAwsChunked } from './s3/aws-chunked';
import { errorReply, startEdge, type RequestHandler } from './edge/router';
import { refuseUnstorableKey } from './s3/key-guard';
import { carriesXml, guardXmlBody } from './s3/xml-guard';
import { cacheBucketState, type S3rverStore } from './s3/bucket-cache';
import { guardStore, type S3rverFilesystemStore } from './s3/store-guard';
import { FaultInjector, parseFaultRates, type FaultRates } from './edge/faults';
import { countsByState, latestInState } from './dashboard/ledger-view';
import { LocalLambda } from './lambda/runtime';
import { launchModelProcess } from './model-server/launch';
import { matches, sequencerSource, toS3Record, type S3rverRecord } from './s3/events';
import { startAsyncEndpoint, type AsyncEndpoint } from './sagemaker-async';
import { snsEvent } from './sns/event';
import { readStackConfig, type StackConfig } from './template/stack-config';
import { ensureTable } from './dynamodb/tables';
import { startDynamoProcess } from './dynamodb/dynalite-process';

/**
 * On AWS the functions and DynamoDB run on other machines than the endpoint's instances; here all
 * share a few cores. The function threads and dynalite run at a lower priority (nice 10), so during
 * a burst the emulated instances (model processes, and the S3 reads and writes the endpoint makes)
 * keep the CPU they would have on their own hardware, and the functions' queue takes the wait.
 * Measured with `npm run bench:burst -- --articles 3000 --only ours`: throughput 0.857 → 0.926 of
 * the model-bound limit; the wait before submit-article grows (README, Benchmarks).
 */
export const LOCAL_SERVICE_NICENESS = 10;

/**
 * The local cloud: S3 (s3rver) and DynamoDB (dynalite) from npm, our SageMaker async endpoint
 * emulator with model-server processes, and the Lambda bundles, behind one edge endpoint.
 * Every name and setting comes from the packaged CloudFormation template (template/stack-config.ts).
 */
export interface LocalCloudOptions {
  projectRoot: string;
  /** State that survives a restart; default <projectRoot>/.local-cloud. */
  stateDir?: string;
  /** Edge port on 127.0.0.1; default 4566, 0 for a free one. */
  port?: number;
  /** Simulated seconds per real second for cooldowns, alarm periods, provisioning, TTL and retries. */
  timeScale?: number;
  /** Simulated seconds for a new instance to come into service. */
  provisioningDelayS?: number;
  /** Model server flags, e.g. ['--mode', 'fixed', '--latency-ms', '100']. */
  modelArgs?: string[];
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Changes the template's settings for this run only (benchmarks: scaling, initial instances). */
  adjust?: (config: StackConfig) => StackConfig;
  /** S3 and DynamoDB error rates injected at the edge (faults.ts); none by default. */
  faults?: FaultRates;
  /** Per-request real-time timings from the endpoint (queue and model), for benchmarks. */
  onRequestTiming?: (timing: { inferenceId: string; backlogMs: number; modelMs: number }) => void;
}

export const DEFAULTS = {
  port: 4566,
  // 10×: a two-minute cooldown takes 12 s, the one-minute alarm period 6 s.
  timeScale: 10,
  // Simulated; an ml.m5.xlarge with a Hugging Face container takes minutes on AWS.
  provisioningDelayS: 120,
  region: 'us-east-1',
  accountId: '000000000000',
} as const;

/** What `.local-cloud/endpoints.json` holds, for people and for the drop / results commands. */
export interface Endpoints {
  edgeUrl: string;
  region: string;
  bucket: string;
  inputPrefix: string;
  table: string;
  endpointName: string;
}

export interface LocalCloud {
  config: StackConfig;
  endpoints: Endpoints;
  endpoint: AsyncEndpoint;
  functions: Record<string, LocalLambda>;
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  /** The edge's fault injection, to switch on and off while running. */
  faults: FaultInjector;
  /** No function invocation pending and nothing queued or running in the endpoint. */
  idle(): boolean;
  close(): Promise<void>;
}

/** The environment a function sees locally: the edge for every service, any credentials. */
export const localFunctionEnv = (edgeUrl: string, region: string): Record<string, string> => ({
  AWS_REGION: region,
  AWS_DEFAULT_REGION: region,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_ENDPOINT_URL: edgeUrl,
  // s3rver stores aws-chunked uploads framed unless checksums are only sent when required.
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

export const localClients = (edgeUrl: string, region: string): Clients =>
  makeClients(
    { endpoint: edgeUrl, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' },
  );

export const startLocalCloud = async (options: LocalCloudOptions): Promise<LocalCloud> => {
  const log = options.log ?? (() => undefined);
  const stateDir = options.stateDir ?? join(options.projectRoot, '.local-cloud');
  const timeScale = options.timeScale ?? DEFAULTS.timeScale;
  // Private: it holds every article, the ledger and the logs.
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  chmodSync(stateDir, 0o700);
  const template = readStackConfig({ projectRoot: options.projectRoot, region: DEFAULTS.region, accountId: DEFAULTS.accountId });
  const config = options.adjust ? options.adjust(template) : template;

  // S3: s3rver's request handler, mounted on the edge.
  // No virtual-host buckets: s3rver would take the bucket from the Host header (the edge answers only
  // exact loopback names as well).
  const s3rver = new S3rver({ directory: join(stateDir, 's3'), silent: true, vhostBuckets: false, configureBuckets: [{ name: config.bucket }] });
  guardStore((s3rver as unknown as { store: S3rverFilesystemStore }).store);
  cacheBucketState((s3rver as unknown as { store: S3rverStore }).store);
  await (s3rver as unknown as { configureBuckets(): Promise<void> }).configureBuckets();
  const s3Handler = (s3rver as unknown as { callback(): RequestHandler }).callback();

  // DynamoDB: dynalite on disk, in its own process behind the edge.
  const dynamoProcess = await startDynamoProcess(join(stateDir, 'dynamodb'), log, LOCAL_SERVICE_NICENESS);

  // Filled in below; the edge starts first because the endpoint and functions talk to it.
  const live: {
    endpoint?: AsyncEndpoint;
    functions: Record<string, LocalLambda>;
    dashboard?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  } = { functions: {} };
  // Faults start once the local cloud is up, so its own start-up (table, health checks) is not refused.
  const faults = new FaultInjector();
  const internal = async (req: IncomingMessage, res: ServerResponse) => {
    if (live.dashboard && (await live.dashboard(req, res))) return;
    if (req.url === '/_localcloud/faults') return faultsRoute(req, res, faults);
    internalRoutes(req, res, () => status());
  };
  const edge = await startEdge(
    {
      s3: async (req, res) => {
        if (refuseUnstorableKey(req, res) || faults.refuse('s3', req, res)) return;
        if (carriesXml(req.method, req.url ?? '/')) {
          const checked = await guardXmlBody(req, res);
          if (checked) await s3Handler(checked, res);
          return;
        }
        return s3Handler(isAwsChunked(req.headers) ? decodedS3Request(req, res) : req, res);
      },
      dynamodb: (req, res) => {
        if (!faults.refuse('dynamodb', req, res)) dynamoProcess.handle(req, res);
      },
      sagemaker: (req, res) => (live.endpoint ? live.endpoint.handle(req, res) : errorReply(res, 503, 'the endpoint is starting')),
      internal,
    },
    options.port ?? DEFAULTS.port,
  );
  const { s3, rawDynamo, dynamo } = localClients(edge.url, config.region);
  await ensureTable(rawDynamo, config.table);

  const env = localFunctionEnv(edge.url, config.region);
  const functions: Record<string, LocalLambda> = Object.fromEntries(
    Object.values(config.functions).map((fn) => [fn.logicalId, new LocalLambda({ fn, env, stateDir, timeScale, log, nice: LOCAL_SERVICE_NICENESS })]),
  );

  // EventBridge schedules → Lambda, on the simulated clock (a 15-minute rate runs every 90 s at 10×).
  const scheduleTimers = config.schedules.map((schedule) =>
    setInterval(() => {
      functions[schedule.functionLogicalId]?.invokeAsync({
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: config.accountId,
        time: new Date().toISOString(),
        region: config.region,
        resources: [`arn:aws:events:${config.region}:${config.accountId}:rule/${schedule.ruleName}`],
        detail: {},
      });
    }, (schedule.everyS * 1000) / timeScale),
  );

  // S3 → Lambda, as the bucket's NotificationConfiguration says.
  const nextSequencer = sequencerSource();
  s3rver.on('event', (event: { Records: S3rverRecord[] }) => {
    for (const record of event.Records) {
      const key = record.s3.object.key;
      const targets = config.notifications.filter((n) => matches(n, record.s3.bucket.name, record.eventName, key));
      if (targets.length === 0) continue;
      const sequencer = nextSequencer();
      const deliver = (eTag?: string, size?: number) => {
        for (const n of targets) {
          const s3Record = toS3Record(record, {
            region: config.region,
            sequencer,
            configurationId: `${n.functionLogicalId}-notification`,
            ...(eTag ? { eTag } : {}),
            ...(size !== undefined ? { size } : {}),
          });
          for (let i = faults.deliveries(); i > 0; i--) functions[n.functionLogicalId]?.invokeAsync({ Records: [s3Record] });
        }
      };
      if (record.s3.object.eTag) {
        deliver();
      } else {
        // s3rver's Copy events carry no ETag; S3's do.
        s3.send(new HeadObjectCommand({ Bucket: record.s3.bucket.name, Key: key }))
          .then((head) => deliver((head.ETag ?? '').replace(/"/g, ''), head.ContentLength))
          .catch((error: unknown) => log('cannot complete S3 event', { key, error: String(error) }));
      }
    }
  });

  const modelBundle = join(options.projectRoot, 'dist', 'local', 'model-server.js');
  const endpoint = await startAsyncEndpoint({
    region: config.region,
    accountId: config.accountId,
    endpoint: config.endpoint,
    scaling: config.scaling,
    stateDir: join(stateDir, 'sagemaker'),
    timeScale,
    provisioningDelayS: options.provisioningDelayS ?? DEFAULTS.provisioningDelayS,
    s3,
    // SNS: deliver to every subscribed function, as an asynchronous invocation.
    publish: async (topicArn, message) => {
      for (const sub of config.subscriptions.filter((s) => s.topicArn === topicArn)) {
        const event = snsEvent(topicArn, message, config.region);
        for (let i = faults.deliveries(); i > 0; i--) functions[sub.functionLogicalId]?.invokeAsync(event);
      }
    },
    launchInstance: launchModelProcess({ bundle: modelBundle, args: options.modelArgs ?? [] }),
    // The endpoint already exists when the local cloud starts: its instances need no provisioning.
    initialInstancesInService: true,
    ...(options.onRequestTiming ? { onRequestTiming: options.onRequestTiming } : {}),
    log,
  });
  live.endpoint = endpoint;
  live.functions = functions;
  live.dashboard = makeDashboardHandler({
    status: () => endpoint.status(),
    metrics: () => endpoint.metrics(),
    scalingActivities: () => endpoint.scalingActivities(),
    ledger: {
      countsByState: () => countsByState(dynamo, config.table.TableName),
      latest: (limit) => latestInState(dynamo, config.table.TableName, 'COMPLETED', limit),
    },
  });
  // Like CreateEndpoint, start-up completes once the endpoint's instances answer /ping.
  const ready = Date.now() + 60_000;
  while (endpoint.status().instances.pending > 0) {
    if (Date.now() > ready) throw new Error('the endpoint instances did not pass their health checks within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const endpoints: Endpoints = {
    edgeUrl: edge.url,
    region: config.region,
    bucket: config.bucket,
    inputPrefix: config.inputPrefix,
    table: config.table.TableName,
    endpointName: config.endpoint.endpointName,
  };
  writeFileSync(join(stateDir, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`);
  if (options.faults) faults.set(options.faults);

  const status = () => ({
    endpoints,
    endpoint: live.endpoint?.status(),
    functions: Object.fromEntries(Object.values(functions).map((f) => [f.name, { pending: f.pending, ...f.counts }])),
    faults: { rates: faults.rates, injected: { ...faults.injected } },
  });

  return {
    config,
    endpoints,
    endpoint,
    functions,
    s3,
    dynamo,
    faults,
    idle: () => Object.values(functions).every((f) => f.idle()) && endpoint.drained(),
    close: async () => {
      for (const timer of scheduleTimers) clearInterval(timer);
      await endpoint.close();
      await Promise.all(Object.values(functions).map((f) => f.close()));
      const closed = new Promise<void>((resolve) => edge.server.close(() => resolve()));
      edge.server.closeAllConnections();
      await closed;
      await dynamoProcess.close();
      s3.destroy();
      rawDynamo.destroy();
    },
  };
};

/** GET shows the fault rates and how many faults were injected; PUT `{"s3":0.05,"dynamodb":0}` sets them. */
const faultsRoute = async (req: IncomingMessage, res: ServerResponse, faults: FaultInjector): Promise<void> => {
  if (req.method === 'PUT' || req.method === 'POST') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      faults.set(parseFaultRates(JSON.parse(Buffer.concat(chunks).toString('utf-8') || '{}')));
    } catch (error) {
      errorReply(res, 400, error instanceof Error ? error.message : String(error));
      return;
    }
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ rates: faults.rates, injected: faults.injected }));
};

const internalRoutes = (req: IncomingMessage, res: ServerResponse, status: () => unknown): void => {
  if (req.url === '/_localcloud/health' || req.url === '/_localcloud/status') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url.endsWith('health') ? { ok: true } : status()));
    return;
  }
  errorReply(res, 404, `no such local cloud page: ${req.url}`);
};
