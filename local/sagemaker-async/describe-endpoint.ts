/**
 * DescribeEndpoint, the one SageMaker control-plane operation the local cloud answers: what
 * `npm run status --aws` reads a deployed endpoint's instance counts from (adapters/endpoint-figures.ts),
 * answered from the emulator's own status so the same adapter reads the local endpoint too. The AWS JSON
 * 1.1 protocol: `POST /` with `X-Amz-Target: SageMaker.DescribeEndpoint` and `{"EndpointName"}`;
 * timestamps are epoch seconds
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html,
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html). Only the fields the emulator knows
 * are given: the variant's CurrentInstanceCount (instances in service) and DesiredInstanceCount.
 */

import type { EndpointStatus } from './types';

export const DESCRIBE_ENDPOINT_TARGET = 'SageMaker.DescribeEndpoint';

/** A control-plane error as awsJson1_1 writes it (`__type` and `message`). */
export class SageMakerApiError extends Error {
  constructor(
    readonly errorType: 'ValidationException' | 'UnknownOperationException',
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = errorType;
  }
}

export interface DescribeEndpointContext {
  status(): EndpointStatus;
  region: string;
  accountId: string;
  /** When the endpoint came up (the local cloud's start), epoch milliseconds. */
  createdAt: number;
}

export const describeEndpoint = (body: Buffer, context: DescribeEndpointContext): Record<string, unknown> => {
  let name: unknown;
  try {
    name = (JSON.parse(body.toString('utf8') || '{}') as { EndpointName?: unknown }).EndpointName;
  } catch {
    throw new SageMakerApiError('ValidationException', 400, 'The request body is not valid JSON.');
  }
  const status = context.status();
  // SageMaker's answer for an endpoint that does not exist.
  if (name !== status.endpointName) throw new SageMakerApiError('ValidationException', 400, `Could not find endpoint "${String(name)}".`);
  const seconds = (ms: number) => Math.floor(ms / 1000);
  return {
    EndpointName: status.endpointName,
    EndpointArn: `arn:aws:sagemaker:${context.region}:${context.accountId}:endpoint/${status.endpointName.toLowerCase()}`,
    EndpointStatus: 'InService',
    CreationTime: seconds(context.createdAt),
    LastModifiedTime: seconds(context.createdAt),
    ProductionVariants: [
      {
        VariantName: status.variantName,
        CurrentWeight: 1,
        DesiredWeight: 1,
        CurrentInstanceCount: status.instances.inService,
        DesiredInstanceCount: status.desiredInstanceCount,
      },
    ],
  };
};
