/**
 * The stack's Lambda functions, read from the packaged template: bundle, handler, environment,
 * timeout, memory and asynchronous-invocation settings (AWS::Lambda::EventInvokeConfig).
 */

import { join } from 'node:path';
import type { TemplateView } from './template-view';

export interface LocalFunction {
  logicalId: string;
  name: string;
  arn: string;
  /** The esbuild bundle the Lambda zip contains, and the exported handler name. */
  bundle: string;
  exportName: string;
  environment: Record<string, string>;
  timeoutS: number;
  /** What the handler's context reports as memoryLimitInMB. */
  memorySizeMB: number;
  maximumRetryAttempts: number;
  maximumEventAgeS: number;
  /** Name of the SQS queue of the OnFailure destination, if any. */
  onFailureQueue?: string;
  /** ReservedConcurrentExecutions: the most invocations that may run at once, when the template reserves any. */
  reservedConcurrency?: number;
}

export const BUNDLE_DIR = join('.esbuild', '.build');

// CloudFormation's MemorySize when a function sets none.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html
const DEFAULT_MEMORY_SIZE_MB = 128;

export const functionsOf = ({ ofType, ev, resolver }: TemplateView, projectRoot: string): Record<string, LocalFunction> => {
  const invokeConfigs = ofType('AWS::Lambda::EventInvokeConfig').map(([, r]) => ev<Record<string, any>>(r.Properties)); // eslint-disable-line @typescript-eslint/no-explicit-any
  return Object.fromEntries(
    ofType('AWS::Lambda::Function').map(([id, r]) => {
      const p = ev<{
        Handler: string;
        Environment?: { Variables?: Record<string, string> };
        Timeout?: number;
        MemorySize?: number;
        ReservedConcurrentExecutions?: number | string;
      }>(r.Properties);
      const name = resolver.ref(id);
      const invokeConfig = invokeConfigs.find((c) => c.FunctionName === name);
      const [file, exportName] = splitHandler(p.Handler);
      const destination: string | undefined = invokeConfig?.DestinationConfig?.OnFailure?.Destination;
      const fn: LocalFunction = {
        logicalId: id,
        name,
        arn: resolver.getAtt(id, 'Arn'),
        bundle: join(projectRoot, BUNDLE_DIR, `${file}.js`),
        exportName,
        environment: Object.fromEntries(Object.entries(p.Environment?.Variables ?? {}).map(([k, v]) => [k, String(v)])),
        timeoutS: p.Timeout ?? 6,
        memorySizeMB: Number(p.MemorySize ?? DEFAULT_MEMORY_SIZE_MB),
        // Lambda's defaults for asynchronous invocation: 2 retries, events kept up to 6 hours.
        maximumRetryAttempts: invokeConfig?.MaximumRetryAttempts ?? 2,
        maximumEventAgeS: invokeConfig?.MaximumEventAgeInSeconds ?? 21600,
        ...(destination ? { onFailureQueue: destination.split(':').pop() as string } : {}),
        ...(p.ReservedConcurrentExecutions !== undefined ? { reservedConcurrency: Number(p.ReservedConcurrentExecutions) } : {}),
      };
      return [id, fn];
    }),
  );
};

const splitHandler = (handler: string): [string, string] => {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
};
