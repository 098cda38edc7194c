/**
 * A function's OnFailure destination, locally: the invocation record Lambda sends there, one JSON file
 * per failed invocation in `<state>/dead-letter/<queue>/` (no SQS runs locally).
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalFunction } from '../template/stack-config';
import type { Invocation } from './invocation-queue';
import type { FunctionError } from './worker';

export class DeadLetters {
  private readonly dir: string;

  constructor(
    stateDir: string,
    private readonly fn: LocalFunction,
  ) {
    this.dir = join(stateDir, 'dead-letter', fn.onFailureQueue ?? `${fn.name}-no-destination`);
    mkdirSync(this.dir, { recursive: true });
  }

  /** Writes the destination record of an invocation that failed for good. */
  write(
    requestId: string,
    invocation: Invocation,
    condition: 'RetriesExhausted' | 'EventAgeExceeded',
    error: FunctionError | undefined,
    now = new Date(),
  ): void {
    const record = {
      version: '1.0',
      timestamp: now.toISOString(),
      requestContext: {
        requestId,
        functionArn: `${this.fn.arn}:$LATEST`,
        condition,
        approximateInvokeCount: invocation.attempts,
      },
      requestPayload: invocation.event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: error,
    };
    writeFileSync(join(this.dir, `${now.getTime()}-${requestId}.json`), JSON.stringify(record, null, 2));
  }

  /** The records written so far, oldest first. */
  list(): Record<string, unknown>[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(this.dir, f), 'utf-8')) as Record<string, unknown>);
  }
}
