/**
 * The ReadContext a reader gets, on a simulated clock: the deadline is never reached unless a test
 * says so (nothing depends on how fast this machine is).
 */

import type { ReadContext } from '../../../core/documents/document';

export interface TestClock {
  now: () => number;
  /** Moves the clock past the deadline. */
  expire: () => void;
}

/** A generous budget and a clock the test owns: nothing waits on real time. */
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

export const readContext = (overrides: Partial<ReadContext> = {}): ReadContext =>
  testContext({ key: 'input/article', maxExpandedBytes: 50 * 1024 * 1024, ...overrides });

/** A context whose deadline has already passed. */
export const pastDeadline = (): ReadContext => {
  const context = testContext({ key: 'input/article' });
  context.expire();
  return context;
};

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Text as one byte per character (ISO-8859-1, windows-1252); "\u0092" gives the byte 0x92. */
export const singleByte = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));

/** Enough sentences of plain prose for a body (`n` sentences about `topic`). */
export const prose = (topic: string, n = 12): string =>
  Array.from({ length: n }, (_, i) => `Sentence ${i + 1} about ${topic} carries ordinary words for the reader to follow.`).join(' ');
