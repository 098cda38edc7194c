/**
 * The SageMaker Runtime wire protocol (restJson1) for the one operation an async endpoint accepts,
 * InvokeEndpointAsync: `POST /endpoints/{EndpointName}/async-invocations`, success 202
 * (Smithy model; https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html). Routing, reading and writing only: every
 * decision is in invoke-endpoint-async.ts and endpoint.ts. Authorization is not checked (any
 * credentials work), and requests without x-amz-content-sha256 (AWS CLI) are as good as any.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SageMakerRuntimeError } from './errors';
import {
  invokeEndpointAsync,
  MAX_INLINE_BODY_BYTES,
  readInvokeEndpointAsyncInput,
  type InvokeContext,
  type InvokeEndpointAsyncOutput,
} from './invoke-endpoint-async';
import { describeEndpoint, DESCRIBE_ENDPOINT_TARGET, SageMakerApiError, type DescribeEndpointContext } from './describe-endpoint';
import { describeError } from '../../core/errors';

export interface WireBackend {
  accepting(): boolean;
  invokeContext: InvokeContext;
  /** DescribeEndpoint (describe-endpoint.ts), the control plane's one operation served here. */
  describeContext?: DescribeEndpointContext;
  log(message: string, fields?: Record<string, unknown>): void;
}

const ROUTE = /^\/endpoints\/([^/]+)\/async-invocations\/?$/;
/** Bytes read from a request body before the rest is discarded (only the size is needed then). */
const BODY_KEEP_LIMIT = MAX_INLINE_BODY_BYTES + 1;

const readBody = async (req: IncomingMessage): Promise<{ body: Buffer; bytes: number }> => {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (keptBytes < BODY_KEEP_LIMIT) {
      const part = chunk.subarray(0, BODY_KEEP_LIMIT - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    }
  }
  return { body: Buffer.concat(kept), bytes };
};

const writeJson = (res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void => {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
};

/** 202 with the locations in headers and the InferenceId in the JSON body (InvokeEndpointAsyncOutput bindings). */
const writeAccepted = (res: ServerResponse, requestId: string, output: InvokeEndpointAsyncOutput): void =>
  writeJson(
    res,
    202,
    {
      'x-amzn-RequestId': requestId,
      'X-Amzn-SageMaker-OutputLocation': output.outputLocation,
      ...(output.failureLocation ? { 'X-Amzn-SageMaker-FailureLocation': output.failureLocation } : {}),
    },
    { InferenceId: output.inferenceId },
  );

/** Status + x-amzn-ErrorType + {"__type","message","Message"}: parsed by JS v3 and botocore alike. */
const writeError = (res: ServerResponse, requestId: string, error: SageMakerRuntimeError): void =>
  writeJson(
    res,
    error.statusCode,
    { 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': error.errorType },
    { __type: error.errorType, message: error.message, Message: error.message },
  );

const pathOf = (url: string | undefined): string => (url ?? '/').split('?')[0] ?? '/';

/** The control plane's AWS JSON 1.1 answer: the body, or the error's `__type` and `message`. */
const controlPlane = async (req: IncomingMessage, res: ServerResponse, requestId: string, backend: WireBackend): Promise<void> => {
  const { body } = await readBody(req);
  const headers = { 'x-amzn-RequestId': requestId };
  try {
    if (!backend.describeContext) throw new SageMakerApiError('UnknownOperationException', 400, 'DescribeEndpoint is not served here.');
    writeJson(res, 200, headers, describeEndpoint(body, backend.describeContext));
  } catch (caught) {
    const error = caught instanceof SageMakerApiError ? caught : new SageMakerApiError('ValidationException', 400, describeError(caught));
    writeJson(res, error.statusCode, headers, { __type: error.errorType, message: error.message });
  }
};

export const makeHttpHandler =
  (backend: WireBackend) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    if (req.method === 'POST' && req.headers['x-amz-target'] === DESCRIBE_ENDPOINT_TARGET)
      return controlPlane(req, res, requestId, backend);
    try {
      const match = req.method === 'POST' ? ROUTE.exec(pathOf(req.url)) : null;
      const { body, bytes } = await readBody(req);
      if (!match?.[1]) {
        throw new SageMakerRuntimeError(
          'UnknownOperationException',
          404,
          `No SageMaker Runtime operation matches ${req.method} ${pathOf(req.url)}.`,
        );
      }
      if (!backend.accepting()) throw new SageMakerRuntimeError('ServiceUnavailable', 503, 'The endpoint is shutting down.');
      let endpointName: string;
      try {
        endpointName = decodeURIComponent(match[1]);
      } catch {
        endpointName = match[1];
      }
      const input = readInvokeEndpointAsyncInput(endpointName, req.headers, body, bytes);
      writeAccepted(res, requestId, invokeEndpointAsync(input, backend.invokeContext));
    } catch (caught) {
      const error =
        caught instanceof SageMakerRuntimeError
          ? caught
          : new SageMakerRuntimeError('InternalFailure', 500, `Internal failure: ${describeError(caught)}`);
      if (error.statusCode >= 500) backend.log('InvokeEndpointAsync failed', { requestId, error: describeError(caught) });
      if (!res.headersSent) writeError(res, requestId, error);
      else res.end();
    }
  };
