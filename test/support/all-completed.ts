import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerRow } from '../../core/ledger';
import { rowsFor } from '../../cli/wait';
import { eventuallyProgressing } from './eventually';

/**
 * Waits until every key's row is COMPLETED, for as long as rows keep completing: a restarted local cloud
 * works through its journal at whatever pace the machine allows, so only a stall fails the wait. Five
 * minutes without one more row completing is never shorter than the fixed 300 s wait it replaced.
 */
export const allCompleted = async (
  dynamo: DynamoDBDocumentClient,
  target: { table: string; bucket: string },
  keys: string[],
  what: string,
): Promise<LedgerRow[]> =>
  eventuallyProgressing(
    async () => {
      const found = await rowsFor(dynamo, target.table, target.bucket, keys);
      const completed = found.filter((r) => r.state === 'COMPLETED').length;
      return { done: completed === keys.length ? found : undefined, progress: completed };
    },
    { stallMs: 300_000, what },
  );
