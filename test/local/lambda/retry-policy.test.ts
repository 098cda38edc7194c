import { decideAfterError } from '../../../local/lambda/retry-policy';
import type { LocalFunction } from '../../../local/template/stack-config';

describe('decideAfterError: what Lambda does with a failed asynchronous invocation', () => {
  const fn = (overrides: Partial<LocalFunction> = {}): LocalFunction => ({
    logicalId: 'TestLambdaFunction',
    name: 'test-fn',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn',
    bundle: '/nowhere/bundle.js',
    exportName: 'handler',
    environment: {},
    timeoutS: 30,
    memorySizeMB: 128,
    maximumRetryAttempts: 2,
    maximumEventAgeS: 21600,
    ...overrides,
  });
  const failed = (attempts: number) => ({ event: {}, firstAttemptAt: 0, attempts });

  it('retries after 1 minute, then after 2, then sends it to the failure destination', () => {
    expect(decideAfterError(fn(), failed(1), 0)).toEqual({ retryAfterS: 60 });
    expect(decideAfterError(fn(), failed(2), 60)).toEqual({ retryAfterS: 120 });
    expect(decideAfterError(fn(), failed(3), 180)).toEqual({ deadLetter: 'RetriesExhausted' });
  });

  it('retries no more than MaximumRetryAttempts says', () => {
    expect(decideAfterError(fn({ maximumRetryAttempts: 0 }), failed(1), 0)).toEqual({ deadLetter: 'RetriesExhausted' });
    expect(decideAfterError(fn({ maximumRetryAttempts: 1 }), failed(2), 60)).toEqual({ deadLetter: 'RetriesExhausted' });
  });

  it('gives up on an event that would pass its maximum age before the retry', () => {
    expect(decideAfterError(fn({ maximumEventAgeS: 100 }), failed(1), 30)).toEqual({ retryAfterS: 60 });
    expect(decideAfterError(fn({ maximumEventAgeS: 100 }), failed(1), 40)).toEqual({ deadLetter: 'EventAgeExceeded' });
  });
});
