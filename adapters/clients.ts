import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

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
  sagemaker: SageMakerRuntimeClient;
}

export const sagemakerRetryOptions = { maxAttempts: 6, retryMode: 'standard' } as const;
export const dynamoRetryOptions = { maxAttempts: 6, retryMode: 'standard' } as const;

export const makeClients = (): Clients => ({
  s3: new S3Client({}),
  dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ ...dynamoRetryOptions }), {
    marshallOptions: { removeUndefinedValues: true },
  }),
  sagemaker: new SageMakerRuntimeClient({ ...sagemakerRetryOptions }),
});
