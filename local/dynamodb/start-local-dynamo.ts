/**
 * DynamoDB, locally: dynalite in a process of its own (dynalite-process.ts) behind the edge, and the
 * ledger table the template defines, upgraded in place when it was kept from an earlier version.
 * The edge's route refuses, before dynalite sees them, the requests that would end its process or
 * hold the edge's memory: injected faults first, then bodies over dynalite's 16 MiB and values
 * nested past DynamoDB's 32 levels (nesting.ts).
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { join } from 'node:path';
import { localBundle } from '../bundles';
import type { FaultInjector } from '../edge/faults';
import { BodyTooLargeError, readBodyUpTo, replyTooLarge } from '../edge/request-body';
import type { RequestHandler } from '../edge/router';
import type { SupervisionStatus } from '../support/supervisor';
import type { StackConfig } from '../template/stack-config';
import { dynamoError, startDynamoProcess, type DynamoProcess } from './dynalite-process';
import { nestingRefusal } from './nesting';
import { ensureTable, withBatch } from './tables';

type Log = (message: string, fields?: Record<string, unknown>) => void;

/**
 * dynalite's own bound, which is also what one BatchWriteItem may carry in all
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html): 16 MB.
 * Past it the edge answers 413 as dynalite does, with a DynamoDB-shaped body; what AWS answers to a
 * larger request is UNVERIFIED.
 */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

const JSON_TYPE = 'application/x-amz-json-1.0';

export interface LocalDynamo {
  /** The edge's DynamoDB route. */
  handle: RequestHandler;
  /** The dynalite process's supervision: running, restarting or given up. */
  status(): SupervisionStatus;
  close(): Promise<void>;
}

/** The route in front of a dynalite process: faults, the body's size and nesting, then dynalite. */
export const dynamoRoute =
  (dynalite: Pick<DynamoProcess, 'forward'>, faults: FaultInjector): RequestHandler =>
  async (req, res) => {
    if (faults.refuse('dynamodb', req, res)) return;
    let body: Buffer;
    try {
      body = await readBodyUpTo(req, MAX_REQUEST_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        replyTooLarge(req, res, JSON_TYPE, dynamoError('ValidationException', `the request is larger than ${MAX_REQUEST_BYTES} bytes`));
      return; // or the client went away mid-body: nothing reaches dynalite
    }
    const refusal = nestingRefusal(body);
    if (refusal) {
      res.writeHead(400, { 'content-type': JSON_TYPE });
      res.end(dynamoError('ValidationException', refusal));
      return;
    }
    await dynalite.forward(req, body, res);
  };

export const startLocalDynamo = async (options: {
  projectRoot: string;
  stateDir: string;
  faults: FaultInjector;
  log: Log;
}): Promise<LocalDynamo> => {
  const dynalite = await startDynamoProcess(localBundle(options.projectRoot, 'dynalite'), join(options.stateDir, 'dynamodb'), options.log);
  return {
    handle: dynamoRoute(dynalite, options.faults),
    status: () => dynalite.status(),
    close: () => dynalite.close(),
  };
};

/** A ledger kept from an earlier version gains the indexes this one adds, and its rows their batch. */
export const ensureLedger = (dynamo: DynamoDBClient, config: StackConfig, stateDir: string, log: Log): Promise<void> =>
  ensureTable(dynamo, config.table, { spillFile: join(stateDir, 'ledger-upgrade.jsonl'), fill: withBatch(config.inputPrefix), log });
