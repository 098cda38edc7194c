import type { Context } from 'aws-lambda';
import { makeClients } from '../../adapters/clients';
import { loadReconcileConfig } from '../../adapters/config';
import { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { makeLogger } from '../../adapters/logger';
import { S3ArticleStore, S3OutputReader } from '../../adapters/s3-articles';
import { SageMakerInferenceQueue } from '../../adapters/inference-queue';
import { longArticlePolicy } from '../../core/long-article/policy';
import { systemClock } from '../../adapters/clock';
import { articleEventsOf } from '../../adapters/article-events';
import { makeOnSchedule } from './on-schedule';

// Wiring only, once per cold start: a bad configuration fails here, naming the variable.
const config = loadReconcileConfig();
const clients = makeClients();
const logger = makeLogger();
const onSchedule = makeOnSchedule({
  ledger: new DynamoDbSummaryLedger(clients.dynamo, config.ledgerTable),
  outputs: new S3OutputReader(clients.s3),
  clock: systemClock,
  settings: config,
  cost: config.cost,
  events: articleEventsOf(clients, config),
  steps: {
    articles: new S3ArticleStore(clients.s3, config.articlesBucket),
    queue: new SageMakerInferenceQueue(clients.sagemaker, config.endpointName),
    policy: longArticlePolicy(config),
    settings: config,
  },
  logger,
});

export const handler = async (_event: unknown, context: Context): Promise<void> => {
  logger.addContext(context);
  await onSchedule(context);
};
