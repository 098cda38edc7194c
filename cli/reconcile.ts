import { DynamoDbSummaryLedger } from '../adapters/dynamodb-ledger';
import { S3ArticleStore, S3OutputReader } from '../adapters/s3-articles';
import { SageMakerInferenceQueue } from '../adapters/inference-queue';
import { longArticlePolicy } from '../core/long-article/policy';
import { systemClock } from '../adapters/clock';
import { articleEventsOf } from '../adapters/article-events';
import { reconcile, type ReconcileSettings, type Repair } from '../core/reconcile';
import type { Target } from './target';

/** `npm run reconcile`: what the scheduled reconcile function does, once, now, on the given target. */
export const runReconcile = async (target: Target, settings: ReconcileSettings): Promise<Repair[]> => {
  // Long articles carry on with the same settings submit-article sends with.
  const config = await target.submitConfig();
  // Rows it finishes are priced as record-result prices them.
  const { cost } = await target.recordConfig();
  return reconcile({
    ledger: new DynamoDbSummaryLedger(target.dynamo, target.table),
    outputs: new S3OutputReader(target.s3),
    clock: systemClock,
    settings,
    cost,
    // Users are told of the rows it finishes, and of any whose writer stopped before telling them.
    events: articleEventsOf(target, config),
    steps: {
      articles: new S3ArticleStore(target.s3, config.articlesBucket),
      queue: new SageMakerInferenceQueue(target.sagemaker, config.endpointName),
      policy: longArticlePolicy(config),
      settings: config,
    },
  });
};
