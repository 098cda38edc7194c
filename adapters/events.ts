import { SnsEnvelope } from '@aws-lambda-powertools/parser/envelopes/sns';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import { z } from 'zod';
import { InvalidEventError } from '../core/errors';
import type { InferenceNotification } from '../core/record-result';
import type { Upload } from '../core/submit-article';

/**
 * S3 event keys are form-URL-encoded: a space arrives as `+`, other bytes as `%XX`
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 */
export const decodeS3Key = (encoded: string): string => {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch (cause) {
    throw new InvalidEventError(`S3 key is not URL-encoded as S3 sends it: ${JSON.stringify(encoded)}`, { cause });
  }
};

/** S3 ObjectCreated records -> uploads with decoded keys. */
export const parseUploads = (event: unknown): Upload[] => {
  const parsed = S3Schema.safeParse(event);
  if (!parsed.success) throw new InvalidEventError('not an S3 event notification', { cause: parsed.error });
  return parsed.data.Records.map((record, index) => {
    const { bucket, object } = record.s3;
    if (object.size === undefined || object.eTag === undefined) {
      throw new InvalidEventError(`S3 record ${index} (${record.eventName}) has no size or eTag`);
    }
    return {
      bucket: bucket.name,
      key: decodeS3Key(object.key),
      bytes: object.size,
      etag: object.eTag,
      ...(object.versionId ? { versionId: object.versionId } : {}),
      ...(object.sequencer ? { sequencer: object.sequencer } : {}),
      eventName: record.eventName,
      eventTime: new Date(record.eventTime).toISOString(),
    };
  });
};

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO-8601 time');

/**
 * The notification SageMaker publishes for each async inference, success (`Completed`) and failure
 * (`Failed`, with `failureReason`), as documented in "Check prediction results"
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-check-predictions.html).
 */
export const SageMakerNotificationSchema = z.object({
  awsRegion: z.string(),
  eventTime: isoTime,
  receivedTime: isoTime,
  invocationStatus: z.enum(['Completed', 'Failed']),
  failureReason: z.string().optional(),
  requestParameters: z.object({
    endpointName: z.string(),
    inputLocation: z.string(),
    contentType: z.string().optional(),
    accept: z.string().optional(),
  }),
  responseParameters: z
    .object({
      contentType: z.string().optional(),
      outputLocation: z.string().optional(),
      failureLocation: z.string().optional(),
    })
    .optional(),
  // SageMaker inlines the response only up to 128 KB; a larger one leaves responseBody without
  // content, and the output is read from outputLocation instead.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceNotificationConfig.html
  responseBody: z.object({ content: z.string().optional(), encoding: z.string().optional(), message: z.string().optional() }).optional(),
  inferenceId: z.string().min(1),
  eventVersion: z.string(),
  eventSource: z.literal('aws:sagemaker'),
  eventName: z.literal('InferenceResult'),
});
export type SageMakerNotification = z.infer<typeof SageMakerNotificationSchema>;

export const toInferenceNotification = (n: SageMakerNotification): InferenceNotification => ({
  status: n.invocationStatus,
  inferenceId: n.inferenceId,
  endpointName: n.requestParameters.endpointName,
  inputLocation: n.requestParameters.inputLocation,
  receivedTime: n.receivedTime,
  eventTime: n.eventTime,
  ...(n.responseParameters?.outputLocation ? { outputLocation: n.responseParameters.outputLocation } : {}),
  ...(n.responseParameters?.failureLocation ? { failureLocation: n.responseParameters.failureLocation } : {}),
  ...(n.failureReason !== undefined ? { failureReason: n.failureReason } : {}),
  ...(n.responseBody?.content !== undefined ? { inlineResponse: decodeBody(n.responseBody.content, n.responseBody.encoding) } : {}),
});

const decodeBody = (content: string, encoding: string | undefined): string =>
  encoding === 'BASE64' ? Buffer.from(content, 'base64').toString('utf-8') : content;

/** SNS records whose Message is a SageMaker notification -> notifications. */
export const parseNotifications = (event: unknown): InferenceNotification[] => {
  try {
    return SnsEnvelope.parse(event, JSONStringified(SageMakerNotificationSchema)).map(toInferenceNotification);
  } catch (cause) {
    throw new InvalidEventError('not an SNS event carrying SageMaker async inference notifications', { cause });
  }
};
