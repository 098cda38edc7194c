/**
 * One request: read the input, call the model on one instance, store what came back. The endpoint
 * (endpoint.ts) owns everything around it: slots, retries, metrics, notifications, the journal.
 * The worker steps follow https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-check-predictions.html
 * (output and failure objects, then the notification).
 */

import { invokeModel, type ModelReply } from './model-client';
import { errorCode, type ObjectRead, type ObjectStore } from './object-store';
import type { QueuedRequest } from './queue';
import { parseS3Location } from './s3-location';

/**
 * failureReason texts. Only the first two are real (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-check-predictions.html,
 * test/events/sagemaker/
 * inference-failure.json; the 4xx form follows the same wording). The others are UNVERIFIED and
 * written by the emulator: the queue expiry one contains "expired", the timeout one does not.
 */
export const failureReasons = {
  modelServerError: (status: number) =>
    `ClientError: Received server error (${status}) from model. See the SageMaker Endpoint logs in your account for more information.`,
  modelClientError: (status: number) =>
    `ClientError: Received client error (${status}) from model. See the SageMaker Endpoint logs in your account for more information.`,
  modelOtherStatus: (status: number) =>
    `ClientError: Received unexpected status (${status}) from model. See the SageMaker Endpoint logs in your account for more information.`,
  timeout: (seconds: number) =>
    `ClientError: The invocation timed out: the model did not respond within InvocationTimeoutSeconds (${seconds} s). See the SageMaker Endpoint logs in your account for more information.`,
  unreachable: (code: string) =>
    `ClientError: Failed to reach the model container (${code}). See the SageMaker Endpoint logs in your account for more information.`,
  download: (location: string, code: string) =>
    `ClientError: Failed to download the request payload from ${location} (${code}). Check that the object exists and that the execution role can read it (RequestDownloadFailures).`,
  upload: (location: string, code: string) =>
    `ServerError: Failed to upload the inference response to ${location} (${code}) (ResponseUploadFailures).`,
  inputTooLarge: (location: string, bytes: number, limit: number) =>
    `ClientError: The request payload at ${location} is ${bytes} bytes or more; asynchronous inference accepts payloads up to 1 GB (${limit} bytes) (RequestDownloadFailures).`,
  expired: (ttlSeconds: number) =>
    `ClientError: Request expired in the queue: it waited longer than RequestTTLSeconds (${ttlSeconds} s) without being processed (ExpiredRequests).`,
};

export type InvocationOutcome =
  | { kind: 'completed'; body: Buffer; contentType?: string }
  | {
      kind: 'failed';
      reason: string;
      /** What the failure object gets: the model's error body, or a description. */
      detail: Buffer;
      detailContentType: string;
      /** The model's own response body, for IncludeInferenceResponseIn. */
      modelBody?: Buffer;
      metric?: 'RequestDownloadFailures';
    }
  /** The model process could not be reached at all; the endpoint decides whether the instance died. */
  | { kind: 'unreachable'; code: string }
  /** The endpoint is shutting down; the request stays in the journal. */
  | { kind: 'aborted' };

/**
 * "Payloads up to 1 GB" through InputLocation (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference.html).
 * Taken as 1 GiB, so nothing AWS accepts is refused here. What AWS reports for a larger object is
 * UNVERIFIED: the emulator fails the request with inputTooLarge before reading more than the limit.
 */
export const MAX_INPUT_BYTES = 1024 ** 3;

export interface InvocationDeps {
  objects: ObjectStore;
  readInlineBody(request: QueuedRequest): Buffer;
  signal: AbortSignal;
  /** Largest InputLocation object read (default MAX_INPUT_BYTES). */
  maxInputBytes?: number;
  onModelLatency(ms: number): void;
}

const describe = (text: string) => ({ detail: Buffer.from(text), detailContentType: 'text/plain; charset=utf-8' });

type DownloadDeps = Pick<InvocationDeps, 'objects' | 'readInlineBody' | 'signal' | 'maxInputBytes'>;

/** The InputLocation object (never more than the limit held: object-store.ts), or the inline body. */
const readInput = async (request: QueuedRequest, deps: DownloadDeps, limit: number): Promise<ObjectRead> => {
  if (request.hasInlineBody || request.inputLocation === undefined) return { kind: 'object', body: deps.readInlineBody(request) };
  const location = parseS3Location(request.inputLocation);
  if (!location) return { kind: 'error', code: 'InvalidInputLocation' };
  return deps.objects.read(location, limit, deps.signal);
};

/** Reads the request payload (from S3, or the inline body); a failure is already an outcome. */
export const download = async (
  request: QueuedRequest,
  deps: DownloadDeps,
): Promise<{ kind: 'input'; input: Buffer } | Extract<InvocationOutcome, { kind: 'failed' | 'aborted' }>> => {
  const limit = deps.maxInputBytes ?? MAX_INPUT_BYTES;
  const read = await readInput(request, deps, limit).catch((error: unknown): ObjectRead => ({ kind: 'error', code: errorCode(error) }));
  if (deps.signal.aborted) return { kind: 'aborted' };
  if (read.kind === 'object') return { kind: 'input', input: read.body };
  const location = request.inputLocation ?? 'the inline body';
  const reason =
    read.kind === 'tooLarge' ? failureReasons.inputTooLarge(location, read.bytes, limit) : failureReasons.download(location, read.code);
  return { kind: 'failed', reason, ...describe(reason), metric: 'RequestDownloadFailures' };
};

/** Sends the payload to the model container and classifies the reply. Nothing is written yet. */
export const callModel = async (
  request: QueuedRequest,
  input: Buffer,
  modelUrl: string,
  deps: Pick<InvocationDeps, 'signal' | 'onModelLatency'>,
): Promise<InvocationOutcome> => {
  // InvocationTimeoutSeconds runs in real time: the model is a real process doing real work.
  const reply = await invokeModel(
    modelUrl,
    {
      body: input,
      ...(request.contentType !== undefined ? { contentType: request.contentType } : {}),
      ...(request.accept !== undefined ? { accept: request.accept } : {}),
      ...(request.customAttributes !== undefined ? { customAttributes: request.customAttributes } : {}),
    },
    request.invocationTimeoutSeconds * 1000,
    deps.signal,
  );
  if (reply.kind !== 'aborted') deps.onModelLatency(reply.latencyMs);
  return classify(reply, request);
};

export const classify = (reply: ModelReply, request: Pick<QueuedRequest, 'invocationTimeoutSeconds'>): InvocationOutcome => {
  switch (reply.kind) {
    case 'aborted':
      return { kind: 'aborted' };
    case 'unreachable':
      return { kind: 'unreachable', code: reply.code };
    case 'timeout': {
      const reason = failureReasons.timeout(request.invocationTimeoutSeconds);
      return { kind: 'failed', reason, ...describe(reason) };
    }
    case 'response': {
      if (reply.status >= 200 && reply.status < 300) {
        return { kind: 'completed', body: reply.body, ...(reply.contentType ? { contentType: reply.contentType } : {}) };
      }
      const reason =
        reply.status >= 500
          ? failureReasons.modelServerError(reply.status)
          : reply.status >= 400
            ? failureReasons.modelClientError(reply.status)
            : failureReasons.modelOtherStatus(reply.status);
      // The failure object holds what the model said; an empty error body is replaced by the reason.
      const detail =
        reply.body.length > 0
          ? { detail: reply.body, detailContentType: reply.contentType ?? 'application/octet-stream' }
          : describe(reason);
      return { kind: 'failed', reason, ...detail, ...(reply.body.length > 0 ? { modelBody: reply.body } : {}) };
    }
  }
};

/** PutObject at an s3:// location; resolves to an error code on failure instead of throwing. */
export const putObject = (objects: ObjectStore, uri: string, body: Buffer, contentType?: string): Promise<string | undefined> => {
  const location = parseS3Location(uri);
  return location ? objects.write(location, body, contentType) : Promise.resolve('InvalidS3Location');
};
