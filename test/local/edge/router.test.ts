import type { IncomingMessage } from 'node:http';
import { asS3rverRequest, isForeignOrigin, isLoopbackHost, serviceOf } from '../../../local/edge/router';

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

describe('the edge origin check', () => {
  it('lets SDK requests (no Origin) and the local pages through, and refuses pages of other sites', () => {
    for (const origin of [undefined, 'http://127.0.0.1:4566', 'http://localhost:4566']) expect(isForeignOrigin(origin)).toBe(false);
    for (const origin of ['https://attacker.example', 'http://attacker.example', 'null', 'https://127.0.0.1:4566', 'file://']) {
      expect(isForeignOrigin(origin)).toBe(true);
    }
  });
});

describe('the edge host check', () => {
  it('answers loopback names only', () => {
    for (const host of ['127.0.0.1:4566', 'localhost:4566', 'LOCALHOST', '[::1]:4566', undefined]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    // Not even other loopback names: s3rver would take them for virtual-host bucket names.
    for (const host of [
      'attacker.example',
      'attacker.example:4566',
      '127.0.0.1.nip.io',
      'localhost.attacker.example',
      '10.0.0.1:4566',
      'bucket.localhost:4566',
      '/../../tmp/.localhost',
      '127.1.2.3',
    ]) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});
