import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { articleIdFor } from '../../core/ids';
import { startEmulators, type Emulators } from '../support/emulators';
import { s3PutEvent } from '../support/events';
import { uploadHandlerOn } from '../support/upload-handler';

// test/events/s3/put.json's eventTime is 2019-09-03T19:37:27.192Z: the upload day is 2019-09-03.
const ARTICLE =
  'Heat pumps cut heating bills\n\nHouseholds that replaced gas boilers with heat pumps paid less for heating. Installers fitted heat pumps in older houses.';

describe('submit-article: the published date, title and key phrases on the row (s3rver + dynalite)', () => {
  let emu: Emulators;
  let s3Operations: string[];

  beforeAll(async () => {
    emu = await startEmulators();
    emu.s3.middlewareStack.add(
      (next, context) => async (args) => {
        s3Operations.push(String(context.commandName));
        return next(args);
      },
      { step: 'deserialize', name: 'countS3Operations' },
    );
  });
  afterAll(async () => emu.stop());
  beforeEach(() => {
    s3Operations = [];
  });

  const upload = async (key: string, body: string, published?: string) => {
    const reply = await emu.s3.send(
      new PutObjectCommand({
        Bucket: emu.bucket,
        Key: key,
        Body: Buffer.from(body),
        ContentType: 'text/plain',
        ...(published !== undefined ? { Metadata: { published } } : {}),
      }),
    );
    s3Operations = [];
    const { ledger, onUpload } = uploadHandlerOn(emu);
    await onUpload(s3PutEvent({ bucket: emu.bucket, key, size: Buffer.byteLength(body), eTag: (reply.ETag ?? '').replace(/"/g, '') }));
    return (ledger as DynamoDbSummaryLedger).get(articleIdFor(emu.bucket, key));
  };

  it('reads the published metadata from the one GetObject of the article: no HeadObject, no second GET', async () => {
    const row = await upload('input/facts/heat.txt', ARTICLE, '2019-08-30');

    expect(row).toMatchObject({
      state: 'QUEUED',
      publishedAt: '2019-08-30',
      publishedDay: '2019-08-30',
      title: 'Heat pumps cut heating bills',
    });
    expect(row?.publishedIgnored).toBeUndefined();
    expect(row?.keyphrases).toContain('heat pump');
    expect(s3Operations.filter((op) => op === 'GetObjectCommand' || op === 'HeadObjectCommand')).toEqual(['GetObjectCommand']);
  });

  it('uses the upload day without metadata, and says why a bad value was ignored', async () => {
    const undated = await upload('input/facts/undated.txt', ARTICLE);
    const bad = await upload('input/facts/bad.txt', ARTICLE, '30/08/2019');

    expect(undated).toMatchObject({ publishedDay: '2019-09-03' });
    expect(undated?.publishedAt).toBeUndefined();
    expect(bad).toMatchObject({ state: 'QUEUED', publishedDay: '2019-09-03' });
    expect(bad?.publishedIgnored).toBe(
      'published metadata "30/08/2019" is not an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm:ssZ); the upload day 2019-09-03 is used',
    );
  });

  it('puts a row rejected before the article is read on its upload day', async () => {
    const row = await upload('input/facts/empty.txt', '', '2019-08-30');

    expect(row).toMatchObject({ state: 'REJECTED', publishedDay: '2019-09-03' });
    expect(row?.keyphrases).toBeUndefined();
  });
});
