/**
 * Runs `work` on each item, at most `concurrency` at once, starting them in order. At the first error no
 * further item starts; the ones in flight finish, then that first error is thrown. A long article's steps
 * are sent this way (send-steps.ts) and a finished level's summaries read this way (record-step.ts): one
 * at a time, a level of 56 steps is 56 round trips in a row inside one Lambda invocation's timeout.
 */
export const eachAtMost = async <T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure) throw failure.error;
};
