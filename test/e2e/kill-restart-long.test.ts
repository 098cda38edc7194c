import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { localClients } from '../../local/edge/clients';
import { rowsFor } from '../../cli/wait';
import { STEP_SEND_CONCURRENCY } from '../../core/long-article/send-steps';
import { allCompleted } from '../support/all-completed';
import { childCloudPerTest, endpointsOf, killNow, startChildCloud } from '../support/child-cloud';
import { eventually } from '../support/eventually';
import { generatedArticle } from '../support/long-text';

const countOutputs = async (s3: S3Client, bucket: string): Promise<number> => {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'outputs/', ContinuationToken: token }));
    count += page.KeyCount ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  return count;
};

const ARTICLES = 12;

describe('kill -9 of the whole local cloud in the middle of long articles', () => {
  const run = childCloudPerTest('rs-kill-long-');

  it('loses nothing and records no step twice: every article COMPLETED with every part and one reduce', async () => {
    // Prepare: long articles uploaded (5 or 6 parts each), killed once about a third of the parts are in.
    run.cloud = startChildCloud(run.stateDir);
    const first = await endpointsOf(run.stateDir);
    const { s3, dynamo } = localClients(first.edgeUrl, first.region);
    const keys = Array.from({ length: ARTICLES }, (_, i) => `input/kill-long/paper-${i}.txt`);
    for (const [i, Key] of keys.entries())
      await s3.send(new PutObjectCommand({ Bucket: first.bucket, Key, Body: generatedArticle(3000, 100 + i) }));
    const before = await eventually(
      async () => {
        const rows = await rowsFor(dynamo, first.table, first.bucket, keys);
        return rows.reduce((sum, r) => sum + (r.partsDone ?? 0), 0) >= 20 ? rows : undefined;
      },
      { timeoutMs: 120_000, everyMs: 50, what: 'some parts summarized before the kill' },
    );

    // Act: kill everything at once, then start again on the same state.
    await killNow(run.cloud);
    s3.destroy();
    rmSync(join(run.stateDir, 'endpoints.json'));
    run.cloud = startChildCloud(run.stateDir);
    const second = await endpointsOf(run.stateDir);
    const after = localClients(second.edgeUrl, second.region);
    const rows = await allCompleted(after.dynamo, second, keys, `all ${ARTICLES} long articles to complete after the restart`);

    // Assess: the kill landed mid-way; every part in, one final reduce each, every request counted once
    // (each request is one step of its row).
    expect(before.filter((r) => r.state === 'COMPLETED').length).toBeLessThan(ARTICLES);
    for (const row of rows) {
      expect(row).toMatchObject({ partsDone: row.parts, levelSize: 1, requestCount: Object.keys(row.steps ?? {}).length });
      expect(Object.values(row.steps ?? {}).every((s) => s.s === 'done')).toBe(true);
    }
    // Each model run writes one output object; the ledger above recorded each step once all the same.
    // Extra runs come from two places, each bounded: a request in the model at the kill runs again after
    // the restart (local/sagemaker-async/README.md: at least once), at most what the model holds at once
    // (5 instances x 2 concurrent invocations in serverless.yml); and a step the endpoint accepted but the
    // killed invocation had not recorded is sent again by that invocation's retry, at most
    // STEP_SEND_CONCURRENCY per article (each article's parts are sent by its one submit-article invocation).
    const requests = rows.reduce((sum, r) => sum + r.requestCount, 0);
    const outputs = await countOutputs(after.s3, second.bucket);
    expect(outputs).toBeGreaterThanOrEqual(requests);
    expect(outputs - requests).toBeLessThanOrEqual(5 * 2 + STEP_SEND_CONCURRENCY * ARTICLES);
    after.s3.destroy();
    after.rawDynamo.destroy();
  }, 600_000);
});
