import type { Context } from 'aws-lambda';
import type { Clock, LambdaMeter } from '../core/ports';
import { lambdaMeter } from '../core/usage';

/**
 * The invocation's Lambda meter, from the memory size its context reports
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html); none when there is no context
 * memory (a test calling the handler directly).
 */
export const meterOf = (context: Partial<Pick<Context, 'memoryLimitInMB'>>, clock: Clock): { meter?: LambdaMeter } => {
  const memoryMb = Number(context.memoryLimitInMB);
  return memoryMb > 0 ? { meter: lambdaMeter(memoryMb, clock) } : {};
};
