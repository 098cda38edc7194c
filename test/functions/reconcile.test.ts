import { PutObjectCommand } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { S3OutputReader } from '../../adapters/s3-articles';
import { totalOf } from '../../core/cost';
import { articleIdFor } from '../../core/ids';
import { reconcile } from '../../core/reconcile';
import { startEmulators, type Emulators } from '../support/emulators';
import { s3PutEvent } from '../support/events';
import { fixedClock } from '../support/fakes';
import { uploadHandlerOn } from '../support/upload-handler';

const settings = { requestTtlSeconds: 3600, invocationTimeoutSeconds: 900, graceSeconds: 300 };
const ARTICLE = 'The dam was finished in May. It holds water for two towns.';

describe('reconcile: rows whose notification never arrived', () => {
  let emu: Emulators;
  let ledger: DynamoDbSummaryLedger;
  beforeAll(async () => {
    emu = await startEmulators();
    ledger = new DynamoDbSummaryLedger(emu.dynamo, emu.table);
  });
  afterAll(async () => emu.stop());

  /** Queues an article at `at`; returns its row. */
  const queuedAt = async (key: string, at: string, failSubmit = false) => {
    const reply = await emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: ARTICLE }));
    const handler = uploadHandlerOn(emu, fixedClock(at));
    if (failSubmit) handler.queue.failWith = new Error('the function stopped');
    await handler
      .onUpload(s3PutEvent({ bucket: emu.bucket, key, size: ARTICLE.length, eTag: (reply.ETag ?? '').replace(/"/g, '') }))
      .catch(() => undefined);
    return (await ledger.get(articleIdFor(emu.bucket, key)))!;
  };
  const write = (location: string, body: string) =>
    emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: location.replace(`s3://${emu.bucket}/`, ''), Body: body }));

  it('completes, fails or expires stuck rows from what S3 holds, and leaves recent rows alone', async () => {
    // Prepare: three rows queued two hours ago (past TTL 1 h + timeout 15 min + grace 5 min), one recent.
    const old = '2026-11-26T08:00:00.000Z';
    const done = await queuedAt('input/rec/done.txt', old);
    const failed = await queuedAt('input/rec/failed.txt', old);
    const lost = await queuedAt('input/rec/lost.txt', old);
    const recent = await queuedAt('input/rec/recent.txt', '2026-11-26T09:50:00.000Z');
    await write(done.outputLocation as string, '[{"summary_text":"The dam holds water for two towns."}]');
    await write(failed.failureLocation as string, '{"code":500,"message":"CUDA out of memory"}');

    // Act
    const repairs = await reconcile({
      ledger,
      outputs: new S3OutputReader(emu.s3),
      clock: fixedClock('2026-11-26T10:00:00.000Z'),
      settings,
      events: emu.events,
    });

    // Assess
    expect(repairs.map((r) => [r.key, r.state]).sort()).toEqual([
      ['input/rec/done.txt', 'COMPLETED'],
      ['input/rec/failed.txt', 'FAILED'],
      ['input/rec/lost.txt', 'EXPIRED'],
    ]);
    expect(await ledger.get(done.articleId)).toMatchObject({ state: 'COMPLETED', summary: 'The dam holds water for two towns.' });
    expect((await ledger.get(failed.articleId))?.reason).toMatch(
      /^the model failed \(found by reconcile.*Model said: \{"code":500,"message":"CUDA out of memory"\}$/,
    );
    expect((await ledger.get(lost.articleId))?.reason).toMatch(/^no output or failure after RequestTTLSeconds \+ InvocationTimeoutSeconds/);
    expect((await ledger.get(recent.articleId))?.state).toBe('QUEUED');
  });

  it('prices the rows it finishes as record-result would: time in the endpoint from submission to the object S3 stored', async () => {
    // Prepare: queued two hours before now on S3's clock, since LastModified is S3's own time.
    const submitted = new Date(Math.floor(Date.now() / 1000) * 1000 - 2 * 3600_000);
    const done = await queuedAt('input/rec-cost/done.txt', submitted.toISOString());
    const lost = await queuedAt('input/rec-cost/lost.txt', submitted.toISOString());
    const writtenFrom = Math.floor(Date.now() / 1000) * 1000; // LastModified has whole seconds
    await write(done.outputLocation as string, '[{"summary_text":"The dam holds water for two towns."}]');
    const writtenBy = Date.now();
    const cost = { concurrency: 2, instancePricePerHour: 0.23 };

    // Act
    await reconcile({
      ledger,
      outputs: new S3OutputReader(emu.s3),
      clock: fixedClock(new Date(writtenBy + 60_000).toISOString()),
      settings,
      cost,
      events: emu.events,
    });

    // Assess: the found output's row is timed and priced, its instance share from that time; the expired
    // one pays no instance time, only its requests.
    const completed = (await ledger.get(done.articleId))!;
    expect(completed.state).toBe('COMPLETED');
    expect(completed.endpointMs).toBeGreaterThanOrEqual(writtenFrom - submitted.getTime());
    expect(completed.endpointMs).toBeLessThanOrEqual(writtenBy - submitted.getTime());
    expect(completed.costItems?.instance).toBe(Math.round(((completed.endpointMs as number) / 1000 / 2) * (0.23 / 3600) * 1e9) / 1e9);
    expect(completed.costUsd).toBe(totalOf(completed.costItems ?? {}));
    const expired = (await ledger.get(lost.articleId))!;
    expect(expired).toMatchObject({ state: 'EXPIRED', costItems: expect.objectContaining({ instance: 0 }) });
    expect(expired.costUsd).toBe(totalOf(expired.costItems ?? {}));
    expect(expired.costUsd).toBeGreaterThan(0);
  });

  it("repairs the other rows when reading one row's outcome fails, and reports that row", async () => {
    // Prepare: S3 refuses one row's read (on AWS a 403 from a missing permission looks the same); a
    // run that threw on it would stop at the same row every 15 minutes.
    const old = '2026-11-26T07:00:00.000Z';
    const unreadable = await queuedAt('input/rec-err/unreadable.txt', old);
    const done = await queuedAt('input/rec-err/done.txt', old);
    await write(done.outputLocation as string, '[{"summary_text":"The dam holds water for two towns."}]');
    await emu.dynamo.send(
      new UpdateCommand({
        TableName: emu.table,
        Key: { articleId: unreadable.articleId },
        UpdateExpression: 'SET outputLocation = :o',
        ExpressionAttributeValues: { ':o': 's3://no-such-bucket-here/outputs/x.out' },
      }),
    );

    // Act
    const repairs = await reconcile({
      ledger,
      outputs: new S3OutputReader(emu.s3),
      clock: fixedClock('2026-11-26T10:00:00.000Z'),
      settings,
      events: emu.events,
    });

    // Assess
    expect(repairs.find((r) => r.key === 'input/rec-err/done.txt')?.state).toBe('COMPLETED');
    expect(repairs.find((r) => r.key === 'input/rec-err/unreadable.txt')).toEqual({
      articleId: unreadable.articleId,
      key: 'input/rec-err/unreadable.txt',
      state: 'error',
      error: expect.stringMatching(/NoSuchBucket|bucket does not exist/i),
    });
    expect((await ledger.get(unreadable.articleId))?.state).toBe('QUEUED');
  });

  it('fails a submission that a stopped function left claimed, once its claim is stale', async () => {
    const row = await queuedAt('input/rec/stopped.txt', '2026-11-26T08:00:00.000Z', true);
    // The submit failure recorded FAILED(submit); put it back to the QUEUED state a crash would leave.
    await emu.dynamo.send(
      new UpdateCommand({
        TableName: emu.table,
        Key: { articleId: row.articleId },
        UpdateExpression: 'SET #s = :q REMOVE failedStage, reason, completedAt',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':q': 'QUEUED' },
      }),
    );

    await reconcile({
      ledger,
      outputs: new S3OutputReader(emu.s3),
      clock: fixedClock('2026-11-26T10:00:00.000Z'),
      settings,
      events: emu.events,
    });

    expect(await ledger.get(row.articleId)).toMatchObject({ state: 'FAILED', failedStage: 'submit' });
  });
});
