import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { reconcile, type ReconcileDeps } from '../../core/reconcile';
import { meterOf } from '../lambda-meter';

export interface ScheduleDeps extends ReconcileDeps {
  logger: Logger;
}

/** Every few minutes (EventBridge schedule): repair rows whose notification never arrived. */
export const makeOnSchedule =
  (deps: ScheduleDeps) =>
  async (context: Partial<Pick<Context, 'memoryLimitInMB'>> = {}): Promise<void> => {
    // Its time is charged to the rows it finishes: a share of each run (core/usage.ts).
    const meter = meterOf(context, deps.clock).meter;
    const repairs = await reconcile({ ...deps, ...(meter ? { meter, steps: deps.steps && { ...deps.steps, meter } } : {}) });
    const repaired = repairs.filter((r) => r.state !== 'skipped' && r.state !== 'error');
    const failed = repairs.filter((r) => r.state === 'error');
    for (const r of repaired) deps.logger.info('row repaired', { ...r });
    for (const r of failed) deps.logger.error('row not repaired', { ...r });
    deps.logger.info('reconcile done', { looked: repairs.length, repaired: repaired.length, failed: failed.length });
  };
