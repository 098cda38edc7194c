import { modelArgs } from '../../../local/model-server/launch';
import type { StackConfig } from '../../../local/template/stack-config';

const stack = (limit?: string) =>
  ({ functions: { SubmitArticleLambdaFunction: { environment: limit ? { MAX_INPUT_TOKENS: limit } : {} } } }) as unknown as StackConfig;

describe('the local model’s input limit', () => {
  it('is the stack’s maxInputTokens, so the local model truncates where the deployed one does', () => {
    expect(modelArgs(stack('4096'), ['--mode', 'fixed'])).toEqual(['--max-input-tokens', '4096', '--mode', 'fixed']);
  });

  it('leaves a limit the caller set, and a stack without one, alone', () => {
    expect(modelArgs(stack('4096'), ['--max-input-tokens', '512'])).toEqual(['--max-input-tokens', '512']);
    expect(modelArgs(stack(), [])).toEqual([]);
  });
});
