/**
 * The local cloud: each service starts from its folder, with the names and settings of the packaged
 * CloudFormation template (template/), and is connected here. The edge starts before the endpoint,
 * because the endpoint and the functions talk to S3 and DynamoDB through it.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { localBundle } from './bundles';
import { makeDashboardHandler } from './dashboard';
import { statusSettingsOf } from './dashboard/batches';
import { ledgerView } from './dashboard/ledger-view';
import { trendsSource } from './dashboard/trends';
import { DEFAULTS } from './defaults';
import { startDynamoProcess } from './dynamodb/dynalite-process';
import { ensureTable, withBatch } from './dynamodb/tables';
import { localClients } from './edge/clients';
import { FaultInjector } from './edge/faults';
import { internalApi } from './edge/internal-api';
import { errorReply, startEdge } from './edge/router';
import { startSchedules } from './eventbridge/schedules';
import { localFunctionEnv, startFunctions } from './lambda/functions';
import { launchModelProcess } from './model-server/launch';
import { mountS3rver } from './s3/mount';
import { sendS3Notifications } from './s3/notifications';
import { startAsyncEndpoint, type AsyncEndpoint } from './sagemaker-async';
import { instancesInService } from './sagemaker-async/in-service';
import { snsPublisher } from './sns/delivery';
import { privateFolder } from './support/private-folder';
import { readStackConfig, SUBMIT_ARTICLE_FUNCTION, type StackConfig } from './template/stack-config';
import { endpointsOf, writeEndpoints } from './endpoints';
import type { LocalCloud, LocalCloudOptions } from './types';

export type { Endpoints, LocalCloud, LocalCloudOptions } from './types';

export const startLocalCloud = async (options: LocalCloudOptions): Promise<LocalCloud> => {
  const log = options.log ?? (() => undefined);
  const stateDir = privateFolder(options.stateDir ?? join(options.projectRoot, '.local-cloud'));
  const timeScale = options.timeScale ?? DEFAULTS.timeScale;
  const template = readStackConfig({ projectRoot: options.projectRoot, region: DEFAULTS.region, accountId: DEFAULTS.accountId });
  const config = options.adjust ? options.adjust(template) : template;
  // Faults start once the local cloud is up, so its own start-up (table, health checks) is not refused.
  const faults = new FaultInjector();

  const s3Mount = await mountS3rver({
    directory: join(stateDir, 's3'),
    bucket: config.bucket,
    refuse: (req, res) => faults.refuse('s3', req, res),
  });
  const dynamoProcess = await startDynamoProcess(localBundle(options.projectRoot, 'dynalite'), join(stateDir, 'dynamodb'), log);
  const late: { endpoint?: AsyncEndpoint; dashboard?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean> } = {};
  const edge = await startEdge(
    {
      s3: s3Mount.handle,
      dynamodb: (req, res) => {
        if (!faults.refuse('dynamodb', req, res)) dynamoProcess.handle(req, res);
      },
      sagemaker: (req, res) => (late.endpoint ? late.endpoint.handle(req, res) : errorReply(res, 503, 'the endpoint is starting')),
      internal: internalApi({ faults, dashboard: () => late.dashboard, status: () => status() }),
    },
    options.port ?? DEFAULTS.port,
  );
  const { s3, rawDynamo, dynamo } = localClients(edge.url, config.region);
  // A ledger kept from an earlier version gains the indexes this one adds, and its rows their batch.
  await ensureTable(rawDynamo, config.table, {
    spillFile: join(stateDir, 'ledger-upgrade.jsonl'),
    fill: withBatch(config.inputPrefix),
    log,
  });

  const functions = startFunctions(config, {
    env: localFunctionEnv(edge.url, config.region),
    stateDir,
    workerProgram: localBundle(options.projectRoot, 'lambda-worker'),
    timeScale,
    log,
  });
  const deliver = (logicalId: string, event: unknown) => {
    for (let i = faults.deliveries(); i > 0; i--) functions[logicalId]?.invokeAsync(event);
  };
  const stopSchedules = startSchedules(config, timeScale, (logicalId, event) => functions[logicalId]?.invokeAsync(event));
  sendS3Notifications(s3Mount.s3rver, config, { invoke: deliver, s3, log });
  const endpoint = await startAsyncEndpoint({
    region: config.region,
    accountId: config.accountId,
    endpoint: config.endpoint,
    scaling: config.scaling,
    s3,
    log,
    timeScale,
    stateDir: join(stateDir, 'sagemaker'),
    provisioningDelayS: options.provisioningDelayS ?? DEFAULTS.provisioningDelayS,
    publish: snsPublisher(config, deliver),
    launchInstance: launchModelProcess({
      bundle: localBundle(options.projectRoot, 'model-server'),
      args: modelArgs(config, options.modelArgs),
    }),
    // The endpoint already exists when the local cloud starts: its instances need no provisioning.
    initialInstancesInService: true,
    ...(options.onRequestTiming ? { onRequestTiming: options.onRequestTiming } : {}),
  });
  late.endpoint = endpoint;
  late.dashboard = makeDashboardHandler(
    {
      status: () => endpoint.status(),
      metrics: () => endpoint.metrics(),
      scalingActivities: () => endpoint.scalingActivities(),
      ledger: ledgerView(dynamo, config.table.TableName),
      trends: trendsSource(dynamo, config.table.TableName),
    },
    { statusSettings: statusSettingsOf(config, timeScale, options.provisioningDelayS ?? DEFAULTS.provisioningDelayS) },
  );
  await instancesInService(endpoint);

  const endpoints = writeEndpoints(stateDir, endpointsOf(edge.url, config));
  if (options.faults) faults.set(options.faults);
  const status = () => ({
    endpoints,
    endpoint: late.endpoint?.status(),
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
      stopSchedules();
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

/**
 * The local model reads as many tokens as the stack says the deployed model reads (the maxInputTokens
 * parameter the functions split by), unless the caller set it: the local cloud truncates where AWS would.
 */
export const modelArgs = (config: StackConfig, args: string[] = []): string[] => {
  const limit = config.functions[SUBMIT_ARTICLE_FUNCTION]?.environment.MAX_INPUT_TOKENS;
  return limit && !args.includes('--max-input-tokens') ? ['--max-input-tokens', limit, ...args] : args;
};
