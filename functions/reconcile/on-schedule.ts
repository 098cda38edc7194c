import type { Logger } from '@aws-lambda-powertools/logger';
import { reconcile, type ReconcileDeps } from '../../core/reconcile';

export interface ScheduleDeps extends ReconcileDeps {
  logger: Logger;
}

/** Every few minutes (EventBridge schedule): repair rows whose notification never arrived. */
export const makeOnSchedule =
  (deps: ScheduleDeps) =>
  async (): Promise<void> => {
    const repairs = await reconcile(deps);
    const repaired = repairs.filter((r) => r.state !== 'skipped');
    for (const r of repaired) deps.logger.info('row repaired', { ...r });
    deps.logger.info('reconcile done', { looked: repairs.length, repaired: repaired.length });
  };
