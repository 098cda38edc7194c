import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { rowsFor } from '../../../cli/wait';
import { FaultInjector, parseFaultRates } from '../../../local/edge/faults';
import { SUBMIT_ARTICLE_FUNCTION } from '../../../local/template/stack-config';
import { eventually } from '../../support/eventually';
import { startTestCloud, terminalRows } from '../../support/local-cloud';

const clientOptions = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const article = (i: number) => `Survey ${i} shows more cyclists in the city. Bike lanes were added last year. Accidents fell.`;

describe('S3 and DynamoDB refusing requests at the edge (fault injection)', () => {
  it("is off by default, and answers with the services' own errors that the SDK retries, when switched on at run time", async () => {
    const cloud = await startTestCloud({ modelArgs: ['--mode', 'fixed', '--latency-ms', '10'] });
    const s3 = new S3Client(clientOptions(cloud.endpoints.edgeUrl));
    try {
      const off = await (await fetch(`${cloud.endpoints.edgeUrl}/_localcloud/faults`)).json();
      expect(off).toEqual({ rates: { s3: 0, dynamodb: 0, duplicates: 0 }, injected: { s3: 0, dynamodb: 0, duplicates: 0 } });

      // Act: every S3 request refused.
      const set = await fetch(`${cloud.endpoints.edgeUrl}/_localcloud/faults`, { method: 'PUT', body: JSON.stringify({ s3: 1 }) });
      expect(set.status).toBe(200);
      const refused = await s3
        .send(new PutObjectCommand({ Bucket: cloud.endpoints.bucket, Key: 'x.txt', Body: 'x' }))
        .catch((e: unknown) => e);

      // Assess: a documented S3 error after the SDK's three attempts.
      expect((refused as Error).name).toMatch(/^(SlowDown|InternalError)$/);
      expect((refused as { $metadata: { attempts: number } }).$metadata.attempts).toBe(3);
      // At least the SDK's three: the cloud's own scheduled reconcile may send S3 requests (its sweep of
      // pending article events) while every request is refused.
      expect(cloud.faults.injected.s3).toBeGreaterThanOrEqual(3);
      const bad = await fetch(`${cloud.endpoints.edgeUrl}/_localcloud/faults`, { method: 'PUT', body: JSON.stringify({ s3: 2 }) });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ message: 'the s3 error rate must be a number from 0 to 1; got 2' });

      await fetch(`${cloud.endpoints.edgeUrl}/_localcloud/faults`, { method: 'PUT', body: JSON.stringify({ s3: 0 }) });
      await s3.send(new PutObjectCommand({ Bucket: cloud.endpoints.bucket, Key: 'x.txt', Body: 'x' }));
      const read = await s3.send(new GetObjectCommand({ Bucket: cloud.endpoints.bucket, Key: 'x.txt' }));
      expect(await read.Body?.transformToString()).toBe('x');
    } finally {
      s3.destroy();
      await cloud.dispose();
    }
  }, 60_000);

  it('loses nothing and summarizes nothing twice while a fifth of S3 and DynamoDB requests are refused and events come twice', async () => {
    // Prepare
    const cloud = await startTestCloud({ modelArgs: ['--mode', 'fixed', '--latency-ms', '10'] });
    try {
      const keys = Array.from({ length: 40 }, (_, i) => `input/faults/article-${i}.txt`);
      cloud.faults.set(parseFaultRates({ s3: 0.2, dynamodb: 0.2, duplicates: 0.3 }));
      // The uploader retries harder than the default: its puts are not what is under test.
      const uploader = new S3Client({ ...clientOptions(cloud.endpoints.edgeUrl), maxAttempts: 20 });
      await Promise.all(
        keys.map((key, i) => uploader.send(new PutObjectCommand({ Bucket: cloud.endpoints.bucket, Key: key, Body: article(i) }))),
      );
      uploader.destroy();

      // Act: wait for every row to be terminal and every function to be done: a row can complete
      // from its notification before the submitting function has recorded submittedAt.
      await terminalRows(cloud, keys, 120_000);
      await eventually(() => cloud.idle() || undefined, { timeoutMs: 60_000, what: 'the functions and the endpoint to be idle' });
      const rows = await terminalRows(cloud, keys);

      // Assess: each article has exactly one row, in a terminal state; anything not completed says why.
      expect(rows.size).toBe(keys.length);
      expect((await rowsFor(cloud.dynamo, cloud.endpoints.table, cloud.endpoints.bucket, keys)).length).toBe(keys.length);
      const notCompleted = [...rows.values()].filter((r) => r.state !== 'COMPLETED');
      expect(notCompleted.filter((r) => !r.reason)).toEqual([]);
      expect(cloud.faults.injected.s3).toBeGreaterThan(0);
      expect(cloud.faults.injected.dynamodb).toBeGreaterThan(0);
      expect(cloud.faults.injected.duplicates).toBeGreaterThan(0);
      // One model request per article however often its events came. The one exception: a submit
      // invocation that failed after the endpoint accepted (its ledger write refused every attempt, or
      // it timed out) is retried and submits again, so each submit retry may add one request, no more.
      // (A full `npm test` once showed 2 extra before the idle wait above: rows completed by their
      // notification before their submitting function had written submittedAt.)
      const submitted = [...rows.values()].filter((r) => r.submittedAt).length;
      const submitRetries = cloud.functions[SUBMIT_ARTICLE_FUNCTION]?.counts.retries ?? 0;
      const accepted = cloud.endpoint.status().totals.accepted;
      expect(accepted).toBeGreaterThanOrEqual(submitted);
      expect(accepted - submitted).toBeLessThanOrEqual(submitRetries);
    } finally {
      await cloud.dispose();
    }
  }, 180_000);
});

describe('FaultInjector', () => {
  it('refuses the given share of requests and never one when the rate is 0', () => {
    let n = 0;
    const values = [0.05, 0.0, 0.5, 0.9, 0.1, 0.99];
    const injector = new FaultInjector({ s3: 0.1, dynamodb: 0, duplicates: 0 }, () => values[n++ % values.length] as number);
    const req = { resume: () => undefined, once: () => undefined } as never;
    const res = {} as never;

    const s3 = [injector.refuse('s3', req, res), injector.refuse('s3', req, res), injector.refuse('s3', req, res)];
    const dynamodb = injector.refuse('dynamodb', req, res);

    expect(s3).toEqual([true, false, false]);
    expect(dynamodb).toBe(false);
    expect(injector.injected).toEqual({ s3: 1, dynamodb: 0, duplicates: 0 });
  });

  it('rejects settings it does not know', () => {
    expect(() => parseFaultRates({ sqs: 0.1 })).toThrow('unknown fault setting(s) sqs: use s3, dynamodb, duplicates');
    expect(() => parseFaultRates({ dynamodb: 'often' })).toThrow('the dynamodb error rate must be a number from 0 to 1; got "often"');
  });
});
