/**
 * Fault injection for resilience tests of the pipeline, off by default. Only `POST /invocations` counts:
 * SageMaker pings an instance all the time, and a ping must not use up the crash budget.
 */
export interface FaultOptions {
  /** Share of invocations answered with a 500 instead of a prediction (0 to 1). */
  errorRate: number;
  /** Invocations served normally before the next one takes the process down; unset = never. */
  crashAfter?: number;
  /** Share of invocations that take `slowMs` longer (to exceed InvocationTimeoutSeconds). */
  slowRate: number;
  slowMs: number;
  /** Source of randomness for `errorRate`; injectable so tests are deterministic. */
  random: () => number;
}

export type Fault = 'crash' | 'error' | 'slow';

/** Decides, invocation by invocation, whether to crash, fail, or serve normally (undefined). */
export const makeFaults = (options: FaultOptions): (() => Fault | undefined) => {
  let served = 0;
  return () => {
    if (options.crashAfter !== undefined && served >= options.crashAfter) return 'crash';
    served++;
    if (options.errorRate > 0 && options.random() < options.errorRate) return 'error';
    if (options.slowRate > 0 && options.random() < options.slowRate) return 'slow';
    return undefined;
  };
};
