import { randomUUID } from 'node:crypto';
import { DynamoDbSummaryLedger } from '../adapters/dynamodb-ledger';
import { S3ArticleStore, S3OutputReader } from '../adapters/s3-articles';
import { SageMakerInferenceQueue } from '../adapters/inference-queue';
import { longArticlePolicy } from '../core/long-article/policy';
import { RetryableStates, type RetryableState } from '../core/ledger';
import { systemClock } from '../adapters/clock';
import { articleEventsOf } from '../adapters/article-events';
import { retryArticles, type RetryResult } from '../core/retry';
import { terminalProgress } from './progress';
import { printable } from './printable';
import type { Target } from './target';

/** `npm run retry`: FAILED and EXPIRED articles (or one of the two) go to the endpoint again. */
export const runRetry = async (target: Target, states: readonly RetryableState[]): Promise<RetryResult[]> => {
  const config = await target.submitConfig();
  const deps = {
    articles: new S3ArticleStore(target.s3, config.articlesBucket),
    outputs: new S3OutputReader(target.s3),
    ledger: new DynamoDbSummaryLedger(target.dynamo, config.ledgerTable),
    queue: new SageMakerInferenceQueue(target.sagemaker, config.endpointName),
    clock: systemClock,
    settings: config,
    policy: longArticlePolicy(config),
    // Rows it ends (a refused submission) are priced and told, as submit-article would.
    cost: config.cost,
    events: articleEventsOf(target, config),
  };
  let bar: ReturnType<typeof terminalProgress> | undefined;
  const results = await retryArticles(deps, states, `retry-${randomUUID()}`, (_result, done, total) => {
    bar ??= terminalProgress(total, 'retrying');
    bar.update(done);
  });
  bar?.finish(results.length);
  return results;
};

export const parseRetryStates = (value: string | undefined): readonly RetryableState[] => {
  if (value === undefined) return RetryableStates;
  const state = value.toUpperCase();
  if (!(RetryableStates as readonly string[]).includes(state)) {
    throw new Error(`--state must be ${RetryableStates.join(' or ')} (REJECTED input needs a new upload); got ${JSON.stringify(value)}`);
  }
  return [state as RetryableState];
};

export const formatRetry = (results: RetryResult[], description: string): string => {
  const lines = results.map(
    (r) => `${r.outcome.padEnd(8)} ${printable(r.key)} (attempt ${r.attempt})${r.reason ? `: ${printable(r.reason)}` : ''}`,
  );
  const queued = results.filter((r) => r.outcome === 'queued').length;
  lines.push(`retried ${queued} of ${results.length} article(s) (${description}); follow them with: npm run results`);
  return lines.join('\n');
};
