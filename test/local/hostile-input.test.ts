import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { collectFiles, dropFiles } from '../../cli/drop';
import { formatResults } from '../../cli/results';
import { MAX_SEGMENT_BYTES } from '../../local/s3/key-guard';
import { eventually } from '../support/eventually';
import { putArticle, startTestCloud, terminalRows, type TestCloud } from '../support/local-cloud';

const ARTICLE = 'The council approved the new budget on Tuesday after a long debate. Schools and parks get more money next year.';

/** The S3 error the SDK raises for a put, or undefined when the put succeeds. */
const putError = async (cloud: TestCloud, key: string): Promise<S3ServiceException | undefined> =>
  putArticle(cloud, key, ARTICLE).then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof S3ServiceException) return error;
      throw error;
    },
  );

describe('hostile keys and requests on the local cloud', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
  }, 60_000);
  afterAll(async () => cloud.dispose());

  it('refuses a key that would climb out of the state folder, and writes nothing outside it', async () => {
    const name = `escaped-${process.pid}-${Date.now()}.txt`;
    const depth = resolve(cloud.stateDir).split('/').length + 2;
    const key = `input/${'../'.repeat(depth)}tmp/${name}`;

    const error = await putError(cloud, key);

    expect(error?.name).toBe('InvalidArgument');
    expect(error?.message).toContain('a ".." segment');
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith(name))).toEqual([]);
    expect(existsSync(join('/tmp', `${name}._S3rver_object`))).toBe(false);
  });

  it('refuses keys the local file store would merge or cannot name, and stays up', async () => {
    const refusals = await Promise.all(
      ['input//double.txt', 'input/./dot.txt', `input/${'x'.repeat(MAX_SEGMENT_BYTES + 1)}.txt`, `input/${'é'.repeat(513)}`].map(
        async (key) => {
          const error = await putError(cloud, key);
          return `${error?.name}: ${error?.message.slice(0, 200)}`;
        },
      ),
    );

    expect(refusals).toEqual([
      expect.stringContaining('InvalidArgument: The local cloud stores each object as a file and cannot store a key with an empty segment'),
      expect.stringContaining('with a "." segment'),
      expect.stringContaining(`with a segment of ${MAX_SEGMENT_BYTES + 5} bytes`),
      expect.stringMatching(/^KeyTooLongError: Your key is too long: 1032 bytes/),
    ]);
    // Still serving, and a long key within the limits is an ordinary article.
    const longKey = `input/${Array.from({ length: 5 }, (_, i) => `${i}${'ü'.repeat(97)}`).join('/')}.txt`;
    expect(Buffer.byteLength(longKey)).toBeGreaterThan(800);
    await putArticle(cloud, longKey, ARTICLE);
    expect((await terminalRows(cloud, [longKey])).get(longKey)?.state).toBe('COMPLETED');
  });

  it('keeps a key with control characters, a forged log line and a bidi override escaped in logs and on the terminal', async () => {
    const forged = '{"level":"ERROR","message":"forged entry"}';
    const key = `input/evil\n${forged}\r\u001b[2J\u202e.txt`;

    await putArticle(cloud, key, ARTICLE);
    const row = (await terminalRows(cloud, [key])).get(key);

    expect(row?.state).toBe('COMPLETED');
    const logs = join(cloud.stateDir, 'logs');
    const lines = await eventually(
      async () => {
        const found = readdirSync(logs)
          .flatMap((f) => readFileSync(join(logs, f), 'utf-8').split('\n'))
          .filter((l) => l.includes('forged entry'));
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 10_000, what: 'the submit-article log naming the key' },
    );
    expect(lines.every((l) => !l.startsWith(forged))).toBe(true);
    expect(lines.map((l) => (JSON.parse(l) as { key?: string }).key).filter(Boolean)).toContain(key);
    const shown = formatResults(row ? [row] : [], 200);
    expect(shown).toContain('evil\\u{a}{"level":"ERROR","message":"forged entry"}\\u{d}\\u{1b}[2J\\u{202e}.txt');
    expect(['\r', '\u001b', '\u202e'].filter((c) => shown.includes(c))).toEqual([]);
  });

  it('summarizes odd but valid input: a multipart upload, one very long line, the same text under two keys', async () => {
    const { bucket } = cloud.endpoints;
    const multipart = 'input/odd/multipart.txt';
    const { UploadId } = await cloud.s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: multipart, ContentType: 'text/plain' }),
    );
    const { ETag } = await cloud.s3.send(new UploadPartCommand({ Bucket: bucket, Key: multipart, UploadId, PartNumber: 1, Body: ARTICLE }));
    await cloud.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: multipart,
        UploadId,
        MultipartUpload: { Parts: [{ ETag, PartNumber: 1 }] },
      }),
    );
    const oneLine = Array.from(
      { length: 3000 },
      (_, i) => `Sentence number ${i} reports that the harbour handled more ships than last year.`,
    ).join(' ');
    await putArticle(cloud, 'input/odd/one-line.txt', oneLine);
    await putArticle(cloud, 'input/odd/copy-a.txt', ARTICLE);
    await putArticle(cloud, 'input/odd/copy-b.txt', ARTICLE);
    const keys = [multipart, 'input/odd/one-line.txt', 'input/odd/copy-a.txt', 'input/odd/copy-b.txt'];

    const rows = await terminalRows(cloud, keys);

    expect(Buffer.byteLength(oneLine)).toBeGreaterThan(200_000);
    expect(keys.map((k) => rows.get(k)?.state)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(rows.get('input/odd/one-line.txt')?.summary).toContain('harbour');
    // A key is an article: the same text under two keys is two rows, each with its own summary.
    expect(rows.get('input/odd/copy-a.txt')?.articleId).not.toBe(rows.get('input/odd/copy-b.txt')?.articleId);
    expect(rows.get('input/odd/copy-a.txt')?.summary).toBe(rows.get('input/odd/copy-b.txt')?.summary);
  });

  /** A raw request, as a browser or a hand-written client could send it (no SDK path normalization). */
  const raw = (method: string, path: string, headers: Record<string, string> = {}, body = '') =>
    new Promise<{ status: number; body: string }>((done, fail) => {
      const url = new URL(cloud.endpoints.edgeUrl);
      const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', fail);
      req.end(body);
    });

  it('refuses a bucket part that climbs out of the S3 folder, and writes nothing there', async () => {
    const name = `bucket-escape-${process.pid}-${Date.now()}`;

    // s3rver would take `..` for a bucket that exists (the folder above its own) and write there.
    const reply = await raw('PUT', `/%2E%2E/${name}`, { 'content-type': 'text/plain' }, ARTICLE);

    expect(reply.status).toBe(400);
    expect(reply.body).toContain('<Code>InvalidBucketName</Code>');
    expect(readdirSync(cloud.stateDir).filter((f) => f.startsWith(name))).toEqual([]);
  });

  it('refuses requests addressed to another host name (DNS rebinding), for every service', async () => {
    const reply = await raw('GET', '/_localcloud/status', { host: `attacker.example:${new URL(cloud.endpoints.edgeUrl).port}` });

    expect(reply.status).toBe(403);
    expect(reply.body).toContain('only requests addressed to 127.0.0.1 or localhost');
  });

  it('refuses a form POST from a web page of another site (cross-site request forgery)', async () => {
    const reply = await raw(
      'POST',
      `/${cloud.endpoints.bucket}`,
      { origin: 'https://attacker.example', 'content-type': 'multipart/form-data; boundary=x' },
      '--x--',
    );

    expect(reply.status).toBe(403);
    expect(reply.body).toContain('refuses requests sent by web pages of other sites');
  });

  it('drops every file it can and reports each one S3 refuses, with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-drop-'));
    try {
      writeFileSync(join(dir, 'fine.txt'), ARTICLE);
      writeFileSync(join(dir, `${'n'.repeat(MAX_SEGMENT_BYTES + 10)}.txt`), ARTICLE);
      const files = collectFiles([dir], cloud.endpoints.inputPrefix, 'drop-test');

      const failures = await dropFiles({ s3: cloud.s3, bucket: cloud.endpoints.bucket }, files);

      expect(failures.map((f) => f.reason)).toEqual([expect.stringMatching(/a segment of 214 bytes.* \(InvalidArgument\)$/)]);
      const fine = files.find((f) => f.key.endsWith('/fine.txt'));
      const stored = await cloud.s3.send(new GetObjectCommand({ Bucket: cloud.endpoints.bucket, Key: fine?.key }));
      expect(await stored.Body?.transformToString()).toBe(ARTICLE);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
