import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { parseNotifications } from '../../adapters/events';
import { recordOutcome, type RecordDeps } from '../../core/record-result';
import { meterOf } from '../lambda-meter';

export interface NotificationDeps extends RecordDeps {
  logger: Logger;
}

/**
 * SageMaker success/error notification (via SNS) -> the article's ledger row. A failed inference is
 * recorded as data; a throw (S3 or DynamoDB unavailable) makes Lambda retry, then dead-letter.
 */
export const makeOnNotification =
  (deps: NotificationDeps) =>
  async (
    event: unknown,
    context: Pick<Context, 'awsRequestId'> & Partial<Pick<Context, 'memoryLimitInMB'>> = { awsRequestId: randomUUID() },
  ): Promise<void> => {
    // The invocation's duration is charged to the article it works on (core/usage.ts).
    const invocationDeps = { ...deps, ...meterOf(context, deps.clock) };
    for (const notification of parseNotifications(event)) {
      deps.logger.appendKeys({ inferenceId: notification.inferenceId, status: notification.status });
      try {
        // Lambda keeps the request id across the retries of one asynchronous invocation.
        const result = await recordOutcome(notification, invocationDeps, context.awsRequestId);
        deps.logger.info(`result ${result.outcome}`, { ...result });
      } finally {
        deps.logger.removeKeys(['inferenceId', 'status']);
      }
    }
  };
