import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RECORD_RESULT_TIMEOUT_SECONDS } from '../../core/reconcile';

const templatePath = path.join(path.resolve(__dirname, '..', '..'), '.serverless', 'cloudformation-template-update-stack.json');

describe('what reconcile waits for, in the packaged template', () => {
  it("leaves a finished level to record-result for exactly record-result's timeout", async () => {
    // Prepare
    const template = JSON.parse(await readFile(templatePath, 'utf8')) as {
      Resources: Record<string, { Properties: { Timeout?: number } }>;
    };
    // Act
    const timeout = template.Resources.RecordResultLambdaFunction?.Properties.Timeout;
    // Assess: a longer timeout would let reconcile race a live record-result on the level it is moving on.
    expect(timeout).toBe(RECORD_RESULT_TIMEOUT_SECONDS);
  });
});
