/**
 * The function's time, checked inside the loops that walk a document: a page or article too large to
 * read before the deadline is refused with a reason, never left to time the function out.
 */

import { RejectedArticleError } from '../../errors';
import type { ExtractionLimits } from '../document';

export type Clock = Pick<ExtractionLimits, 'now' | 'deadline'>;

/** Units of work (nodes, lines) between two looks at the clock. */
const EVERY = 256;

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
    if (this.clock.now() > this.clock.deadline)
      throw new RejectedArticleError(
        `reading the ${this.what} did not finish within the function's time (${this.count} elements read); upload a smaller document or its text`,
      );
  }
}

/** A clock that never runs out, for callers that read markup without a deadline (tests, tools). */
export const noDeadline: Clock = { now: () => 0, deadline: Number.POSITIVE_INFINITY };
