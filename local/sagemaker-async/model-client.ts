/**
 * The container side of SageMaker hosting (https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html,
 * https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html#your-algorithms-inference-algo-ping-requests):
 * POST /invocations with the request's ContentType and Accept, GET /ping
 * answering 200 when healthy, each ping timing out after 2 s. Unknown headers must be ignored by
 * the container, so CustomAttributes travels as X-Amzn-SageMaker-Custom-Attributes as for real-time
 * endpoints. These calls run in real time.
 */

import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface ModelRequest {
  body: Buffer;
  contentType?: string;
  accept?: string;
  customAttributes?: string;
}

export type ModelReply =
  | { kind: 'response'; status: number; contentType?: string; body: Buffer; latencyMs: number }
  | { kind: 'timeout'; latencyMs: number }
  /** No HTTP response: refused, reset or closed (the process died or is not listening). */
  | { kind: 'unreachable'; code: string; latencyMs: number }
  /** Cancelled by the endpoint shutting down. */
  | { kind: 'aborted'; latencyMs: number };

const PING_TIMEOUT_MS = 2_000;

const endpointUrl = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

export const invokeModel = (baseUrl: string, input: ModelRequest, timeoutMs: number, signal?: AbortSignal): Promise<ModelReply> => {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  return new Promise<ModelReply>((resolve) => {
    let settled = false;
    const settle = (reply: ModelReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(reply);
    };
    const headers: Record<string, string | number> = { 'content-length': input.body.length };
    if (input.contentType !== undefined) headers['content-type'] = input.contentType;
    if (input.accept !== undefined) headers.accept = input.accept;
    if (input.customAttributes !== undefined) headers['x-amzn-sagemaker-custom-attributes'] = input.customAttributes;
    // A fresh connection per invocation: a pooled socket to a crashed model would fail the next request.
    const req = request(endpointUrl(baseUrl, '/invocations'), { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        settle({
          kind: 'response',
          status: res.statusCode ?? 0,
          ...(res.headers['content-type'] ? { contentType: res.headers['content-type'] } : {}),
          body: Buffer.concat(chunks),
          latencyMs: latencyMs(),
        }),
      );
      res.on('error', (error: NodeJS.ErrnoException) =>
        settle({ kind: 'unreachable', code: error.code ?? error.message, latencyMs: latencyMs() }),
      );
    });
    const timer = setTimeout(() => {
      settle({ kind: 'timeout', latencyMs: latencyMs() });
      req.destroy();
    }, timeoutMs);
    const onAbort = () => {
      settle({ kind: 'aborted', latencyMs: latencyMs() });
      req.destroy();
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'unreachable', code: error.code ?? error.message, latencyMs: latencyMs() }),
    );
    req.end(input.body);
  });
};

/** GET /ping: healthy only on 200 within 2 s. */
export const ping = (baseUrl: string): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    const req = request(endpointUrl(baseUrl, '/ping'), { method: 'GET', agent: false, timeout: PING_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy(new Error('ping timed out')));
    req.on('error', () => resolve(false));
    req.end();
  });
