import { putArticle, startTestCloud, terminalRows } from '../support/local-cloud';
import { eventually } from '../support/eventually';
import { rowsFor } from '../../cli/wait';

const article = (i: number) => `Report ${i} finds that rivers rose early. Farmers planted later. Officials plan new levees.`;

describe('a restart of the local cloud mid-queue', () => {
  it('loses nothing: every article queued before the stop completes after the restart', async () => {
    // Prepare: a slow model so that most of the burst is still queued when the cloud stops.
    const modelArgs = ['--mode', 'fixed', '--latency-ms', '300'];
    const first = await startTestCloud({ modelArgs, timeScale: 60 });
    const keys = Array.from({ length: 30 }, (_, i) => `input/restart/article-${i}.txt`);
    await Promise.all(keys.map((key, i) => putArticle(first, key, article(i))));
    await eventually(
      async () => (await rowsFor(first.dynamo, first.endpoints.table, first.endpoints.bucket, keys)).some((r) => r.state === 'COMPLETED'),
      { timeoutMs: 60_000, what: 'the first article to complete' },
    );

    // Act
    await first.close();
    const second = await startTestCloud({ modelArgs, timeScale: 60, stateDir: first.stateDir });
    try {
      // Assess
      const rows = await terminalRows(second, keys, 120_000);
      expect([...rows.values()].filter((r) => r.state !== 'COMPLETED').map((r) => [r.key, r.state, r.reason])).toEqual([]);
    } finally {
      await second.dispose();
    }
  }, 240_000);
});

describe('a model that fails', () => {
  it("ends the article FAILED with SageMaker's reason", async () => {
    const cloud = await startTestCloud({ modelArgs: ['--mode', 'fixed', '--latency-ms', '10', '--error-rate', '1'] });
    try {
      await putArticle(cloud, 'input/fails.txt', article(1));

      const row = (await terminalRows(cloud, ['input/fails.txt'])).get('input/fails.txt');

      expect(row).toMatchObject({ state: 'FAILED', failedStage: 'inference' });
      expect(row?.reason).toMatch(/^ClientError: Received server error \(500\) from model/);
    } finally {
      await cloud.dispose();
    }
  }, 120_000);
});
