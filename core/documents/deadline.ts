import { RejectedArticleError } from '../errors';
import type { ExtractionLimits } from './document';

/**
 * Stops a reader once the function's time for extraction has passed: every loop over a document's
 * parts (archive entries, included files, macro passes) calls this, so a document that would take
 * longer than the function's timeout ends REJECTED with a reason instead of a timed-out invocation.
 */
export const checkDeadline = (limits: Pick<ExtractionLimits, 'deadline' | 'now'>, doing: string): void => {
  if (limits.now() > limits.deadline) {
    throw new RejectedArticleError(
      `reading the document took longer than the function's time allows (stopped while ${doing}): upload a smaller or simpler document`,
    );
  }
};
