import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { AwsChunkedDecoder } from '../../../local/s3/aws-chunked';
import { startTestCloud, type TestCloud } from '../../support/local-cloud';

describe('aws-chunked decoding', () => {
  const frame = (parts: Buffer[], trailer = 'x-amz-checksum-crc32:AAAAAA==') =>
    Buffer.concat([
      ...parts.flatMap((p) => [Buffer.from(`${p.length.toString(16)};chunk-signature=abc\r\n`), p, Buffer.from('\r\n')]),
      Buffer.from(`0\r\n${trailer}\r\n\r\n`),
    ]);

  it('recovers the payload whatever the network splits', async () => {
    const payload = randomBytes(70_000);
    const framed = frame([payload.subarray(0, 65_536), payload.subarray(65_536)]);
    for (const size of [1, 7, 4096, framed.length]) {
      const pieces = Array.from({ length: Math.ceil(framed.length / size) }, (_, i) => framed.subarray(i * size, (i + 1) * size));
      const out: Buffer[] = [];
      const decoder = new AwsChunkedDecoder();
      decoder.on('data', (d: Buffer) => out.push(d));
      await pipeline(Readable.from(pieces), decoder);
      expect(Buffer.concat(out).equals(payload)).toBe(true);
    }
  });

  it('refuses a malformed size line', async () => {
    await expect(pipeline(Readable.from([Buffer.from('zz\r\nabc')]), new AwsChunkedDecoder())).rejects.toThrow(
      'malformed aws-chunked size line',
    );
  });
});

describe("S3 through the edge, with the SDK's default checksum settings", () => {
  let cloud: TestCloud;
  let client: S3Client;
  beforeAll(async () => {
    cloud = await startTestCloud();
    // Defaults: streamed bodies go out aws-chunked with a CRC32 trailer (local/README.md, Traps).
    client = new S3Client({
      endpoint: cloud.endpoints.edgeUrl,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
    });
  }, 60_000);
  afterAll(async () => {
    client.destroy();
    await cloud.dispose();
  });

  const read = async (key: string) =>
    Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: cloud.endpoints.bucket, Key: key }))).Body!.transformToByteArray());

  it('stores a streamed PutObject byte-exact', async () => {
    const body = randomBytes(200_000);

    await client.send(
      new PutObjectCommand({
        Bucket: cloud.endpoints.bucket,
        Key: 'other/streamed.bin',
        Body: Readable.from([body]),
        ContentLength: body.length,
      }),
    );

    expect((await read('other/streamed.bin')).equals(body)).toBe(true);
  });

  it('stores a multipart upload byte-exact', async () => {
    const body = randomBytes(11 * 1024 * 1024);

    await new Upload({
      client,
      params: { Bucket: cloud.endpoints.bucket, Key: 'other/multipart.bin', Body: Readable.from([body]) },
    }).done();

    expect((await read('other/multipart.bin')).equals(body)).toBe(true);
  }, 60_000);

  it('pages listings beyond 1,000 keys', async () => {
    const keys = Array.from({ length: 1050 }, (_, i) => `other/many/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys.slice(i, i + 50).map((Key) => client.send(new PutObjectCommand({ Bucket: cloud.endpoints.bucket, Key, Body: 'x' }))),
      );
    }

    const first = await client.send(new ListObjectsV2Command({ Bucket: cloud.endpoints.bucket, Prefix: 'other/many/' }));
    const listed: string[] = [];
    for await (const page of paginateListObjectsV2({ client }, { Bucket: cloud.endpoints.bucket, Prefix: 'other/many/' })) {
      listed.push(...(page.Contents ?? []).map((o) => o.Key as string));
    }

    expect(first.IsTruncated).toBe(true);
    expect(listed).toEqual(keys);
  }, 60_000);

  it("answers bucket configuration changes at once, though s3rver's bucket state is cached", async () => {
    // Prepare: a new bucket, read (and so cached) before it exists and before it has a CORS rule.
    const Bucket = 'cache-check';
    await expect(client.send(new HeadBucketCommand({ Bucket }))).rejects.toMatchObject({ name: 'NotFound' });
    await client.send(new CreateBucketCommand({ Bucket }));
    await expect(client.send(new GetBucketCorsCommand({ Bucket }))).rejects.toMatchObject({ name: 'NoSuchCORSConfiguration' });

    // Act
    await client.send(
      new PutBucketCorsCommand({
        Bucket,
        CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://example.org'] }] },
      }),
    );
    const afterPut = await client.send(new GetBucketCorsCommand({ Bucket }));
    await client.send(new DeleteBucketCorsCommand({ Bucket }));

    // Assess
    await expect(client.send(new HeadBucketCommand({ Bucket }))).resolves.toBeDefined();
    expect(afterPut.CORSRules).toEqual([expect.objectContaining({ AllowedMethods: ['GET'], AllowedOrigins: ['https://example.org'] })]);
    await expect(client.send(new GetBucketCorsCommand({ Bucket }))).rejects.toMatchObject({ name: 'NoSuchCORSConfiguration' });
  });
});
