/**
 * The local cloud's defaults: the only copy. The CLI's flags (`--port`, `--time-scale`,
 * `--provisioning-delay`) override them; region and account are what the packaged template is read with.
 */
/** The Serverless service name (serverless.yml `service:`): stacks and functions are named `<service>-<stage>[-<function>]`. */
export const SERVICE = 'research-summarizer';
export const stackNameFor = (stage: string): string => `${SERVICE}-${stage}`;

export const DEFAULTS = {
  port: 4566,
  // 10×: a two-minute cooldown takes 12 s, the one-minute alarm period 6 s.
  timeScale: 10,
  // Simulated; an ml.m5.xlarge with a Hugging Face container takes minutes on AWS.
  provisioningDelayS: 120,
  region: 'us-east-1',
  accountId: '000000000000',
  // Execution environments per function at most; a function's reserved concurrency lowers it. Each
  // costs memory, a cold start and its own JIT warm-up: on two cores, more environments spend more CPU
  // per article and end a burst later (local/README.md, "Deliberate differences from AWS", Functions).
  lambdaEnvironments: 4,
} as const;

/**
 * Every part of the local cloud runs at the priority it was started with (no part is niced): on a
 * machine shared with other work, a niced part (it was the function threads and dynalite) starves
 * behind any outside process at nice 0 and the whole pipeline stalls behind it (docs/benchmarks.md,
 * "Priorities"). The function threads carry this name prefix, so CPU time can be told apart by part.
 */
export const FUNCTION_THREAD_PREFIX = 'lambda:';
