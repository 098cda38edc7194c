import { PassThrough, Readable } from 'node:stream';
import { insideRoot, PathOutsideStoreError, writeWithMd5 } from '../../../local/s3/store-guard';

describe("the S3 store's last check", () => {
  it('accepts paths inside its folder only', () => {
    expect(insideRoot('/state/s3', '/state/s3/bkt/k._S3rver_object')).toBe('/state/s3/bkt/k._S3rver_object');
    for (const path of ['/state/s3', '/state/s3/../x', '/state/s3-other/x', '/etc/passwd', 'relative/x']) {
      expect(() => insideRoot('/state/s3', path)).toThrow(PathOutsideStoreError);
    }
  });

  it('rejects a write that fails (a full disk) instead of leaving the error unhandled', async () => {
    const full = () =>
      new PassThrough({
        write(_chunk, _encoding, done) {
          done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
        },
      });

    await expect(writeWithMd5('/unused', Readable.from([Buffer.from('abc')]), full)).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(writeWithMd5('/unused', Buffer.from('abc'), full)).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});
