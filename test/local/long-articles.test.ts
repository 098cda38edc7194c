import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { runRetry } from '../../cli/retry';
import { resolveTarget } from '../../cli/target';
import type { ArticleEvent } from '../../core/article-events';
import { eventually } from '../support/eventually';
import { generatedArticle } from '../support/long-text';
import { projectRoot, putArticle, startTestCloud, terminalRows, type TestCloud } from '../support/local-cloud';

describe('long articles on the local cloud: split, map, reduce, end to end', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
  }, 60_000);
  afterAll(async () => cloud.dispose());

  const readText = async (location: string): Promise<string> => {
    const key = location.replace(`s3://${cloud.endpoints.bucket}/`, '');
    return (await cloud.s3.send(new GetObjectCommand({ Bucket: cloud.endpoints.bucket, Key: key }))).Body!.transformToString();
  };

  it('summarizes a 4,000-word article part by part, then reduces; a short article still takes one request', async () => {
    // Prepare
    const long = generatedArticle(4000, 7);
    const short =
      'Researchers measured river levels for ten years. They found floods arrive earlier each spring. The change was largest in the north.';
    // Act
    await putArticle(cloud, 'input/long/paper.txt', long);
    await putArticle(cloud, 'input/long/note.txt', short);
    const rows = await terminalRows(cloud, ['input/long/paper.txt', 'input/long/note.txt'], 120_000);

    // Assess: the long one in N parts plus reduce requests, its summary drawn from the article.
    const paper = rows.get('input/long/paper.txt');
    expect(paper).toMatchObject({ state: 'COMPLETED', partsDone: paper?.parts, levelSize: 1 });
    const parts = paper?.parts as number;
    expect(parts).toBeGreaterThan(4);
    // Every request is a step of the row: the parts, then each reduce level's groups, the last one final.
    const steps = Object.keys(paper?.steps ?? {});
    expect(steps.filter((step) => step.startsWith('p'))).toHaveLength(parts);
    expect(steps).toContain(`r${paper?.level}-1`);
    expect(paper?.requestCount).toBe(steps.length);
    const firstSentence = (paper?.summary ?? '').split(/(?<=\.)\s/)[0] as string;
    expect(long).toContain(firstSentence.trim());
    const partSummaries = JSON.parse(await readText(paper?.partSummariesLocation as string)) as {
      article: string;
      parts: { part: number; summary: string }[];
    };
    expect(partSummaries.article).toBe(`s3://${cloud.endpoints.bucket}/input/long/paper.txt`);
    expect(partSummaries.parts.map((p) => p.part)).toEqual(Array.from({ length: parts }, (_, i) => i + 1));
    expect(partSummaries.parts.every((p) => p.summary.length > 0)).toBe(true);
    const requests = await cloud.s3.send(
      new ListObjectsV2Command({ Bucket: cloud.endpoints.bucket, Prefix: `requests/${paper?.articleId}/` }),
    );
    expect(requests.Contents?.length).toBe(steps.length);

    // The short one: unchanged.
    expect(rows.get('input/long/note.txt')).toMatchObject({ state: 'COMPLETED', requestCount: 1 });
    expect(rows.get('input/long/note.txt')?.parts).toBeUndefined();
  }, 150_000);
});

/**
 * Every message the local cloud's ArticleEventsTopic delivered for a key, oldest first: raw, not
 * de-duplicated, so a second message for one transition (two parts failing at once) fails the test.
 */
const eventsOf = (cloud: TestCloud, key: string): ArticleEvent[] =>
  cloud.articleEvents
    .latest()
    .map((envelope) => JSON.parse(envelope.Message) as ArticleEvent)
    .filter((event) => event.key === key);

describe('npm run retry of a long article on the local cloud', () => {
  it('fails naming a part when the model fails, then completes after a retry that sends only the parts without a summary', async () => {
    // Prepare: every model call fails, so the article ends FAILED at its first part's failure.
    const failing = await startTestCloud({ modelArgs: ['--mode', 'fixed', '--latency-ms', '10', '--error-rate', '1'] });
    await putArticle(failing, 'input/long/retry-me.txt', generatedArticle(2500, 11));
    // The row is FAILED at the first part's failure. The retry does not wait for the other parts: the
    // ones still queued are answered by the healthy cloud after the restart, before or after the retry.
    const [failed] = [...(await terminalRows(failing, ['input/long/retry-me.txt'])).values()];
    expect(failed).toMatchObject({ state: 'FAILED', failedStage: 'inference', partsDone: 0 });
    expect(failed?.reason).toMatch(new RegExp(`^part \\d+ of ${failed?.parts}: `));
    await failing.close();
    const healthy = await startTestCloud({ stateDir: failing.stateDir, modelArgs: ['--mode', 'fixed', '--latency-ms', '10'] });
    try {
      // Act: what `npm run retry -- --state FAILED` runs.
      const results = await runRetry(await resolveTarget({ stateDir: healthy.stateDir, projectRoot }), ['FAILED']);

      // Assess: attempt 2 sends every part without a summary, then the reduce.
      expect(results).toEqual([expect.objectContaining({ key: 'input/long/retry-me.txt', outcome: 'queued', attempt: 2 })]);
      const row = (await terminalRows(healthy, ['input/long/retry-me.txt'])).get('input/long/retry-me.txt');
      const parts = failed?.parts as number;
      expect(row).toMatchObject({ state: 'COMPLETED', attempt: 2, parts, partsDone: parts });
      const steps = Object.entries(row?.steps ?? {});
      const resent = steps.filter(([, step]) => step.id.startsWith(`${row?.inferenceId}-`));
      // A part attempt 1 summarized after the failure (answered after the restart, before the retry
      // reopened the row) is kept, not sent again; every other step is attempt 2's.
      const kept = steps.filter(([, step]) => !step.id.startsWith(`${row?.inferenceId}-`));
      expect(kept.every(([name, step]) => name.startsWith('p') && step.s === 'done' && step.id.startsWith(`${failed?.inferenceId}-`))).toBe(
        true,
      );
      expect(resent.some(([name]) => name.startsWith('r'))).toBe(true);
      // Every request is counted once: attempt 1's parts, then each request attempt 2 sent.
      expect(row?.requestCount).toBe(parts + resent.length);
      // Users were told twice, once per end: FAILED (attempt 1), then COMPLETED (attempt 2), each with its
      // own event id (the log is kept in the state folder across the restart).
      await eventually(() => (eventsOf(healthy, 'input/long/retry-me.txt').length >= 2 ? true : undefined), {
        timeoutMs: 30_000,
        what: "the retried article's second event",
      });
      const told = eventsOf(healthy, 'input/long/retry-me.txt');
      expect(told.map((e) => [e.state, e.attempt])).toEqual([
        ['FAILED', 1],
        ['COMPLETED', 2],
      ]);
      expect(told[0]?.eventId).not.toBe(told[1]?.eventId);
    } finally {
      await healthy.dispose();
    }
  }, 180_000);
});
