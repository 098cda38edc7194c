import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { sagemakerRetryOptions } from '../../adapters/clients';
import { SageMakerInferenceQueue } from '../../adapters/inference-queue';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A loopback HTTP server answering InvokeEndpointAsync with scripted replies, in the wire format of
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html: it proves what the real SDK client sends and how the
 * adapter's retry settings treat throttling and 5xx.
 */
export const scriptedEndpoint = async (replies: Reply[]) => {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const reply = replies[Math.min(seen.length - 1, replies.length - 1)] as Reply;
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new SageMakerRuntimeClient({
    ...sagemakerRetryOptions,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    seen,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queue: new SageMakerInferenceQueue(client, 'research-summarizer-dev'),
    close: () =>
      new Promise<void>((resolve) => {
        client.destroy();
        server.close(() => resolve());
      }),
  };
};

export const accepted: Reply = {
  status: 202,
  headers: {
    'x-amzn-requestid': 'req-1',
    'x-amzn-sagemaker-outputlocation': 's3://articles/outputs/2f4dcf85-01b8-418c-8c93-2b30fcdd1ab8.out',
    'x-amzn-sagemaker-failurelocation': 's3://articles/failures/2f4dcf85-01b8-418c-8c93-2b30fcdd1ab8-error.out',
  },
  body: '{"InferenceId":"0123456789abcdef0123456789abcdef"}',
};
export const error = (status: number, name: string): Reply => ({
  status,
  headers: { 'x-amzn-errortype': name },
  body: JSON.stringify({ __type: name, message: `${name} from the test endpoint` }),
});
