/**
 * One edge endpoint for every emulated service, in the LocalStack convention: a request is routed
 * by the service in its SigV4 credential scope (`Credential=AKID/date/region/<service>/aws4_request`,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html), or by
 * `X-Amz-Target` for DynamoDB's JSON protocol. So `AWS_ENDPOINT_URL=http://127.0.0.1:4566` and
 * `aws --endpoint-url http://127.0.0.1:4566 s3|dynamodb|sagemaker-runtime|sns ...` all work.
 */

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describeError } from '../../core/errors';
import { isForeignOrigin, isLoopbackHost } from '../support/loopback';

export type Service = 's3' | 'dynamodb' | 'sagemaker' | 'sns' | 'internal';
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const SCOPE = /Credential=[^/]+\/\d{8}\/[^/]+\/([a-z0-9-]+)\/aws4_request/;

/** The URL decoded, or as it is when it holds a malformed escape (`%E0%A4%A`): a request, not a crash. */
const decodedOrRaw = (url: string): string => {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
};

export const serviceOf = (req: IncomingMessage): Service => {
  const url = req.url ?? '/';
  if (url.startsWith('/_localcloud') || url.startsWith('/_dashboard')) return 'internal';
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith('DynamoDB_')) return 'dynamodb';
  const scope = SCOPE.exec(req.headers.authorization ?? '') ?? SCOPE.exec(decodedOrRaw(url));
  const service = scope?.[1];
  if (service === 'dynamodb') return 'dynamodb';
  if (service === 'sagemaker') return 'sagemaker';
  if (service === 'sns') return 'sns';
  if (service === 's3') return 's3';
  // Unsigned requests (curl, a browser) to SageMaker's route go there; everything else is S3's.
  return /^\/endpoints\/[^/]+\/async-invocations/.test(url) ? 'sagemaker' : 's3';
};

/**
 * s3rver knows one access key (S3RVER) and never checks signatures (local/README.md, Traps), so the edge
 * presents every S3 request under that key: any credentials work, as local/README.md promises.
 */
export const asS3rverRequest = (req: IncomingMessage): void => {
  if (req.headers.authorization) {
    req.headers.authorization = req.headers.authorization.replace(/Credential=[^/]+\//, 'Credential=S3RVER/');
  }
  if (req.url && /[?&]X-Amz-Credential=/i.test(req.url)) {
    req.url = req.url.replace(/([?&]X-Amz-Credential=)[^%/&]+/i, '$1S3RVER');
  }
};

// The loopback and origin checks live beside the other servers that need them (model servers).
export { isForeignOrigin, isLoopbackHost };

/** Why the edge will not answer this request at all, if it will not. */
const refusalOf = (req: IncomingMessage): string | undefined => {
  if (!isLoopbackHost(req.headers.host)) {
    return `the local cloud answers only requests addressed to 127.0.0.1 or localhost, not ${JSON.stringify(req.headers.host)}`;
  }
  if (isForeignOrigin(req.headers.origin)) {
    return `the local cloud refuses requests sent by web pages of other sites (Origin ${JSON.stringify(req.headers.origin)})`;
  }
  return undefined;
};

/** Reads and drops the request body, then answers: the client's connection stays usable for its retry. */
export const replyAfterBody = (
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
): void => {
  req.resume();
  req.once('end', () => {
    res.writeHead(status, headers);
    res.end(body);
  });
};

/** An S3 REST-XML error body (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). */
export const s3Error = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomUUID()}</RequestId></Error>`;

export const errorReply = (res: ServerResponse, status: number, message: string): void => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message }));
};

export interface Edge {
  url: string;
  /** Stops listening and drops kept-alive connections. */
  close(): Promise<void>;
}

export const startEdge = async (handlers: Record<Service, RequestHandler>, port: number): Promise<Edge> => {
  const server = createServer((req, res) => {
    // A request that makes a handler throw is answered, never the end of the process.
    let service: Service | undefined;
    const fail = (error: unknown) =>
      errorReply(res, error instanceof URIError ? 400 : 500, `local cloud ${service ?? 'edge'}: ${describeError(error)}`);
    try {
      const refusal = refusalOf(req);
      if (refusal) return replyAfterBody(req, res, 403, { 'content-type': 'application/json' }, JSON.stringify({ message: refusal }));
      service = serviceOf(req);
      if (service === 's3') asS3rverRequest(req);
      Promise.resolve(handlers[service](req, res)).catch(fail);
    } catch (error) {
      fail(error);
    }
  });
  // Many SDK clients keep connections alive; a burst opens many sockets at once.
  server.keepAliveTimeout = 65_000;
  server.maxRequestsPerSocket = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} on 127.0.0.1 is already in use (is another local cloud running?): stop it, or choose another with --port`,
            )
          : error,
      ),
    );
    // Loopback only: the local cloud has no authentication.
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
};
