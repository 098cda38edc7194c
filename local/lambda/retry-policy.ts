/**
 * What Lambda does with an asynchronous invocation that returned an error: retry it after 1 minute,
 * then after 2 more, up to the function's MaximumRetryAttempts (0 to 2, default 2), as long as the
 * event is younger than MaximumEventAgeInSeconds (default 6 hours); otherwise send it to the OnFailure
 * destination with the condition that ended it.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */

import type { LocalFunction } from '../template/stack-config';
import type { Invocation } from './invocation-queue';

/** Lambda's waits before the first and second retry of an asynchronous invocation, simulated seconds. */
export const RETRY_WAITS_S = [60, 120];

export type AfterError = { retryAfterS: number } | { deadLetter: 'RetriesExhausted' | 'EventAgeExceeded' };

/**
 * `invocation.attempts` counts the attempt that just failed; `ageS` is the event's age in simulated
 * seconds.
 */
export const decideAfterError = (fn: LocalFunction, invocation: Invocation, ageS: number): AfterError => {
  const wait = RETRY_WAITS_S[invocation.attempts - 1];
  if (invocation.attempts <= fn.maximumRetryAttempts && wait !== undefined && ageS + wait < fn.maximumEventAgeS) {
    return { retryAfterS: wait };
  }
  return { deadLetter: invocation.attempts > fn.maximumRetryAttempts ? 'RetriesExhausted' : 'EventAgeExceeded' };
};
