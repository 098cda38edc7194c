import { DynamoDbSummaryLedger } from '../adapters/dynamodb-ledger';
import { S3OutputReader } from '../adapters/s3-articles';
import { systemClock } from '../adapters/clock';
import { reconcile, type ReconcileSettings, type Repair } from '../core/reconcile';
import type { Target } from './target';

/** `npm run reconcile`: what the scheduled reconcile function does, once, now, on the given target. */
export const runReconcile = (target: Target, settings: ReconcileSettings): Promise<Repair[]> =>
  reconcile({
    ledger: new DynamoDbSummaryLedger(target.dynamo, target.table),
    outputs: new S3OutputReader(target.s3),
    clock: systemClock,
    settings,
  });
