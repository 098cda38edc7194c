/**
 * DynamoDB, locally: dynalite in a process of its own (dynalite-process.ts) behind the edge, and the
 * ledger table the template defines, upgraded in place when it was kept from an earlier version.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { join } from 'node:path';
import { localBundle } from '../bundles';
import type { FaultInjector } from '../edge/faults';
import type { RequestHandler } from '../edge/router';
import type { StackConfig } from '../template/stack-config';
import { startDynamoProcess } from './dynalite-process';
import { ensureTable, withBatch } from './tables';

type Log = (message: string, fields?: Record<string, unknown>) => void;

export interface LocalDynamo {
  /** The edge's DynamoDB route; the edge's faults refuse a share of requests before dynalite sees them. */
  handle: RequestHandler;
  close(): Promise<void>;
}

export const startLocalDynamo = async (options: {
  projectRoot: string;
  stateDir: string;
  faults: FaultInjector;
  log: Log;
}): Promise<LocalDynamo> => {
  const dynalite = await startDynamoProcess(localBundle(options.projectRoot, 'dynalite'), join(options.stateDir, 'dynamodb'), options.log);
  return {
    handle: (req, res) => {
      if (!options.faults.refuse('dynamodb', req, res)) dynalite.handle(req, res);
    },
    close: () => dynalite.close(),
  };
};

/** A ledger kept from an earlier version gains the indexes this one adds, and its rows their batch. */
export const ensureLedger = (dynamo: DynamoDBClient, config: StackConfig, stateDir: string, log: Log): Promise<void> =>
  ensureTable(dynamo, config.table, { spillFile: join(stateDir, 'ledger-upgrade.jsonl'), fill: withBatch(config.inputPrefix), log });
