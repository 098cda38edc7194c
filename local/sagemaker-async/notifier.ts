/**
 * The message SageMaker publishes to SuccessTopic / ErrorTopic after each request
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-check-predictions.html;
 * shapes and key order as in the captured messages under test/events/sagemaker/).
 */

import type { QueuedRequest } from './queue';
import type { AsyncEndpointConfig } from './types';

export type InferenceResultNotification = {
  awsRegion: string;
  eventTime: string;
  receivedTime: string;
  invocationStatus: 'Completed' | 'Failed';
  failureReason?: string;
  requestParameters: { accept?: string; contentType?: string; endpointName: string; inputLocation: string };
  responseParameters?: { contentType?: string; outputLocation?: string; failureLocation?: string };
  responseBody?: { content: string; message: string; encoding: 'BASE64' };
  inferenceId: string;
  eventVersion: '1.0';
  eventSource: 'aws:sagemaker';
  eventName: 'InferenceResult';
};

/** "The inference response is included only if the response size is less than or equal to 128 KB" (AsyncInferenceNotificationConfig); KB taken as 1024 bytes. */
export const MAX_INCLUDED_RESPONSE_BYTES = 128 * 1024;
/** The `message` seen in a captured real event; its meaning is UNVERIFIED. */
const RESPONSE_BODY_MESSAGE = 'Check S3 path location(if configured) or Cloudwatch for additional details.';

/**
 * For a request sent with an inline Body there is no caller-side S3 object. Where SageMaker keeps
 * such payloads and what it echoes as inputLocation is UNVERIFIED; the emulator echoes this
 * recognisable non-S3 URI.
 */
export const inlineInputLocation = (endpointName: string, request: Pick<QueuedRequest, 'inferenceId'>): string =>
  `inline://${endpointName}/${request.inferenceId}`;

export interface NotificationFacts {
  region: string;
  endpointName: string;
  request: QueuedRequest;
  status: 'Completed' | 'Failed';
  failureReason?: string;
  /** Success: the model's content type and the output location. Failure: the failure object, when one was written. */
  responseParameters?: { contentType?: string; outputLocation?: string; failureLocation?: string };
  /** The model's response body, already known to be wanted for this topic (see includeResponseBody). */
  responseBody?: Buffer;
  /** Wall clock, when processing finished. */
  eventTime: Date;
}

/** Builds the message with the documented key order (object literal order is JSON order). */
export const buildNotification = (f: NotificationFacts): InferenceResultNotification => {
  const r = f.request;
  return {
    awsRegion: f.region,
    eventTime: f.eventTime.toISOString(),
    receivedTime: r.receivedTime,
    invocationStatus: f.status,
    ...(f.failureReason !== undefined ? { failureReason: f.failureReason } : {}),
    // accept and contentType only when the caller sent them; inputLocation echoed raw.
    requestParameters: {
      ...(r.accept !== undefined ? { accept: r.accept } : {}),
      ...(r.contentType !== undefined ? { contentType: r.contentType } : {}),
      endpointName: f.endpointName,
      inputLocation: r.inputLocation ?? inlineInputLocation(f.endpointName, r),
    },
    ...(f.responseParameters
      ? {
          responseParameters: {
            ...(f.responseParameters.contentType !== undefined ? { contentType: f.responseParameters.contentType } : {}),
            ...(f.responseParameters.outputLocation !== undefined ? { outputLocation: f.responseParameters.outputLocation } : {}),
            ...(f.responseParameters.failureLocation !== undefined ? { failureLocation: f.responseParameters.failureLocation } : {}),
          },
        }
      : {}),
    ...(f.responseBody
      ? { responseBody: { content: f.responseBody.toString('base64'), message: RESPONSE_BODY_MESSAGE, encoding: 'BASE64' as const } }
      : {}),
    inferenceId: r.inferenceId,
    eventVersion: '1.0',
    eventSource: 'aws:sagemaker',
    eventName: 'InferenceResult',
  };
};

/** IncludeInferenceResponseIn names the topic and the body is at most 128 KB. */
export const includeResponseBody = (
  config: Pick<AsyncEndpointConfig, 'includeInferenceResponseIn'>,
  status: 'Completed' | 'Failed',
  body: Buffer | undefined,
): Buffer | undefined => {
  const topic = status === 'Completed' ? 'SUCCESS_NOTIFICATION_TOPIC' : 'ERROR_NOTIFICATION_TOPIC';
  if (!body || !config.includeInferenceResponseIn?.includes(topic)) return undefined;
  return body.length <= MAX_INCLUDED_RESPONSE_BYTES ? body : undefined;
};

/** "If no topic is provided, no notification is sent on success/failure" (AsyncInferenceNotificationConfig). */
export const topicFor = (config: Pick<AsyncEndpointConfig, 'successTopicArn' | 'errorTopicArn'>, status: 'Completed' | 'Failed') =>
  status === 'Completed' ? config.successTopicArn : config.errorTopicArn;
