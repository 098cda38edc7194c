import type { StackConfig } from '../template/stack-config';
import { LocalLambda, type LambdaRuntimeOptions } from './runtime';

/** The environment a function sees locally: the edge for every service, any credentials. */
export const localFunctionEnv = (edgeUrl: string, region: string): Record<string, string> => ({
  AWS_REGION: region,
  AWS_DEFAULT_REGION: region,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_ENDPOINT_URL: edgeUrl,
  // s3rver stores aws-chunked uploads framed unless checksums are only sent when required.
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

/** One LocalLambda per function of the template, by logical id. */
export const startFunctions = (config: StackConfig, options: Omit<LambdaRuntimeOptions, 'fn'>): Record<string, LocalLambda> =>
  Object.fromEntries(Object.values(config.functions).map((fn) => [fn.logicalId, new LocalLambda({ ...options, fn })]));
