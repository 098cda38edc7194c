/**
 * The function's time, checked inside every loop that walks a document (archive entries, included
 * files, macro passes, markup nodes): a document that would take longer than the function's timeout
 * ends REJECTED with a reason instead of a timed-out invocation. (The PDF reader checks between pages
 * with a message that names the page.)
 */

import { RejectedArticleError } from '../errors';
import type { ExtractionLimits } from './document';

export type Clock = Pick<ExtractionLimits, 'now' | 'deadline'>;

export const checkDeadline = (clock: Clock, doing: string): void => {
  if (clock.now() > clock.deadline) {
    throw new RejectedArticleError(
      `reading the document took longer than the function's time allows (stopped while ${doing}): upload a smaller or simpler document`,
    );
  }
};

/** Units of work (nodes, lines) between two looks at the clock in a DeadlineGuard. */
const EVERY = 256;

/** checkDeadline for tight loops: looks at the clock once every EVERY units of work. */
export class DeadlineGuard {
  private count = 0;

  constructor(
    private readonly clock: Clock,
    private readonly what: string,
  ) {}

  /** One unit of work done; throws RejectedArticleError once the deadline has passed. */
  tick(): void {
    if (++this.count % EVERY === 0) this.check();
  }

  check(): void {
    checkDeadline(this.clock, `reading the ${this.what}, ${this.count} elements in`);
  }
}

/** A clock that never runs out, for callers that read markup without a deadline (tests, tools). */
export const noDeadline: Clock = { now: () => 0, deadline: Number.POSITIVE_INFINITY };
