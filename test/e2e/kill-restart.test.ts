import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localClients } from '../../local/edge/clients';
import { rowsFor } from '../../cli/wait';
import { allCompleted } from '../support/all-completed';
import { childCloudPerTest, endpointsOf, killNow, startChildCloud } from '../support/child-cloud';
import { eventually } from '../support/eventually';

const ARTICLES = 2000;
const body = (i: number) => `Article ${i}. It states a fact. It adds another.`;
const keysFor = (run: string) => Array.from({ length: ARTICLES }, (_, i) => `input/${run}/article-${String(i).padStart(4, '0')}.txt`);

/** Uploads with a few requests in flight, as `npm run drop` does; fills `acked` with the keys S3 acknowledged. */
const upload = async (
  s3: S3Client,
  bucket: string,
  keys: string[],
  stop: () => boolean,
  acked = new Set<string>(),
): Promise<Set<string>> => {
  let next = 0;
  const worker = async () => {
    while (next < keys.length && !stop()) {
      const i = next++;
      const Key = keys[i] as string;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: body(i) })).then(
        () => acked.add(Key),
        () => undefined, // the cloud died under this request: the client uploads it again later
      );
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return acked;
};

describe('kill -9 of the whole local cloud in the middle of a 2,000-article burst', () => {
  const run = childCloudPerTest('rs-kill-');

  it('loses nothing: after `npm start` again, every uploaded article ends COMPLETED, once', async () => {
    // Prepare
    run.cloud = startChildCloud(run.stateDir);
    const first = await endpointsOf(run.stateDir);
    const { s3, dynamo } = localClients(first.edgeUrl, first.region);
    const keys = keysFor('kill');
    expect((await upload(s3, first.bucket, keys, () => false)).size).toBe(ARTICLES);
    const doneBeforeKill = await eventually(
      async () => {
        const done = (await rowsFor(dynamo, first.table, first.bucket, keys)).filter((r) => r.state === 'COMPLETED').length;
        return done >= ARTICLES / 10 ? done : undefined;
      },
      { timeoutMs: 120_000, everyMs: 200, what: 'some articles to complete before the kill' },
    );

    // Act: kill everything at once, mid-burst, then start again on the same state.
    await killNow(run.cloud);
    s3.destroy();
    rmSync(join(run.stateDir, 'endpoints.json'));
    run.cloud = startChildCloud(run.stateDir);
    const second = await endpointsOf(run.stateDir);
    const after = localClients(second.edgeUrl, second.region);

    // Assess
    const rows = await allCompleted(after.dynamo, second, keys, `all ${keys.length} articles to complete after the restart`);
    expect(doneBeforeKill).toBeLessThan(ARTICLES); // the kill did land mid-burst
    expect(new Set(rows.map((r) => r.key)).size).toBe(ARTICLES);
    expect(rows.every((r) => (r.summary ?? '').length > 0)).toBe(true);
    after.s3.destroy();
    after.rawDynamo.destroy();
  }, 600_000);

  it('loses nothing when killed while the uploads are still arriving: every article completes, once', async () => {
    // Prepare: the uploads running when the kill lands.
    run.cloud = startChildCloud(run.stateDir);
    const first = await endpointsOf(run.stateDir);
    const { s3 } = localClients(first.edgeUrl, first.region);
    const keys = keysFor('kill-uploads');
    let killing = false;
    const acked = new Set<string>();
    const uploading = upload(s3, first.bucket, keys, () => killing, acked);

    // Act: kill when about half the uploads are in, start again, and upload what was not acknowledged.
    await eventually(async () => (acked.size >= ARTICLES / 2 ? true : undefined), {
      timeoutMs: 120_000,
      everyMs: 20,
      what: 'half the uploads',
    });
    killing = true;
    await killNow(run.cloud);
    await uploading;
    s3.destroy();
    rmSync(join(run.stateDir, 'endpoints.json'));
    run.cloud = startChildCloud(run.stateDir);
    const second = await endpointsOf(run.stateDir);
    const after = localClients(second.edgeUrl, second.region);
    const rest = keys.filter((k) => !acked.has(k));
    expect((await upload(after.s3, second.bucket, rest, () => false)).size).toBe(rest.length);

    // Assess
    const rows = await allCompleted(after.dynamo, second, keys, `all ${keys.length} articles to complete after the restart`);
    expect(rest.length).toBeGreaterThan(0); // the kill did land mid-upload
    expect(new Set(rows.map((r) => r.key)).size).toBe(ARTICLES);
    expect(rows.every((r) => (r.summary ?? '').length > 0)).toBe(true);
    after.s3.destroy();
    after.rawDynamo.destroy();
  }, 600_000);
});
