import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ArticleStore, S3OutputReader } from '../../adapters/s3-articles';

// S3 answers a missing key with 403 AccessDenied to a caller without s3:ListBucket
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, Permissions). No emulator
// enforces IAM, so these AWS-only answers are mocked.
const accessDenied = () =>
  new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });

describe('S3 reads when S3 answers 403 AccessDenied', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('reports a missing output as missing when S3 answers 404 NoSuchKey', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'The specified key does not exist.' }));

    await expect(new S3OutputReader(new S3Client({})).read('s3://articles/outputs/a.out', 100)).resolves.toBeUndefined();
  });

  it('does not take a 403 for a missing output (that would expire a row whose summary exists) and says what to check', async () => {
    s3.on(GetObjectCommand).rejects(accessDenied());

    await expect(new S3OutputReader(new S3Client({})).read('s3://articles/outputs/a.out', 100)).rejects.toThrow(
      "S3 denied reading s3://articles/outputs/a.out (AccessDenied). Without s3:ListBucket on the bucket for this prefix S3 answers a missing object with 403; check the function role's ListBucket statement and s3:prefix condition",
    );
  });

  it('does the same for an uploaded article', async () => {
    s3.on(GetObjectCommand).rejects(accessDenied());

    await expect(new S3ArticleStore(new S3Client({}), 'articles').open('articles', 'input/a.txt', 'etag')).rejects.toThrow(
      /^S3 denied reading s3:\/\/articles\/input\/a\.txt \(AccessDenied\)\. Without s3:ListBucket/,
    );
  });
});
