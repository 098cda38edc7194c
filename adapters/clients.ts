import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SNSClient } from '@aws-sdk/client-sns';

/**
 * One client per service, built once per cold start. Endpoints come from the SDK's own
 * AWS_ENDPOINT_URL_<SERVICE> variables, so the local cloud needs no code path of its own.
 * Standard retry mode backs off on throttling and 5xx. SageMaker and DynamoDB get extra attempts:
 * a failed submission costs a whole article, and a ledger write that fails after the endpoint
 * accepted a request makes the function's retry submit it again (a second model run).
 */
export interface Clients {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  /** The client under `dynamo`, for table-level calls (CreateTable) and for destroy(). */
  rawDynamo: DynamoDBClient;
  sagemaker: SageMakerRuntimeClient;
  /** Publishes the article events (adapters/article-event-topic.ts). */
  sns: SNSClient;
}

/** What every client shares: a region, and for the local cloud its endpoint and credentials. */
export type ClientBase = Pick<S3ClientConfig, 'region' | 'endpoint' | 'credentials'>;

/**
 * Every client resolves its middleware stack once per command class instead of on every call
 * (`cacheMiddleware`, https://github.com/aws/aws-sdk-js-v3/blob/main/supplemental-docs/CLIENTS.md):
 * about a fifth of the SDK's CPU per call, measured warm (docs/benchmarks.md, Where the CPU goes).
 * Nothing here adds middleware after a client's first request, which that cache would not see.
 * Not the document client: lib-dynamodb refuses it (its commands' handlers hold the command); the
 * ledger's per-article calls go through a DynamoDB client of their own that has it (dynamo-items.ts).
 */
const sdkOptions = { cacheMiddleware: true } as const;

export const sagemakerRetryOptions = { maxAttempts: 6, retryMode: 'standard' } as const;
export const dynamoRetryOptions = { maxAttempts: 6, retryMode: 'standard' } as const;

/** The functions call it with nothing; the CLI's targets pass a region, or the local cloud's endpoint. */
export const makeClients = (base: ClientBase = {}, s3Options: S3ClientConfig = {}): Clients => {
  const rawDynamo = new DynamoDBClient({ ...base, ...dynamoRetryOptions });
  return {
    s3: new S3Client({ ...base, ...sdkOptions, ...s3Options }),
    dynamo: DynamoDBDocumentClient.from(rawDynamo, { marshallOptions: { removeUndefinedValues: true } }),
    rawDynamo,
    sagemaker: new SageMakerRuntimeClient({ ...base, ...sdkOptions, ...sagemakerRetryOptions }),
    sns: new SNSClient({ ...base, ...sdkOptions }),
  };
};
