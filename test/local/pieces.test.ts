import type { IncomingMessage } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUploads } from '../../adapters/events';
import { asS3rverRequest, serviceOf } from '../../local/edge/router';
import { Journal } from '../../local/support/journal';
import { readLines } from '../../local/support/journal-lines';
import { encodeS3EventKey, matches, sequencerSource, toS3Record, type S3rverRecord } from '../../local/s3/events';

const request = (fields: Partial<IncomingMessage>) => ({ url: '/', headers: {}, ...fields }) as IncomingMessage;
const scope = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`,
});

describe('edge routing', () => {
  it.each([
    ['s3', scope('s3'), '/bucket/input/a.txt', 's3'],
    ['dynamodb', scope('dynamodb'), '/', 'dynamodb'],
    ['sagemaker', scope('sagemaker'), '/endpoints/e/async-invocations', 'sagemaker'],
    ['an X-Amz-Target', { 'x-amz-target': 'DynamoDB_20120810.Scan' }, '/', 'dynamodb'],
    ['an unsigned SageMaker call', {}, '/endpoints/e/async-invocations', 'sagemaker'],
    ['an unsigned GET', {}, '/bucket/key', 's3'],
    ['a presigned S3 URL', {}, '/b/k?X-Amz-Credential=test%2F20261126%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=x', 's3'],
    ['the status page', {}, '/_localcloud/status', 'internal'],
  ])('routes %s by its credential scope or target', (_case, headers, url, service) => {
    expect(serviceOf(request({ headers, url }))).toBe(service);
  });

  it('presents any credentials to s3rver under its only access key', () => {
    const req = request({ headers: scope('s3'), url: '/b/k?X-Amz-Credential=AKIDEXAMPLE%2F20261126%2Fus-east-1%2Fs3%2Faws4_request' });
    asS3rverRequest(req);
    expect(req.headers.authorization).toContain('Credential=S3RVER/20261126/us-east-1/s3/aws4_request');
    expect(req.url).toBe('/b/k?X-Amz-Credential=S3RVER%2F20261126%2Fus-east-1%2Fs3%2Faws4_request');
  });
});

describe('S3 events from s3rver', () => {
  const s3rverRecord = (key: string, eventName = 'ObjectCreated:Put'): S3rverRecord => ({
    eventName,
    eventTime: '2026-11-26T10:00:00.000Z',
    awsRegion: 'us-east-1',
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'testConfigId',
      bucket: { name: 'b', arn: 'arn:aws:s3: : :b' },
      object: { key, size: 5, eTag: 'e' },
    },
  });

  it('become S3-shaped records whose keys the handler decodes back exactly', () => {
    const keys = ['input/a b+c%d ü 日本.txt', 'input/(x) #1 & y=z?.txt'];
    for (const key of keys) {
      const record = toS3Record(s3rverRecord(key), { region: 'us-east-1', sequencer: '01', configurationId: 'c' });
      expect(record.s3.bucket.arn).toBe('arn:aws:s3:::b');
      expect(record.eventVersion).toBe('2.1');
      expect(parseUploads({ Records: [record] })[0]?.key).toBe(key);
    }
    expect(encodeS3EventKey('input/a b+c.txt')).toBe('input/a+b%2Bc.txt');
  });

  it('report multipart uploads as CompleteMultipartUpload', () => {
    const record = toS3Record(s3rverRecord('input/big.txt', 'ObjectCreated:Post'), {
      region: 'us-east-1',
      sequencer: '01',
      configurationId: 'c',
    });
    expect(record.eventName).toBe('ObjectCreated:CompleteMultipartUpload');
  });

  it('go only where the notification configuration says', () => {
    const n = { bucket: 'b', functionLogicalId: 'F', event: 's3:ObjectCreated:*', prefix: 'input/', suffix: '' };
    expect(matches(n, 'b', 'ObjectCreated:Put', 'input/a.txt')).toBe(true);
    expect(matches(n, 'b', 'ObjectCreated:Post', 'input/a.txt')).toBe(true);
    expect(matches(n, 'b', 'ObjectCreated:Put', 'outputs/x.out')).toBe(false);
    expect(matches(n, 'b', 'ObjectRemoved:Delete', 'input/a.txt')).toBe(false);
    expect(matches(n, 'other', 'ObjectCreated:Put', 'input/a.txt')).toBe(false);
  });

  it('get sequencers that always grow, even within one millisecond', () => {
    const next = sequencerSource();
    const values = Array.from({ length: 1000 }, next);
    expect([...values].sort()).toEqual(values);
    expect(new Set(values).size).toBe(values.length);
  });
});

describe('Journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rs-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replays what is still pending after a restart, and tolerates a line cut short by a kill', () => {
    const file = join(dir, 'j.jsonl');
    const first = new Journal<{ n: number }>(file);
    first.add('a', { n: 1 });
    first.add('b', { n: 2 });
    first.done('a');
    writeFileSync(file, `${readFileSync(file, 'utf-8')}{"op":"add","id":"c","it`);

    const reopened = new Journal<{ n: number }>(file);

    expect(reopened.entries()).toEqual([['b', { n: 2 }]]);
    expect(readFileSync(file, 'utf-8')).toBe('{"op":"add","id":"b","item":{"n":2}}\n');
  });

  it('compacts while running: a long run keeps the file proportional to the pending work', () => {
    const file = join(dir, 'j.jsonl');
    const journal = new Journal<{ n: number }>(file, { compactFloor: 100 });

    let largest = 0;
    for (let n = 0; n < 2_000; n++) {
      journal.add(`id-${n}`, { n });
      if (n >= 3) journal.done(`id-${n - 3}`); // three always pending
      largest = Math.max(largest, [...readLines(file)].length);
    }

    expect(largest).toBeLessThanOrEqual(101);
    expect(journal.recordsInFile).toBeLessThanOrEqual(101);
    expect(new Journal<{ n: number }>(file).entries().map(([id]) => id)).toEqual(['id-1997', 'id-1998', 'id-1999']);
  });
});

describe('reading a journal line by line', () => {
  it('reads lines across block boundaries, multi-byte characters whole, and a last line without a newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-lines-'));
    try {
      const file = join(dir, 'j.jsonl');
      writeFileSync(file, 'ü€😀 first\n\nsecond ü€😀 line\n{"torn":');

      expect([...readLines(file, 3)]).toEqual(['ü€😀 first', '', 'second ü€😀 line', '{"torn":']);
      expect([...readLines(file)]).toEqual(['ü€😀 first', '', 'second ü€😀 line', '{"torn":']);
      expect([...readLines(join(dir, 'missing.jsonl'))]).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
