/** Read limits for document tests: a generous budget and a clock the test owns (nothing waits on real time). */

import type { ReadContext } from '../../../core/documents/document';

export interface TestClock {
  now: () => number;
  /** Moves the clock past the deadline. */
  expire: () => void;
}

export const testContext = (overrides: Partial<ReadContext> = {}): ReadContext & TestClock => {
  let time = 1_000_000;
  const deadline = time + 60_000;
  return {
    key: 'input/paper',
    maxExpandedBytes: 64 * 1024 * 1024,
    deadline,
    now: () => time,
    expire: () => {
      time = deadline + 1;
    },
    ...overrides,
  };
};
