/**
 * The local cloud: each service starts from its folder, with the names and settings of the packaged
 * CloudFormation template (template/), and is connected here. S3 and DynamoDB start first and the edge
 * routes to them; the functions and the endpoint then talk to both through the edge, as they would on AWS,
 * except for the endpoint's own S3 objects, which it reads and writes in the S3 store directly, as
 * SageMaker does inside AWS (s3/direct-objects.ts).
 */

import { join } from 'node:path';
import { cloudDashboard } from './dashboard/for-cloud';
import { DEFAULTS } from './defaults';
import { ensureLedger, startLocalDynamo } from './dynamodb/start-local-dynamo';
import { localClients } from './edge/clients';
import { FaultInjector } from './edge/faults';
import { internalApi } from './edge/internal-api';
import { errorReply, startEdge } from './edge/router';
import { startSchedules } from './eventbridge/schedules';
import { startLocalFunctions } from './lambda/start-functions';
import { directObjects } from './s3/direct-objects';
import { mountS3rver } from './s3/mount';
import { sendS3Notifications } from './s3/notifications';
import type { AsyncEndpoint } from './sagemaker-async/types';
import { startStackEndpoint } from './sagemaker-async/from-stack';
import { instancesInService } from './sagemaker-async/in-service';
import { snsPublisher } from './sns/delivery';
import { snsHandler } from './sns/http';
import { LocalSns } from './sns/publish';
import { TopicLog } from './sns/topic-log';
import { privateFolder } from './support/private-folder';
import { esbuildZipFolders, PACKAGING_FOLDERS, removeOrphanedTempFolders } from './support/temp-folders';
import { removeOrphanedSocketFolders } from './dynamodb/dynalite-process';
import { readStackConfig } from './template/stack-config';
import { endpointsOf, writeEndpoints } from './endpoints';
import type { LocalCloud, LocalCloudOptions } from './types';

export type { Endpoints, LocalCloud, LocalCloudOptions } from './types';

export const startLocalCloud = async (options: LocalCloudOptions): Promise<LocalCloud> => {
  const { projectRoot, log = () => undefined, timeScale = DEFAULTS.timeScale, provisioningDelayS = DEFAULTS.provisioningDelayS } = options;
  const stateDir = privateFolder(options.stateDir ?? join(projectRoot, '.local-cloud'));
  const template = readStackConfig({ projectRoot, region: DEFAULTS.region, accountId: DEFAULTS.accountId });
  const config = options.adjust ? options.adjust(template) : template;
  // Faults start once the local cloud is up, so its own start-up (table, health checks) is not refused.
  const faults = new FaultInjector();
  // What runs that crashed or were killed left in the system temp folder (support/temp-folders.ts).
  const removed = [
    ...(await removeOrphanedSocketFolders()),
    ...removeOrphanedTempFolders([PACKAGING_FOLDERS, esbuildZipFolders(Object.keys(config.functions))]),
  ];
  if (removed.length > 0) log('removed temp folders of stopped runs', { removed });

  const s3Mount = await mountS3rver({
    directory: join(stateDir, 's3'),
    bucket: config.bucket,
    refuse: (req, res) => faults.refuse('s3', req, res),
  });
  const dynamoDb = await startLocalDynamo({ projectRoot, stateDir, faults, log });
  // The endpoint and the dashboard come after the edge, which answers for them once they are up.
  const late: { endpoint?: AsyncEndpoint; dashboard?: ReturnType<typeof cloudDashboard>; sns?: ReturnType<typeof snsHandler> } = {};
  // The ArticleEventsTopic's subscriber a test and a person can read (sns/topic-log.ts).
  const articleEvents = new TopicLog(join(stateDir, 'article-events.jsonl'));
  const edge = await startEdge(
    {
      s3: s3Mount.handle,
      dynamodb: dynamoDb.handle,
      sagemaker: (req, res) => (late.endpoint ? late.endpoint.handle(req, res) : errorReply(res, 503, 'the endpoint is starting')),
      sns: (req, res) => (late.sns ? late.sns(req, res) : errorReply(res, 503, 'SNS is starting')),
      internal: internalApi({ faults, dashboard: () => late.dashboard, status: () => status(), articleEvents: () => articleEvents }),
    },
    options.port ?? DEFAULTS.port,
  );
  const { s3, rawDynamo, dynamo } = localClients(edge.url, config.region);
  await ensureLedger(rawDynamo, config, stateDir, log);

  const lambda = await startLocalFunctions(config, { projectRoot, edgeUrl: edge.url, stateDir, timeScale, faults, log });
  const sns = new LocalSns(config, {
    invoke: lambda.deliver,
    logs: config.articleEventsTopicArn ? { [config.articleEventsTopicArn]: articleEvents } : {},
    deliveries: () => faults.deliveries(),
  });
  late.sns = snsHandler(sns);
  const stopSchedules = startSchedules(config, timeScale, lambda.invoke);
  sendS3Notifications(s3Mount.s3rver, config, { invoke: lambda.deliver, s3, log });
  const endpoint = await startStackEndpoint(config, {
    ...{ projectRoot, stateDir, timeScale, provisioningDelayS, log, modelArgs: options.modelArgs },
    // The endpoint reads and writes S3 inside the local cloud, as SageMaker does inside AWS: no SDK, no HTTP.
    objects: directObjects(s3Mount),
    publish: snsPublisher(sns),
    ...(options.onRequestTiming ? { onRequestTiming: options.onRequestTiming } : {}),
  });
  late.endpoint = endpoint;
  const processes = () => [dynamoDb.status(), endpoint.status().modelServers];
  late.dashboard = cloudDashboard(endpoint, dynamo, config, { timeScale, provisioningDelayS, processes }, articleEvents);
  await instancesInService(endpoint);

  const endpoints = writeEndpoints(stateDir, endpointsOf(edge.url, config));
  if (options.faults) faults.set(options.faults);
  const status = () => ({
    endpoints,
    endpoint: late.endpoint?.status(),
    functions: lambda.status(),
    faults: { rates: faults.rates, injected: { ...faults.injected } },
    processes: processes(),
  });

  return {
    ...{ config, endpoints, endpoint, functions: lambda.byId, s3, dynamo, faults, processes, articleEvents },
    idle: () => lambda.idle() && endpoint.drained(),
    close: async () => {
      stopSchedules();
      await endpoint.close();
      await lambda.close();
      await edge.close();
      articleEvents.close();
      await dynamoDb.close();
      s3Mount.close();
      s3.destroy();
      rawDynamo.destroy();
    },
  };
};
