import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { directObjects } from '../../../local/s3/direct-objects';
import type { toS3Record } from '../../../local/s3/events';
import { sendS3Notifications } from '../../../local/s3/notifications';
import type { CommitFs } from '../../../local/s3/object-writes';
import { download, failureReasons } from '../../../local/sagemaker-async/invocation';
import { s3ClientObjects, type ObjectStore } from '../../../local/sagemaker-async/object-store';
import type { QueuedRequest } from '../../../local/sagemaker-async/queue';
import { readStackConfig } from '../../../local/template/stack-config';
import { eventually } from '../../support/eventually';
import { projectRoot } from '../../support/local-cloud';
import { BUCKET, openFilesUnder, removeStateDir, startS3Edge, type S3Edge } from './s3-edge';

/**
 * The endpoint's object I/O on the local cloud's store, without HTTP (local/s3/direct-objects.ts): what
 * anyone can observe is what the same calls through an S3 client over the edge give.
 */
const md5 = (body: string | Buffer) => createHash('md5').update(body).digest('hex');
const at = (key: string) => ({ bucket: BUCKET, key });
const never = new AbortController().signal;

const request = (inputLocation: string): QueuedRequest => ({
  id: 'direct-1',
  inferenceId: 'inference-direct-1',
  inputLocation,
  invocationTimeoutSeconds: 900,
  requestTtlSeconds: 21_600,
  outputLocation: `s3://${BUCKET}/outputs/direct-1.out`,
  receivedTime: new Date(0).toISOString(),
  receivedAt: 0,
  expiresAt: 21_600_000,
});

describe('the endpoint reading and writing the local S3 store directly', () => {
  let edge: S3Edge;
  let direct: ObjectStore;
  let overHttp: ObjectStore;
  beforeAll(async () => {
    edge = await startS3Edge();
    direct = directObjects(edge.mount);
    overHttp = s3ClientObjects(edge.s3);
  });
  afterAll(async () => {
    await edge.close();
    removeStateDir(edge);
  });

  const getOverEdge = async (key: string) => {
    const reply = await edge.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return {
      body: await reply.Body!.transformToString(),
      etag: reply.ETag,
      contentType: reply.ContentType,
      contentLength: reply.ContentLength,
      metadata: reply.Metadata,
    };
  };

  it.each([
    ['with the Content-Type given', 'application/json; charset=utf-8'],
    ['with no Content-Type', undefined],
  ])('a direct write reads back over the edge exactly as the same PutObject, %s', async (_, contentType) => {
    // Prepare
    const body = Buffer.from('[{"summary_text":"Sea ice thinned every year."}]');
    const name = contentType ? 'typed' : 'untyped';

    // Act
    const written = await direct.write(at(`outputs/direct-${name}.out`), body, contentType);
    await edge.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `outputs/put-${name}.out`,
        Body: body,
        ...(contentType ? { ContentType: contentType } : {}),
      }),
    );

    // Assess
    expect(written).toBeUndefined();
    const viaDirect = await getOverEdge(`outputs/direct-${name}.out`);
    expect(viaDirect).toEqual(await getOverEdge(`outputs/put-${name}.out`));
    expect(viaDirect).toMatchObject({ body: body.toString(), etag: `"${md5(body)}"`, contentLength: body.length });
    expect(viaDirect.contentType).toBe(contentType ?? 'application/octet-stream');
  });

  it('a direct write emits the event of an HTTP PUT, which the bucket notification rules send on', async () => {
    // Prepare: the template's notification rules (prefix input/), on the test bucket.
    const template = readStackConfig({ projectRoot });
    const config = { ...template, notifications: template.notifications.map((n) => ({ ...n, bucket: BUCKET })) };
    type S3Record = ReturnType<typeof toS3Record>;
    const invoked: { functionId: string; record: S3Record }[] = [];
    sendS3Notifications(edge.mount.s3rver, config, {
      invoke: (functionId, event) => invoked.push({ functionId, record: (event as { Records: S3Record[] }).Records[0]! }),
      s3: edge.s3,
      log: () => undefined,
    });
    const body = Buffer.from('An article written by the endpoint itself.');

    // Act
    await edge.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'input/over http.txt', Body: body }));
    await direct.write(at('input/direct write.txt'), body, 'text/plain');
    await direct.write(at('outputs/not-notified.out'), body, 'text/plain');

    // Assess
    expect(invoked.map((i) => i.record.s3.object.key)).toEqual(['input/over+http.txt', 'input/direct+write.txt']);
    const [overHttpRecord, directRecord] = invoked.map((i) => i.record);
    expect(invoked[1]!.functionId).toBe(invoked[0]!.functionId);
    expect(directRecord).toMatchObject({ eventName: 'ObjectCreated:Put', eventSource: 'aws:s3', eventVersion: '2.1' });
    expect(directRecord!.s3.object).toEqual({ ...overHttpRecord!.s3.object, key: 'input/direct+write.txt', sequencer: expect.any(String) });
    expect(directRecord!.s3.object).toMatchObject({ size: body.length, eTag: md5(body) });
    expect(directRecord!.s3.object.sequencer > overHttpRecord!.s3.object.sequencer).toBe(true);
    expect(Object.keys(directRecord!)).toEqual(Object.keys(overHttpRecord!));
  });

  it('a missing key, a missing bucket and an object over the limit give what an S3 client gives', async () => {
    // Prepare
    await edge.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'requests/big.json', Body: 'x'.repeat(5000) }));
    await edge.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'requests/at-limit.json', Body: 'y'.repeat(1000) }));
    const cases = [at('requests/missing.json'), { bucket: 'no-such-bucket', key: 'requests/a.json' }, at('requests/big.json')];

    // Act
    const direct1000 = await Promise.all(cases.map((c) => direct.read(c, 1000, never)));
    const http1000 = await Promise.all(cases.map((c) => overHttp.read(c, 1000, never)));
    const atLimit = await direct.read(at('requests/at-limit.json'), 1000, never);

    // Assess
    expect(direct1000).toEqual([
      { kind: 'error', code: 'NoSuchKey' },
      { kind: 'error', code: 'NoSuchBucket' },
      { kind: 'tooLarge', bytes: 5000 },
    ]);
    expect(direct1000).toEqual(http1000);
    expect(atLimit).toEqual({ kind: 'object', body: Buffer.from('y'.repeat(1000)) });
    // The refused object's file was opened, never read, and is closed again.
    await eventually(() => openFilesUnder(join(edge.stateDir, 's3')).size === 0, {
      timeoutMs: 5_000,
      everyMs: 20,
      what: 'no open file in the store',
    });
  });

  it("the endpoint's download gives today's failure reasons for a missing key and a too large input", async () => {
    // Prepare
    await edge.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'requests/too-large.json', Body: 'z'.repeat(2000) }));
    const deps = (objects: ObjectStore) => ({ objects, readInlineBody: () => Buffer.alloc(0), signal: never, maxInputBytes: 1000 });
    const missing = `s3://${BUCKET}/requests/never written.json`;
    const large = `s3://${BUCKET}/requests/too-large.json`;

    // Act
    const outcomes = await Promise.all([download(request(missing), deps(direct)), download(request(large), deps(direct))]);
    const overHttpOutcomes = await Promise.all([download(request(missing), deps(overHttp)), download(request(large), deps(overHttp))]);

    // Assess
    expect(outcomes).toEqual(overHttpOutcomes);
    expect(outcomes.map((o) => (o.kind === 'failed' ? [o.reason, o.metric] : o.kind))).toEqual([
      [failureReasons.download(missing, 'NoSuchKey'), 'RequestDownloadFailures'],
      [failureReasons.inputTooLarge(large, 2000, 1000), 'RequestDownloadFailures'],
    ]);
  });

  it('refuses a key the store cannot hold with the key guard code, writing nothing', async () => {
    // Act
    const written = await direct.write(at('outputs/../escaped.out'), Buffer.from('x'));
    const read = await direct.read(at('outputs/../escaped.out'), 1000, never);

    // Assess
    expect(written).toBe('InvalidArgument');
    expect(read).toEqual({ kind: 'error', code: 'InvalidArgument' });
    await expect(fs.stat(join(edge.stateDir, 's3', BUCKET, 'escaped.out._S3rver_object'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('a direct read during a commit of the same object', () => {
  it('waits for the commit, then reads the new version whole', async () => {
    // Prepare: commits whose rename waits until the test lets it go.
    let renameReached = () => undefined as void;
    const reached = new Promise<void>((resolve) => (renameReached = resolve));
    let letRenameGo = () => undefined as void;
    const go = new Promise<void>((resolve) => (letRenameGo = resolve));
    let held = false;
    const commitFs: CommitFs = {
      mkdir: (path, options) => fs.mkdir(path, options),
      writeFile: (path, data) => fs.writeFile(path, data),
      rm: (path, options) => fs.rm(path, options),
      rename: async (from, to) => {
        if (held && to.includes('article.json')) {
          renameReached();
          await go;
        }
        return fs.rename(from, to);
      },
    };
    const edge = await startS3Edge(undefined, { commitFs });
    try {
      const direct = directObjects(edge.mount);
      await edge.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'requests/article.json', Body: 'the old version' }));
      await edge.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'requests/other.json', Body: 'another request' }));
      held = true;

      // Act: a PutObject over the edge is held in its commit; the direct read asks meanwhile.
      const put = edge.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'requests/article.json', Body: 'the new version, longer' }));
      await reached;
      let settled = false;
      const read = direct.read(at('requests/article.json'), 1000, never).finally(() => (settled = true));
      // A read of another object, asked later, takes the same steps; had the first not waited, it would have ended too.
      await expect(direct.read(at('requests/other.json'), 1000, never)).resolves.toEqual({
        kind: 'object',
        body: Buffer.from('another request'),
      });
      const pendingDuringCommit = !settled;
      letRenameGo();
      await put;

      // Assess
      expect(pendingDuringCommit).toBe(true);
      await expect(read).resolves.toEqual({ kind: 'object', body: Buffer.from('the new version, longer') });
    } finally {
      letRenameGo();
      await edge.close();
      removeStateDir(edge);
    }
  });
});
