/**
 * One endpoint instance's model container: `GET /ping` and `POST /invocations` on one port, per the
 * SageMaker hosting contract (https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html)
 * with the Hugging Face toolkit's request and error shapes.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MAX_INPUT_TOKENS } from '../../core/long-article/token-estimate';
import { makeFaults, type FaultOptions } from './faults';
import {
  checkContentType,
  formatError,
  formatSummaries,
  JSON_TYPE,
  ModelServerError,
  parseInvocation,
  predictionError,
  responseType,
} from './invocation';
import { makePredict, type Mode } from './modes';
import { describeError } from '../../core/errors';
import { isForeignOrigin, isLoopbackHost } from '../support/loopback';

export interface ModelServerOptions extends FaultOptions {
  /** 0 picks a free port. The contract's 8080 is main.ts's default, not this one, so tests can run in parallel. */
  port: number;
  host: string;
  mode: Mode;
  /**
   * Input tokens the model reads (estimated as core/long-article/token-estimate.ts does); the rest of an input is
   * dropped, as the Hugging Face pipeline does with `truncation: true`.
   */
  maxInputTokens: number;
  /** Service time of `fixed` mode. */
  latencyMs: number;
  /** Simulated model loading: /ping and /invocations answer 503 until it has passed. */
  startupDelayMs: number;
  /** Larger bodies get a 413 (MMS_MAX_REQUEST_SIZE; async endpoints raise it: https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint.html). */
  maxBodyBytes: number;
  /** How long close() lets in-flight requests finish before dropping their connections. */
  shutdownGraceMs: number;
  /** One entry per finished request when set (main.ts writes them to stderr with --verbose). */
  log?: (entry: Record<string, unknown>) => void;
  /** Called after a --crash-after crash has dropped every connection; main.ts exits the process here. */
  onCrash?: () => void;
}

export const defaults: ModelServerOptions = {
  port: 0,
  host: '127.0.0.1',
  mode: 'summarize',
  latencyMs: 100,
  maxInputTokens: DEFAULT_MAX_INPUT_TOKENS,
  startupDelayMs: 0,
  maxBodyBytes: 64 * 1024 * 1024,
  shutdownGraceMs: 5_000,
  errorRate: 0,
  slowRate: 0,
  slowMs: 0,
  random: Math.random,
};

export interface ModelServer {
  port: number;
  url: string;
  /** Resolves when /ping starts answering 200 (at once without a startup delay). */
  ready: Promise<void>;
  /** Requests received and not yet answered: what a graceful close waits for. */
  inFlight(): number;
  /** Stops accepting connections, lets in-flight requests finish (up to shutdownGraceMs), then resolves. */
  close(): Promise<void>;
}

const notFound = () =>
  new ModelServerError(404, 'ResourceNotFoundException', 'Requested resource is not found, please refer to API document.');
const methodNotAllowed = () =>
  new ModelServerError(405, 'MethodNotAllowedException', 'Requested method is not allowed, please refer to API document.');
const loading = () => new ModelServerError(503, 'ServiceUnavailableException', 'No worker is available to serve request: model');

/**
 * A server on a loopback address answers only requests addressed to loopback and sent by no page of
 * another site, as the edge does (support/loopback.ts): a web page that guessed the port could
 * otherwise reach /invocations through DNS rebinding. One listening on another address was put on
 * the network on purpose, and is left to whoever did.
 */
const refusalOf = (req: IncomingMessage, loopbackOnly: boolean): ModelServerError | undefined => {
  if (!loopbackOnly) return undefined;
  if (!isLoopbackHost(req.headers.host))
    return new ModelServerError(
      403,
      'AccessDeniedException',
      `this model server answers only requests addressed to 127.0.0.1 or localhost`,
    );
  if (isForeignOrigin(req.headers.origin))
    return new ModelServerError(403, 'AccessDeniedException', 'this model server refuses requests sent by web pages of other sites');
  return undefined;
};

const isLoopbackAddress = (host: string): boolean => host === 'localhost' || host === '::1' || host.startsWith('127.');

export const startModelServer = async (overrides: Partial<ModelServerOptions> = {}): Promise<ModelServer> => {
  const options: ModelServerOptions = { ...defaults, ...overrides };
  const predict = makePredict(options.mode, options.latencyMs, options.maxInputTokens);
  const nextFault = makeFaults(options);
  let isReady = options.startupDelayMs <= 0;
  let closing = false;
  let inFlight = 0;

  const send = (res: ServerResponse, status: number, body: string, contentType?: string): void => {
    const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(body) };
    if (contentType) headers['Content-Type'] = contentType;
    if (closing) headers.Connection = 'close'; // so a keep-alive client does not hold shutdown up
    res.writeHead(status, headers).end(body);
  };

  let crashed = false;
  const crash = (): void => {
    if (crashed) return; // concurrent requests past the limit: one crash is enough
    crashed = true;
    server.closeAllConnections();
    server.close();
    options.onCrash?.();
  };

  const invoke = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') throw methodNotAllowed();
    if (!isReady) throw loading();
    const body = await readBody(req, options.maxBodyBytes);
    const fault = nextFault();
    if (fault === 'crash') return crash(); // never answers: the caller sees its connection drop
    if (fault === 'error') throw new ModelServerError(500, 'InternalServerException', 'Prediction failed (injected by --error-rate)');
    if (fault === 'slow') await sleep(options.slowMs);
    checkContentType(req.headers['content-type']);
    const accept = responseType(req.headers.accept);
    const invocation = parseInvocation(body);
    const summaries = await predict(invocation.inputs, invocation.parameters);
    send(res, 200, formatSummaries(summaries), accept);
  };

  const loopbackOnly = isLoopbackAddress(options.host);
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refusal = refusalOf(req, loopbackOnly);
    if (refusal) throw refusal;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/invocations') return invoke(req, res);
    if (path !== '/ping') throw notFound();
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed();
    if (!isReady) throw loading();
    send(res, 200, '');
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    inFlight++;
    res.once('close', () => {
      inFlight--;
      const outcome = res.writableFinished ? { status: res.statusCode } : { dropped: true };
      options.log?.({ event: 'request', method: req.method, path: req.url, ...outcome, ms: Math.round(performance.now() - started) });
      if (closing) server.closeIdleConnections();
    });
    route(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const reply = error instanceof ModelServerError ? error : new ModelServerError(500, 'InternalServerException', describeError(error));
      send(res, reply.status, formatError(reply), JSON_TYPE);
    });
  });

  let loadTimer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve) => {
    if (isReady) return resolve();
    loadTimer = setTimeout(() => {
      isReady = true;
      resolve();
    }, options.startupDelayMs);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    url: `http://${options.host}:${port}`,
    ready,
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true;
        clearTimeout(loadTimer);
        const force = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs);
        server.close((error) => {
          clearTimeout(force);
          if (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
          else resolve();
        });
        server.closeIdleConnections();
        if (inFlight === 0) server.closeAllConnections();
      }),
  };
};

/** The whole body; past `limit` bytes the rest is drained and the request rejected with a 413. */
const readBody = (req: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.once('end', () => {
      if (size <= limit) resolve(Buffer.concat(chunks));
      else
        reject(new ModelServerError(413, 'RequestEntityTooLargeException', `request body of ${size} bytes is larger than ${limit} bytes`));
    });
    req.once('error', (error) => reject(predictionError(`request body could not be read: ${error.message}`, error)));
  });
