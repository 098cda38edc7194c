import type { Logger } from '@aws-lambda-powertools/logger';
import { parseNotifications } from '../../adapters/events';
import { recordOutcome, type RecordDeps } from '../../core/record-outcome';

export interface NotificationDeps extends RecordDeps {
  logger: Logger;
}

/**
 * SageMaker success/error notification (via SNS) -> the article's ledger row. A failed inference is
 * recorded as data; a throw (S3 or DynamoDB unavailable) makes Lambda retry, then dead-letter.
 */
export const makeOnNotification =
  (deps: NotificationDeps) =>
  async (event: unknown): Promise<void> => {
    for (const notification of parseNotifications(event)) {
      deps.logger.appendKeys({ inferenceId: notification.inferenceId, status: notification.status });
      try {
        const result = await recordOutcome(notification, deps);
        deps.logger.info(`result ${result.outcome}`, { ...result });
      } finally {
        deps.logger.removeKeys(['inferenceId', 'status']);
      }
    }
  };
