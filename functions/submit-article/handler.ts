import type { Context } from 'aws-lambda';
import { makeClients } from '../../adapters/clients';
import { loadSubmitConfig } from '../../adapters/config';
import { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { makeLogger } from '../../adapters/logger';
import { S3ArticleStore } from '../../adapters/s3-articles';
import { SageMakerInferenceQueue } from '../../adapters/inference-queue';
import { longArticlePolicy } from '../../core/long-article/policy';
import { systemClock } from '../../adapters/clock';
import { articleEventsOf } from '../../adapters/article-events';
import { makeOnUpload } from './on-upload';

// Wiring only, once per cold start: a bad configuration fails here, naming the variable.
const config = loadSubmitConfig();
const clients = makeClients();
const logger = makeLogger();
const onUpload = makeOnUpload({
  articles: new S3ArticleStore(clients.s3, config.articlesBucket),
  ledger: new DynamoDbSummaryLedger(clients.dynamo, config.ledgerTable),
  queue: new SageMakerInferenceQueue(clients.sagemaker, config.endpointName),
  clock: systemClock,
  settings: config,
  policy: longArticlePolicy(config),
  events: articleEventsOf(clients, config),
  cost: config.cost,
  logger,
});

export const handler = async (event: unknown, context: Context): Promise<void> => {
  logger.addContext(context);
  await onUpload(event, context);
};
