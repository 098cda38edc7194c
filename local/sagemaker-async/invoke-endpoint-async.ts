/**
 * The InvokeEndpointAsync operation: its input as the restJson1 binding puts it on the wire, the
 * Smithy constraints on each member, and what the service does with a valid request.
 * Source unless noted: the Smithy model aws/aws-sdk-js-v3 codegen/sdk-codegen/aws-models/sagemaker-runtime.json
 * and https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { constraintViolations, validationError } from './errors';
import type { QueuedRequest } from './queue';
import { INPUT_LOCATION_PATTERN, s3Join } from './s3-location';

export interface InvokeEndpointAsyncInput {
  endpointName: string;
  contentType?: string;
  accept?: string;
  customAttributes?: string;
  inferenceId?: string;
  inputLocation?: string;
  /** Inline payload (`Body`), present when the HTTP body is not empty. */
  body?: Buffer;
  requestTtlSeconds: number;
  invocationTimeoutSeconds: number;
  s3OutputPathExtension?: string;
  filename?: string;
}

export interface InvokeEndpointAsyncOutput {
  inferenceId: string;
  outputLocation: string;
  failureLocation?: string;
}

/** "For payloads up to 128,000 bytes, pass the data directly in the request with the Body parameter" (async-inference-invoke-endpoint). */
export const MAX_INLINE_BODY_BYTES = 128_000;
/** RequestTTLSecondsHeader: range 60..21600, default 6 hours. */
export const REQUEST_TTL = { min: 60, max: 21_600, default: 21_600 } as const;
/** InvocationTimeoutSecondsHeader: range 1..3600, default 15 minutes. */
export const INVOCATION_TIMEOUT = { min: 1, max: 3_600, default: 900 } as const;

// Patterns as the model writes them; AWS quotes them this way in its messages.
const ENDPOINT_NAME_PATTERN = '^[a-zA-Z0-9](-*[a-zA-Z0-9])*$';
const INFERENCE_ID_PATTERN = '^\\A\\S[\\p{Print}]*\\z$';
const ASCII_PATTERN = '^\\p{ASCII}*$';
const INPUT_LOCATION_SOURCE = '^(https|s3)://([^/]+)/?(.*)$';
// Java's \S and \p{Print} (printable US-ASCII, space included) in JavaScript.
const INFERENCE_ID_REGEX = /^[^ \t\n\v\f\r][\x20-\x7E]*$/;
// eslint-disable-next-line no-control-regex
const ASCII_REGEX = /^[\x00-\x7F]*$/;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

class Violations {
  readonly messages: string[] = [];

  /** Sensitive members (CustomAttributes, Body) are reported without their value, as AWS does. */
  private at(member: string, value: string | undefined, rule: string): void {
    const shown = value === undefined ? 'Value' : `Value '${value}'`;
    this.messages.push(`${shown} at '${member}' failed to satisfy constraint: Member must ${rule}`);
  }

  length(member: string, value: string | undefined, min: number, max: number, sensitive = false): void {
    if (value === undefined) return;
    const shown = sensitive ? undefined : value;
    if (value.length < min) this.at(member, shown, `have length greater than or equal to ${min}`);
    if (value.length > max) this.at(member, shown, `have length less than or equal to ${max}`);
  }

  pattern(member: string, value: string | undefined, regex: RegExp, source: string, sensitive = false): void {
    if (value === undefined || value === '' || regex.test(value)) return;
    this.at(member, sensitive ? undefined : value, `satisfy regular expression pattern: ${source}`);
  }

  integer(member: string, raw: string | undefined, range: { min: number; max: number; default: number }): number {
    if (raw === undefined) return range.default;
    if (!/^-?\d+$/.test(raw.trim())) {
      this.at(member, raw, 'be an integer');
      return range.default;
    }
    const value = Number(raw);
    if (value < range.min) this.at(member, raw.trim(), `have value greater than or equal to ${range.min}`);
    if (value > range.max) this.at(member, raw.trim(), `have value less than or equal to ${range.max}`);
    return value;
  }

  blob(member: string, size: number, max: number): void {
    if (size > max) this.at(member, undefined, `have length less than or equal to ${max}`);
  }
}

/**
 * Reads the operation's input from the URI label, the X-Amzn-SageMaker-* headers and the payload,
 * and checks every member constraint before anything else, reporting all violations in one
 * ValidationError like AWS. `bodyBytes` is the full payload size (the body itself may be truncated).
 */
export const readInvokeEndpointAsyncInput = (
  endpointName: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  bodyBytes: number,
): InvokeEndpointAsyncInput => {
  const v = new Violations();
  v.length('endpointName', endpointName, 0, 63);
  v.pattern('endpointName', endpointName, /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/, ENDPOINT_NAME_PATTERN);

  const contentType = header(headers, 'x-amzn-sagemaker-content-type');
  const accept = header(headers, 'x-amzn-sagemaker-accept');
  const customAttributes = header(headers, 'x-amzn-sagemaker-custom-attributes');
  for (const [member, value, sensitive] of [
    ['contentType', contentType, false],
    ['accept', accept, false],
    ['customAttributes', customAttributes, true],
  ] as const) {
    v.length(member, value, 0, 1024, sensitive);
    v.pattern(member, value, ASCII_REGEX, ASCII_PATTERN, sensitive);
  }

  const inferenceId = header(headers, 'x-amzn-sagemaker-inference-id');
  v.length('inferenceId', inferenceId, 1, 64);
  v.pattern('inferenceId', inferenceId, INFERENCE_ID_REGEX, INFERENCE_ID_PATTERN);

  const inputLocation = header(headers, 'x-amzn-sagemaker-inputlocation');
  v.length('inputLocation', inputLocation, 1, 1024);
  v.pattern('inputLocation', inputLocation, INPUT_LOCATION_PATTERN, INPUT_LOCATION_SOURCE);

  const requestTtlSeconds = v.integer('requestTTLSeconds', header(headers, 'x-amzn-sagemaker-requestttlseconds'), REQUEST_TTL);
  const invocationTimeoutSeconds = v.integer(
    'invocationTimeoutSeconds',
    header(headers, 'x-amzn-sagemaker-invocationtimeoutseconds'),
    INVOCATION_TIMEOUT,
  );
  v.blob('body', bodyBytes, MAX_INLINE_BODY_BYTES);
  if (v.messages.length > 0) throw constraintViolations(v.messages);

  const s3OutputPathExtension = header(headers, 'x-amzn-sagemaker-s3outputpathextension');
  const filename = header(headers, 'x-amzn-sagemaker-filename');
  return {
    endpointName,
    requestTtlSeconds,
    invocationTimeoutSeconds,
    ...(contentType !== undefined ? { contentType } : {}),
    ...(accept !== undefined ? { accept } : {}),
    ...(customAttributes !== undefined ? { customAttributes } : {}),
    ...(inferenceId !== undefined ? { inferenceId } : {}),
    ...(inputLocation !== undefined ? { inputLocation } : {}),
    ...(bodyBytes > 0 ? { body } : {}),
    ...(s3OutputPathExtension ? { s3OutputPathExtension } : {}),
    ...(filename ? { filename } : {}),
  };
};

export interface InvokeContext {
  endpointName: string;
  accountId: string;
  s3OutputPath: string;
  s3FailurePath?: string;
  /** Simulated now, for the queue TTL. */
  nowMs(): number;
  /** Durably queues the request (and its inline body) before the reply goes out. */
  enqueue(request: QueuedRequest, inlineBody?: Buffer): void;
}

/** What the service does with a valid InvokeEndpointAsync request. */
export const invokeEndpointAsync = (input: InvokeEndpointAsyncInput, ctx: InvokeContext): InvokeEndpointAsyncOutput => {
  // Real message (aws/amazon-sagemaker-examples#293).
  if (input.endpointName !== ctx.endpointName) {
    throw validationError(`Endpoint ${input.endpointName} of account ${ctx.accountId} not found.`);
  }
  // "Body and InputLocation are mutually exclusive. Provide exactly one of them." (InvokeEndpointAsyncInput.Body
  // documentation, client-sagemaker-runtime 3.1164.0). The error text is that sentence: the service's is UNVERIFIED.
  if ((input.inputLocation === undefined) === (input.body === undefined)) {
    throw validationError('Body and InputLocation are mutually exclusive. Provide exactly one of them.');
  }

  // The output key is a fresh UUID + ".out" under S3OutputPath, not the InferenceId (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html, OutputLocation);
  // the failure key "<uuid>-error.out" is commonly reported but UNVERIFIED. S3OutputPathExtension and
  // Filename (2026-02 API change) are applied as a sub-path and a file name: their semantics are UNVERIFIED.
  const id = randomUUID();
  const extension = input.s3OutputPathExtension ?? '';
  const outputLocation = s3Join(ctx.s3OutputPath, extension, input.filename ?? `${id}.out`);
  const failureLocation = ctx.s3FailurePath ? s3Join(ctx.s3FailurePath, extension, `${id}-error.out`) : undefined;
  // "SageMaker will generate an identifier for you if none is specified" (InferenceId, Smithy model).
  const inferenceId = input.inferenceId ?? randomUUID();
  const receivedAt = ctx.nowMs();

  ctx.enqueue(
    {
      id,
      inferenceId,
      ...(input.inputLocation !== undefined ? { inputLocation: input.inputLocation } : {}),
      ...(input.contentType !== undefined ? { contentType: input.contentType } : {}),
      ...(input.accept !== undefined ? { accept: input.accept } : {}),
      ...(input.customAttributes !== undefined ? { customAttributes: input.customAttributes } : {}),
      invocationTimeoutSeconds: input.invocationTimeoutSeconds,
      requestTtlSeconds: input.requestTtlSeconds,
      outputLocation,
      ...(failureLocation ? { failureLocation } : {}),
      receivedTime: new Date().toISOString(),
      receivedAt,
      expiresAt: receivedAt + input.requestTtlSeconds * 1000,
    },
    input.body,
  );
  return { inferenceId, outputLocation, ...(failureLocation ? { failureLocation } : {}) };
};
