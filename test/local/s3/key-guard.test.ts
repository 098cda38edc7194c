import { formUploadRefusal, keyRefusal, queryRefusal } from '../../../local/s3/key-guard';

describe('keys the local S3 store refuses', () => {
  it('refuses ".." and "." segments however they are escaped, before s3rver decodes them', () => {
    for (const url of [
      '/bkt/input/../../etc/x',
      '/bkt/input/%2E%2E/%2e%2e/x',
      '/bkt/input%2F..%2F..%2Fx',
      '/bkt/input/./x?x-id=PutObject',
    ]) {
      expect(keyRefusal(url)).toMatchObject({ status: 400, code: 'InvalidArgument' });
    }
  });

  it("refuses empty segments, NUL and segments over 200 bytes, and keys over S3's 1,024 bytes", () => {
    expect(keyRefusal('/bkt/input//x')?.message).toContain('an empty segment (//)');
    expect(keyRefusal('/bkt/input/a%00b')?.message).toContain('a NUL character');
    expect(keyRefusal(`/bkt/input/${'%C3%A9'.repeat(101)}`)?.message).toContain('a segment of 202 bytes');
    expect(keyRefusal(`/bkt/${'a/'.repeat(512)}x`)).toMatchObject({ code: 'KeyTooLongError' });
  });

  it('lets ordinary odd keys, folder markers and bucket requests through', () => {
    for (const url of [
      '/bkt',
      '/bkt/',
      '/bkt?list-type=2&prefix=input/',
      '/bkt/input/',
      '/bkt/input/Q3%20report%20%2B%20notes%20%C3%BC%25.txt',
      '/bkt/input/...txt',
      '/bkt/input/a%zz',
    ]) {
      expect(keyRefusal(url)).toBeUndefined();
    }
    expect(keyRefusal(`/bkt/input/${'x'.repeat(200)}`)).toBeUndefined();
  });
});

describe('bucket names the local S3 store refuses', () => {
  it('refuses a bucket part that is not a bucket name, however escaped, as s3rver would join it to a path', () => {
    for (const url of ['/../tmp/x', '/..%2F..%2Ftmp/x', '/%2E%2E/x', '/a..b/x', '/UPPER/x', '/ab', '/..']) {
      expect(keyRefusal(url)).toMatchObject({ status: 400, code: 'InvalidBucketName' });
    }
    expect(keyRefusal('/research-summarizer-dev-000000000000-us-east-1/input/a.txt')).toBeUndefined();
    expect(keyRefusal('/')).toBeUndefined();
  });
});

describe('multipart query parameters the local S3 store refuses', () => {
  const id = '0123456789abcdef0123456789abcdef';

  it('refuses upload ids s3rver did not issue and part numbers outside 1-10000', () => {
    for (const query of ['uploadId=../../x', `uploadId=${id}/..`, 'uploadId=', `uploadId=${id}&uploadId=${id}`, 'uploadId=%2E%2E%2Fx']) {
      expect(queryRefusal(`/bkt/k?partNumber=1&${query}`)).toMatchObject({ status: 404, code: 'NoSuchUpload' });
    }
    for (const part of ['0', '10001', '-1', '1.5', '01', '../1', '1e3', '']) {
      expect(queryRefusal(`/bkt/k?partNumber=${encodeURIComponent(part)}&uploadId=${id}`)).toMatchObject({
        status: 400,
        code: 'InvalidArgument',
      });
    }
  });

  it('lets the uploads an SDK makes through', () => {
    for (const url of [
      `/bkt/k?uploads`,
      `/bkt/k?partNumber=1&uploadId=${id}`,
      `/bkt/k?partNumber=10000&uploadId=${id}`,
      `/bkt/k?uploadId=${id}`,
      '/bkt/k',
      '/bkt?list-type=2',
    ]) {
      expect(queryRefusal(url)).toBeUndefined();
    }
  });
});

describe('browser form uploads', () => {
  it('refuses a POST to a bucket unless it is DeleteObjects', () => {
    for (const url of ['/bkt', '/bkt/', '/bkt?x=1'])
      expect(formUploadRefusal('POST', url)).toMatchObject({ status: 405, code: 'MethodNotAllowed' });
    for (const [method, url] of [
      ['POST', '/bkt?delete'],
      ['POST', '/bkt?delete='],
      ['POST', '/bkt/k?uploads'],
      ['PUT', '/bkt'],
      ['GET', '/bkt'],
    ]) {
      expect(formUploadRefusal(method, url ?? '')).toBeUndefined();
    }
  });
});
