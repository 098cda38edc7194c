import type { Logger } from '@aws-lambda-powertools/logger';
import { reconcile, type ReconcileDeps } from '../../core/reconcile';

export interface ScheduleDeps extends ReconcileDeps {
  logger: Logger;
}

/** Every few minutes (EventBridge schedule): repair rows whose notification never arrived. */
export const makeOnSchedule = (deps: ScheduleDeps) => async (): Promise<void> => {
  const repairs = await reconcile(deps);
  const repaired = repairs.filter((r) => r.state !== 'skipped' && r.state !== 'error');
  const failed = repairs.filter((r) => r.state === 'error');
  for (const r of repaired) deps.logger.info('row repaired', { ...r });
  for (const r of failed) deps.logger.error('row not repaired', { ...r });
  deps.logger.info('reconcile done', { looked: repairs.length, repaired: repaired.length, failed: failed.length });
};
