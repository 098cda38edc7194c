import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  InvokeEndpointAsyncCommand,
  SageMakerRuntimeClient,
  type InvokeEndpointAsyncCommandInput,
  type InvokeEndpointAsyncCommandOutput,
} from '@aws-sdk/client-sagemaker-runtime';
import { s3ClientObjects } from '../../../local/sagemaker-async/object-store';
import { startAsyncEndpoint } from '../../../local/sagemaker-async/start-async-endpoint';
import type { AsyncEndpoint, AsyncEndpointConfig, AsyncEndpointOptions } from '../../../local/sagemaker-async/types';
import { startEmulators, type Emulators } from '../../support/emulators';
import { until } from './deadline';
import { FakeModels } from './fake-models';

export const ACCOUNT = '000000000000';
export const SUCCESS_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:research-summarizer-test-success`;
export const ERROR_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:research-summarizer-test-error`;

/** Shaped like resources/sagemaker-endpoint.yml, with the bucket of test/support/emulators.ts. */
export const endpointConfig = (overrides: Partial<AsyncEndpointConfig> = {}): AsyncEndpointConfig => ({
  endpointName: 'research-summarizer-test',
  variantName: 'AllTraffic',
  initialInstanceCount: 1,
  maxConcurrentInvocationsPerInstance: 1,
  s3OutputPath: 's3://articles/outputs',
  s3FailurePath: 's3://articles/failures',
  successTopicArn: SUCCESS_TOPIC,
  errorTopicArn: ERROR_TOPIC,
  ...overrides,
});

export interface Published {
  topicArn: string;
  raw: string;
  message: Record<string, unknown>;
}

export interface EndpointUnderTest {
  endpoint: AsyncEndpoint;
  url: string;
  client: SageMakerRuntimeClient;
  models: FakeModels;
  published: Published[];
  stateDir: string;
  invoke(
    input: Omit<InvokeEndpointAsyncCommandInput, 'EndpointName'> & { EndpointName?: string },
  ): Promise<InvokeEndpointAsyncCommandOutput>;
  /** Waits for the terminal notification of an inference. */
  notification(inferenceId: string, timeoutMs?: number): Promise<Published>;
  /** Closes the endpoint, its HTTP server and client; keeps stateDir. */
  stop(): Promise<void>;
  /** stop() and removes stateDir. */
  dispose(): Promise<void>;
}

export interface EndpointSetup extends Partial<Omit<AsyncEndpointOptions, 'endpoint' | 'objects'>> {
  endpoint?: Partial<AsyncEndpointConfig>;
  /** The S3 the endpoint reads and writes, through an SDK client over HTTP (object-store.ts). */
  s3?: S3Client;
  models?: FakeModels;
  published?: Published[];
}

/** A dummy S3 client for tests where no request ever reaches an instance. */
export const unusedS3 = () =>
  new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });

/**
 * Starts the emulated endpoint behind a loopback HTTP server (port 0) and a real SageMaker Runtime
 * client pointed at it. Fixed capacity of one instance unless told otherwise; time runs 600× and
 * instances are InService as soon as they answer /ping.
 */
export const startEndpoint = async (setup: EndpointSetup): Promise<EndpointUnderTest> => {
  const { endpoint: endpointOverrides, models = new FakeModels(), published = [], s3 = unusedS3(), ...rest } = setup;
  const stateDir = rest.stateDir ?? mkdtempSync(join(tmpdir(), 'sm-async-'));
  const options: AsyncEndpointOptions = {
    region: 'us-east-1',
    accountId: ACCOUNT,
    endpoint: endpointConfig(endpointOverrides),
    scaling: { minCapacity: 1, maxCapacity: 1 },
    timeScale: 600,
    provisioningDelayS: 0,
    objects: s3ClientObjects(s3),
    publish: async (topicArn, raw) => {
      published.push({ topicArn, raw, message: JSON.parse(raw) as Record<string, unknown> });
    },
    launchInstance: models.launch,
    ...rest,
    stateDir,
  };
  const endpoint = await startAsyncEndpoint(options);
  const server = createServer((req, res) => void endpoint.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SageMakerRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'thing' },
    maxAttempts: 1,
  });
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await endpoint.close();
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await models.closeAll();
    })());
  return {
    endpoint,
    url,
    client,
    models,
    published,
    stateDir,
    invoke: (input) => client.send(new InvokeEndpointAsyncCommand({ EndpointName: options.endpoint.endpointName, ...input })),
    notification: (inferenceId, timeoutMs = 10_000) =>
      until(() => published.find((p) => p.message.inferenceId === inferenceId), `the notification of ${inferenceId}`, { timeoutMs }),
    stop,
    dispose: async () => {
      await stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
};

/**
 * For a describe block: real S3 and DynamoDB emulators (test/support/emulators.ts) started once, and
 * endpoints on that S3, each disposed (closed, stateDir removed) after its test.
 */
export const endpointsOnRealS3 = () => {
  let emulators: Emulators | undefined;
  const started: EndpointUnderTest[] = [];
  const s3 = (): S3Client => {
    if (!emulators) throw new Error('the emulators start in beforeAll');
    return emulators.s3;
  };
  beforeAll(async () => {
    emulators = await startEmulators();
  });
  afterEach(async () => {
    // Stop all before removing any stateDir: endpoints of one test may share it.
    const ended = started.splice(0);
    for (const sut of ended) await sut.stop();
    for (const sut of ended) await sut.dispose();
  });
  afterAll(async () => emulators?.stop());
  return {
    s3,
    start: async (setup: EndpointSetup = {}): Promise<EndpointUnderTest> => {
      const sut = await startEndpoint({ s3: s3(), ...setup });
      started.push(sut);
      return sut;
    },
  };
};

export const putInput = (s3: S3Client, key: string, body: string | Buffer) =>
  s3.send(new PutObjectCommand({ Bucket: 'articles', Key: key, Body: body }));

export const getObject = async (s3: S3Client, uri: string) => {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri) ?? [];
  const reply = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: await reply.Body?.transformToString(), contentType: reply.ContentType };
};
