import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { articleIdFor } from '../../core/ids';
import type { LedgerRow } from '../../core/ledger';
import { startEmulators, type Emulators } from '../support/emulators';
import { s3PutEvent } from '../support/events';
import { fixedClock, type RecordingInferenceQueue } from '../support/fakes';
import { testSettings, uploadHandlerOn } from '../support/upload-handler';

const settings = testSettings;

const ARTICLE = 'The council approved the new budget on Tuesday. "It is a fair plan," the mayor said.\nSchools get more.';

describe('submit-article on S3 uploads (s3rver + dynalite)', () => {
  let emu: Emulators;
  let queue: RecordingInferenceQueue;
  let ledger: DynamoDbSummaryLedger;
  let onUpload: (event: unknown, awsRequestId?: string) => Promise<void>;

  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(async () => emu.stop());

  beforeEach(() => {
    ({ queue, ledger, onUpload } = uploadHandlerOn(emu));
  });

  const put = async (key: string, body: string | Buffer, contentType = 'text/plain', sequencer?: string) => {
    const reply = await emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: body, ContentType: contentType }));
    const eTag = (reply.ETag ?? '').replace(/"/g, '');
    return { bucket: emu.bucket, key, size: Buffer.byteLength(body), eTag, ...(sequencer ? { sequencer } : {}) };
  };
  const row = async (key: string): Promise<LedgerRow | undefined> => ledger.get(articleIdFor(emu.bucket, key));

  it('queues one model request per article, with the key decoded and the text wrapped as the HF container expects', async () => {
    // Prepare
    const key = 'input/Q3 report + notes ü%.txt';
    const object = await put(key, ARTICLE);
    // Act
    await onUpload(s3PutEvent(object));
    // Assess
    const saved = await row(key);
    expect(saved).toMatchObject({
      key,
      bucket: emu.bucket,
      etag: object.eTag,
      bytes: Buffer.byteLength(ARTICLE),
      state: 'QUEUED',
      modelId: settings.modelId,
      requestCount: 1,
      contentType: 'text/plain',
      submittedAt: '2026-11-26T10:00:00.000Z',
      receivedAt: '2026-11-26T10:00:00.000Z',
      day: '2026-11-26',
      // Directly under input/: the top-level batch (core/status/batch.ts).
      batch: '/',
    });
    expect(queue.requests).toEqual([
      {
        inferenceId: saved?.inferenceId,
        inputLocation: saved?.requestLocation,
        contentType: 'application/json',
        accept: 'application/json',
        requestTtlSeconds: 3600,
        invocationTimeoutSeconds: 900,
      },
    ]);
    expect(saved?.outputLocation).toMatch(new RegExp(`^s3://${emu.bucket}/outputs/[0-9a-f-]{36}\\.out$`));
    const requestKey = (saved?.requestLocation ?? '').replace(`s3://${emu.bucket}/`, '');
    expect(requestKey).toMatch(/^requests\/[0-9a-f]{32}\/[0-9a-f]{32}\.json$/);
    const request = await emu.s3.send(new GetObjectCommand({ Bucket: emu.bucket, Key: requestKey }));
    expect(request.ContentType).toBe('application/json');
    expect(JSON.parse(await request.Body!.transformToString())).toEqual({ inputs: ARTICLE, parameters: { truncation: true } });
  });

  it('submits one model request when the same S3 event arrives twice at the same time', async () => {
    const object = await put('input/concurrent.txt', ARTICLE);
    const event = s3PutEvent(object);

    await Promise.all([onUpload(event, 'delivery-1'), onUpload(event, 'delivery-2'), onUpload(event, 'delivery-3')]);

    expect(queue.requests).toHaveLength(1);
    expect((await row('input/concurrent.txt'))?.state).toBe('QUEUED');
  });

  it('lets a later delivery take over a claim that went stale, but not a fresh one', async () => {
    const object = await put('input/stale-claim.txt', ARTICLE);
    const event = s3PutEvent(object);
    queue.failWith = new Error('boom');
    await expect(onUpload(event, 'crashed')).rejects.toThrow('boom');
    queue.failWith = undefined;

    await onUpload(event, 'another-delivery');
    expect(queue.requests).toHaveLength(0);

    const later = uploadHandlerOn(emu, fixedClock('2026-11-26T10:16:00.000Z'));
    await later.onUpload(event, 'much-later');
    expect(later.queue.requests).toHaveLength(1);
  });

  it('handles every record of a multi-record event', async () => {
    const a = await put('input/multi/a.txt', ARTICLE);
    const b = await put('input/multi/b.txt', `${ARTICLE} Second.`);

    await onUpload(s3PutEvent(a, b));

    expect(await row('input/multi/a.txt')).toMatchObject({ state: 'QUEUED', batch: 'multi' });
    expect((await row('input/multi/b.txt'))?.state).toBe('QUEUED');
    expect(queue.requests).toHaveLength(2);
  });

  it('submits a redelivered S3 event only once', async () => {
    const object = await put('input/redelivered.txt', ARTICLE);
    const event = s3PutEvent(object);

    await onUpload(event);
    const first = await row('input/redelivered.txt');
    await onUpload(event);

    expect(queue.requests).toHaveLength(1);
    expect(await row('input/redelivered.txt')).toEqual(first);
  });

  it.each([
    ['an empty object', 'input/reject/empty.txt', Buffer.alloc(0), 'text/plain', /^empty article: the object has no content/],
    ['whitespace only', 'input/reject/blank.txt', ' \n\t \n', 'text/plain', /^empty article: the text is only whitespace/],
    ['binary bytes', 'input/reject/data.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x00, 0x14]), 'text/plain', /binary content/],
    // Read by its bytes, whatever its Content-Type says (core/documents/detect-format.ts).
    ['a damaged zip', 'input/reject/archive.bin', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x14]), 'text/plain', /zip archive/],
    ['invalid UTF-8', 'input/reject/latin1.txt', Buffer.from('caf\xe9 cr\xe8me', 'latin1'), 'text/plain', /not valid UTF-8 text/],
    [
      'UTF-16 text',
      'input/reject/utf16.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hello', 'utf16le')]),
      'text/plain',
      /UTF-16 text is not supported/,
    ],
    ['a file that starts like a PDF but is not one', 'input/reject/paper.pdf', '%PDF-1.7 not really', 'application/pdf', /PDF/],
  ])('rejects %s with a reason and queues nothing', async (_case, key, body, contentType, reason) => {
    const object = await put(key, body, contentType);

    await onUpload(s3PutEvent(object));

    const saved = await row(key);
    expect(saved?.state).toBe('REJECTED');
    expect(saved?.reason).toMatch(reason);
    expect(saved?.completedAt).toBe('2026-11-26T10:00:00.000Z');
    expect(saved?.requestLocation).toBeUndefined();
    expect(queue.requests).toHaveLength(0);
  });

  it('rejects an article over the size limit from the event alone, without reading it', async () => {
    // The object is never written: a read attempt would fail with NoSuchKey and mark it superseded.
    const key = 'input/reject/huge.txt';
    await onUpload(s3PutEvent({ bucket: emu.bucket, key, size: 50_000_000, eTag: 'abc' }));

    const saved = await row(key);
    expect(saved?.state).toBe('REJECTED');
    expect(saved?.reason).toBe('too large: 50000000 bytes is over the 10000-byte limit (MAX_ARTICLE_BYTES)');
    expect(queue.requests).toHaveLength(0);
  });

  it('ignores folder markers and keys outside the input prefix: no row, no request', async () => {
    const folder = await put('input/new-folder/', Buffer.alloc(0));
    const outside = await put('outputs/stray.txt', ARTICLE);

    await onUpload(s3PutEvent(folder, outside));

    expect(await row('input/new-folder/')).toBeUndefined();
    expect(await row('outputs/stray.txt')).toBeUndefined();
    expect(queue.requests).toHaveLength(0);
  });

  it('leaves a FAILED row when the endpoint refuses after retries, throws for the dead-letter queue, and recovers on retry', async () => {
    const object = await put('input/refused.txt', ARTICLE);
    const event = s3PutEvent(object);
    queue.failWith = Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' });

    await expect(onUpload(event, 'request-1')).rejects.toThrow('Service Unavailable');
    const failed = await row('input/refused.txt');
    expect(failed).toMatchObject({ state: 'FAILED', failedStage: 'submit' });
    expect(failed?.reason).toBe('the endpoint did not accept the request: Service Unavailable (ServiceUnavailable)');

    // Lambda retries the same invocation (same request id): the row is claimed again and submitted.
    queue.failWith = undefined;
    await onUpload(event, 'request-1');
    const retried = await row('input/refused.txt');
    expect(retried?.state).toBe('QUEUED');
    expect(retried?.reason).toBeUndefined();
    expect(retried?.submittedAt).toBeDefined();
    expect(queue.requests).toHaveLength(1);
  });

  it('replaces the row for new content under the same key, and never goes back to an older revision', async () => {
    const key = 'input/revised.txt';
    const v1 = await put(key, ARTICLE, 'text/plain', '0055AED6DCD90281E5');
    await onUpload(s3PutEvent(v1));
    const v2 = await put(key, `${ARTICLE} Revised.`, 'text/plain', '0055AED6DCD90281E6');
    await onUpload(s3PutEvent(v2));
    const afterV2 = await row(key);

    // The first event arrives again, late.
    await onUpload(s3PutEvent(v1));

    expect(afterV2?.etag).toBe(v2.eTag);
    expect(await row(key)).toEqual(afterV2);
    expect(queue.requests.map((r) => r.inferenceId)).toEqual([expect.any(String), afterV2?.inferenceId]);
  });
});
