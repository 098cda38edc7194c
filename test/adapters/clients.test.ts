import { PutObjectCommand } from '@aws-sdk/client-s3';
import { makeClients } from '../../adapters/clients';

describe('makeClients', () => {
  const base = { region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };

  it('resolves each command class middleware stack once for S3, SageMaker and SNS', async () => {
    const clients = makeClients(base);
    expect([clients.s3, clients.sagemaker, clients.sns].map((c) => c.config.cacheMiddleware)).toEqual([true, true, true]);
    const resolve = jest.spyOn(PutObjectCommand.prototype, 'resolveMiddleware');
    // Port 9 (discard) refuses: each send fails without a server, after its stack is resolved.
    clients.s3.config.maxAttempts = async () => 1;
    for (const key of ['a', 'b']) await clients.s3.send(new PutObjectCommand({ Bucket: 'b', Key: key, Body: 'x' })).catch(() => undefined);
    expect(resolve).toHaveBeenCalledTimes(1);
    resolve.mockRestore();
    clients.s3.destroy();
  });

  it('leaves the DynamoDB document client without the cache, which lib-dynamodb refuses', () => {
    const clients = makeClients(base);
    expect(clients.rawDynamo.config.cacheMiddleware).toBeUndefined();
    expect(clients.dynamo.config.cacheMiddleware).toBeUndefined();
  });
});
