/**
 * A function's queue of asynchronous invocations: Lambda accepts the event (202), keeps it in a queue
 * and runs it when it has an execution environment for it, retrying on error.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 *
 * Every accepted invocation is journaled (support/journal.ts) until it succeeds or is dead-lettered,
 * so a restart, even after a kill -9, runs again whatever was queued, running or waiting for a retry.
 */

import { randomUUID } from 'node:crypto';
import { Journal } from '../support/journal';

export interface Invocation {
  event: unknown;
  /** Epoch ms of acceptance: the maximum event age counts from here. */
  firstAttemptAt: number;
  /** Attempts made so far. */
  attempts: number;
}

export class InvocationQueue {
  private readonly journal: Journal<Invocation>;
  /** Ids ready to run, oldest first; the others are running or waiting for their retry. */
  private readonly ready: string[] = [];

  constructor(file: string) {
    this.journal = new Journal<Invocation>(file);
    // Invocations accepted before a restart run again, in the order they were accepted.
    for (const [id] of this.journal.entries()) this.ready.push(id);
  }

  /** Accepts an event; its id is also the request id of every attempt. */
  accept(event: unknown, now = Date.now()): string {
    const id = randomUUID();
    this.journal.add(id, { event, firstAttemptAt: now, attempts: 0 });
    this.ready.push(id);
    return id;
  }

  /** The oldest invocation ready to run, taken off the queue, with its id. */
  take(): { id: string; invocation: Invocation } | undefined {
    for (let id = this.ready.shift(); id !== undefined; id = this.ready.shift()) {
      const invocation = this.journal.get(id);
      if (invocation) return { id, invocation };
    }
    return undefined;
  }

  /** Keeps the attempts made so far, so a restart does not grant a failed invocation fresh retries. */
  recordAttempts(id: string, invocation: Invocation): void {
    this.journal.add(id, invocation);
  }

  /** Puts an invocation whose retry is due back at the end of the queue. */
  retry(id: string): void {
    this.ready.push(id);
  }

  /** Ends an invocation for good: it succeeded or was dead-lettered. */
  done(id: string): void {
    this.journal.done(id);
  }

  /** Invocations ready to run now. */
  get queued(): number {
    return this.ready.length;
  }

  /** Invocations accepted and not yet done: queued, running or waiting for a retry. */
  get pending(): number {
    return this.journal.size;
  }

  close(): void {
    this.journal.close();
  }
}
