/** Polls `probe` until it returns a value that is not undefined/false, or fails after the deadline. */
export const eventually = async <T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 10_000, everyMs = 50, what = 'the condition' }: { timeoutMs?: number; everyMs?: number; what?: string } = {},
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
};

/**
 * Polls `probe` like `eventually`, but fails only when `progress` (a count that rises as work gets done)
 * has not risen for `stallMs`: a long wait that a busy machine slows down but never breaks.
 */
export const eventuallyProgressing = async <T>(
  probe: () => Promise<{ done: T | undefined; progress: number }>,
  { stallMs, everyMs = 1000, what }: { stallMs: number; everyMs?: number; what: string },
): Promise<T> => {
  let best = -Infinity;
  let lastRise = Date.now();
  for (;;) {
    const { done, progress } = await probe();
    if (done !== undefined) return done;
    if (progress > best) {
      best = progress;
      lastRise = Date.now();
    } else if (Date.now() - lastRise > stallMs) {
      throw new Error(`no progress for ${stallMs} ms (stuck at ${best}) waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
};
