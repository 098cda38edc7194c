import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { localClients } from '../../local/edge/clients';
import type { SupervisionStatus } from '../../local/support/supervisor';
import { rowsFor } from '../../cli/wait';
import { allCompleted } from '../support/all-completed';
import { childCloudPerTest, endpointsOf, startChildCloud } from '../support/child-cloud';
import { eventually } from '../support/eventually';

const ARTICLES = 300;
const BATCH = 'kill-dynamodb';
const keys = Array.from({ length: ARTICLES }, (_, i) => `input/${BATCH}/article-${String(i).padStart(3, '0')}.txt`);
const body = (i: number) => `Article ${i}. The harbour reopened after the storm. Ferries run again from Monday.`;

const upload = async (s3: S3Client, bucket: string): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const i = next++;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: keys[i], Body: body(i) }));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
};

describe('kill -9 of the DynamoDB process during a burst', () => {
  const run = childCloudPerTest('rs-kill-dynamodb-');

  it('loses nothing: every article has one row that ends COMPLETED, its summary recorded once', async () => {
    // Prepare: `npm start` with the stand-in model, its output kept.
    let printed = '';
    run.cloud = startChildCloud(run.stateDir, (text) => (printed += text));
    const cloud = await endpointsOf(run.stateDir);
    const { s3, dynamo, rawDynamo } = localClients(cloud.edgeUrl, cloud.region);
    const dynalite = async (): Promise<SupervisionStatus> => {
      const status = (await (await fetch(`${cloud.edgeUrl}/_localcloud/status`)).json()) as { processes: SupervisionStatus[] };
      return status.processes.find((p) => p.name === 'DynamoDB (dynalite)') as SupervisionStatus;
    };
    const completed = async () => (await rowsFor(dynamo, cloud.table, cloud.bucket, keys)).filter((r) => r.state === 'COMPLETED').length;
    const uploading = upload(s3, cloud.bucket);

    // Act: kill -9 the DynamoDB process twice mid-burst, the second time once it is back and working.
    const killed: number[] = [];
    let doneAtLastKill = 0;
    for (const share of [0.1, 0.4]) {
      doneAtLastKill = await eventually(
        async () => {
          const done = await completed();
          return done >= ARTICLES * share ? done : undefined;
        },
        { timeoutMs: 120_000, everyMs: 100, what: `${share * 100}% of the articles to complete` },
      );
      const { pid } = await dynalite();
      process.kill(pid as number, 'SIGKILL');
      killed.push(pid as number);
      await eventually(async () => ((await dynalite()).restarts === killed.length ? true : undefined), {
        timeoutMs: 60_000,
        what: `restart ${killed.length}`,
      });
    }
    await uploading;

    // Assess
    const rows = await allCompleted(dynamo, cloud, keys, `all ${ARTICLES} articles to complete after the kills`);
    expect(doneAtLastKill).toBeLessThan(ARTICLES);
    expect(new Set(rows.map((r) => r.key)).size).toBe(ARTICLES);
    for (const row of rows) {
      expect([row.key, row.state, (row.summary ?? '').length > 0, row.requestCount, row.attempt ?? 1, row.history ?? []]).toEqual([
        row.key,
        'COMPLETED',
        true,
        1,
        1,
        [],
      ]);
    }
    // One row per article in the batch, no stray ones.
    const inBatch = await dynamo.send(
      new QueryCommand({
        TableName: cloud.table,
        IndexName: 'byBatch',
        KeyConditionExpression: '#b = :b',
        ExpressionAttributeNames: { '#b': 'batch' },
        ExpressionAttributeValues: { ':b': BATCH },
        Select: 'COUNT',
      }),
    );
    expect(inBatch.Count).toBe(ARTICLES);
    // Restarted twice, never given up on, and npm start said so.
    const after = await dynalite();
    expect(after).toMatchObject({ state: 'running', restarts: 2, lastExit: { signal: 'SIGKILL' } });
    expect(killed).not.toContain(after.pid);
    await eventually(
      async () => (/DynamoDB \(dynalite\) running: 2 restarts since the start, last exit SIGKILL/.test(printed) ? true : undefined),
      {
        timeoutMs: 10_000,
        what: "npm start's line about the restarts",
      },
    );
    s3.destroy();
    rawDynamo.destroy();
  }, 600_000);
});
