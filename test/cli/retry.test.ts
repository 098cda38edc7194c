import { resolveTarget } from '../../cli/target';
import { runRetry } from '../../cli/retry';
import { projectRoot, putArticle, startTestCloud, terminalRows } from '../support/local-cloud';

const ARTICLE = 'The council approved the new bridge on Monday. Work starts in spring. It will take two years.';

describe('npm run retry on the local cloud', () => {
  it('sends an article that failed in the model again after a restart, and keeps the failure in its history', async () => {
    // Prepare: every model call fails, so the article ends FAILED.
    const failing = await startTestCloud({ modelArgs: ['--mode', 'fixed', '--latency-ms', '10', '--error-rate', '1'] });
    await putArticle(failing, 'input/retry-me.txt', ARTICLE);
    const failed = (await terminalRows(failing, ['input/retry-me.txt'])).get('input/retry-me.txt');
    expect(failed).toMatchObject({ state: 'FAILED', failedStage: 'inference' });
    await failing.close();
    const healthy = await startTestCloud({ stateDir: failing.stateDir, modelArgs: ['--mode', 'fixed', '--latency-ms', '10'] });
    try {
      // Act: what `npm run retry -- --state FAILED` runs, against the running local cloud.
      const target = await resolveTarget({ stateDir: healthy.stateDir, projectRoot });
      const results = await runRetry(target, ['FAILED']);

      // Assess
      expect(results).toEqual([expect.objectContaining({ key: 'input/retry-me.txt', outcome: 'queued', attempt: 2 })]);
      const row = (await terminalRows(healthy, ['input/retry-me.txt'])).get('input/retry-me.txt');
      expect(row).toMatchObject({ state: 'COMPLETED', attempt: 2 });
      expect(row?.history).toEqual([
        expect.objectContaining({ attempt: 1, state: 'FAILED', inferenceId: failed?.inferenceId, reason: failed?.reason }),
      ]);
    } finally {
      await healthy.dispose();
    }
  }, 180_000);
});
