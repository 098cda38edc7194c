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
} as const;

/**
 * On AWS the functions and DynamoDB run on other machines than the endpoint's instances; here all
 * share a few cores. The function threads and dynalite run at a lower priority (nice 10), so during
 * a burst the emulated instances (model processes, and the S3 reads and writes the endpoint makes)
 * keep the CPU they would have on their own hardware, and the functions' queue takes the wait
 * (README, Benchmarks).
 */
export const LOCAL_SERVICE_NICENESS = 10;
