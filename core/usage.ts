import type { Clock, LambdaMeter, Usage } from './ports';

/**
 * Lambda bills each invocation's duration at its memory size, in GB-seconds
 * (https://aws.amazon.com/lambda/pricing/). A meter starts with the invocation; each write that records
 * work for an article takes what was spent since the previous take, so the row's `lambdaGbs` holds the
 * article's share of every invocation that worked on it. What runs after an invocation's last write
 * (its log line, the return) is not counted: milliseconds.
 */
export const lambdaMeter = (memoryMb: number, clock: Clock): LambdaMeter => {
  let last = clock.now().getTime();
  return {
    take: () => {
      const now = clock.now().getTime();
      const spent = Math.max(0, now - last);
      last = now;
      return (spent / 1000) * (memoryMb / 1024);
    },
  };
};

/** The usage a write records: the meter's take (when running in Lambda) and the bytes it moved. */
export const usageOf = (meter: LambdaMeter | undefined, bytes: Omit<Usage, 'lambdaGbs'> = {}): Usage => {
  const lambdaGbs = meter?.take();
  return { ...bytes, ...(lambdaGbs ? { lambdaGbs } : {}) };
};
