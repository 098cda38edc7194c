import { SUBMIT_ARTICLE_FUNCTION, withFunctionEnvironment, type StackConfig } from '../../local/template/stack-config';
import { putArticle, startTestCloud, terminalRows } from '../support/local-cloud';

const article = (i: number) => `Study ${i} tracked sea ice for a decade. The ice thinned every year. Shipping routes opened.`;

/** The submit function's environment changed for one run, as a redeploy with other parameters would. */
const submitEnv =
  (vars: Record<string, string>) =>
  (config: StackConfig): StackConfig =>
    withFunctionEnvironment(config, SUBMIT_ARTICLE_FUNCTION, vars);

describe('endpoint faults through the whole pipeline', () => {
  it('an invocation that outlives InvocationTimeoutSeconds ends FAILED with the timeout reason', async () => {
    const cloud = await startTestCloud({
      modelArgs: ['--mode', 'fixed', '--latency-ms', '10', '--slow-rate', '1', '--slow-ms', '3000'],
      adjust: submitEnv({ INVOCATION_TIMEOUT_SECONDS: '1' }),
    });
    try {
      await putArticle(cloud, 'input/slow.txt', article(1));

      const row = (await terminalRows(cloud, ['input/slow.txt'])).get('input/slow.txt');

      expect(row).toMatchObject({ state: 'FAILED', failedStage: 'inference' });
      expect(row?.reason).toMatch(
        /^ClientError: The invocation timed out: the model did not respond within InvocationTimeoutSeconds \(1 s\)/,
      );
    } finally {
      await cloud.dispose();
    }
  }, 60_000);

  it('requests that wait in the backlog past RequestTTLSeconds end EXPIRED; the rest complete; none is lost', async () => {
    // 60 s of TTL is 0.1 s at this time scale: most of a 12-article backlog on one slow instance expires.
    const cloud = await startTestCloud({
      timeScale: 600,
      modelArgs: ['--mode', 'fixed', '--latency-ms', '400'],
      adjust: submitEnv({ REQUEST_TTL_SECONDS: '60' }),
    });
    try {
      const keys = Array.from({ length: 12 }, (_, i) => `input/ttl/article-${i}.txt`);
      await Promise.all(keys.map((key, i) => putArticle(cloud, key, article(i))));

      const rows = [...(await terminalRows(cloud, keys, 120_000)).values()];

      const expired = rows.filter((r) => r.state === 'EXPIRED');
      expect(expired.length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.state !== 'EXPIRED' && r.state !== 'COMPLETED')).toEqual([]);
      for (const row of expired)
        expect(row.reason).toMatch(/^ClientError: Request expired in the queue: it waited longer than RequestTTLSeconds \(60 s\)/);
    } finally {
      await cloud.dispose();
    }
  }, 180_000);
});
