/**
 * Articles are documents from anywhere, and the edge serves them on its own origin
 * (`http://127.0.0.1:<port>`), where the dashboard runs and every service answers requests from the
 * same origin. A page of any site can send the browser there (a top-level navigation carries no
 * Origin), so an uploaded `.html` article, or a plain-text one served as HTML through a
 * `response-content-type` override, ran script as that origin: it could write objects and read or
 * delete the ledger. Four walls keep what S3 serves from becoming an active page:
 *
 * 1. Every S3 response is inert in a browser: `X-Content-Type-Options: nosniff`, and
 *    `Content-Security-Policy: sandbox; default-src 'none'`, under which a document has an opaque
 *    origin, runs no script, submits no form and loads nothing
 *    (https://www.w3.org/TR/CSP3/#directive-sandbox). SDKs and the AWS CLI ignore both headers.
 * 2. `response-*` overrides need a signature: S3 honours them only on signed requests
 *    (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html). The local cloud checks no
 *    signature, so a presigned URL is a link anyone can make up: overrides are honoured only on a
 *    request signed in its Authorization header, which a browser sends only from a script (and a
 *    cross-site script needs a preflight the edge refuses, while an object's page runs none). Otherwise
 *    the answer is S3's to an anonymous request, 400 InvalidRequest.
 * 3. A request a page of another site made the browser send (`Sec-Fetch-Site: cross-site`,
 *    https://www.w3.org/TR/fetch-metadata/) is refused: nothing on the web links to the local S3, and
 *    browsers send this header on navigations too, which carry no Origin.
 * 4. A request that changes S3 must be SigV4-signed, in its Authorization header or as a presigned URL
 *    (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html), with any
 *    credentials as before: SDKs and the CLI always sign; a form or a link never does.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyRefusal } from './key-guard';

export const INERT_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'",
};

/** Adds the inert headers to whatever `res` answers (errors too), when its headers are written. */
export const inertResponses = (res: ServerResponse): void => {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!this.headersSent) for (const [name, value] of Object.entries(INERT_HEADERS)) this.setHeader(name, value);
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
};

const SIGNED_HEADER = /^AWS4-HMAC-SHA256 Credential=[^,\s]+\/aws4_request,\s*SignedHeaders=[^,\s]+,\s*Signature=[0-9a-f]+$/i;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

const isHeaderSigned = (req: IncomingMessage): boolean => SIGNED_HEADER.test(req.headers.authorization ?? '');

const isPresigned = (query: URLSearchParams): boolean =>
  query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256' && query.has('X-Amz-Credential') && query.has('X-Amz-Signature');

/** Why an S3 request is refused as one a web page could have made the browser send, if it is. */
export const browserRefusal = (req: IncomingMessage): KeyRefusal | undefined => {
  if (String(req.headers['sec-fetch-site'] ?? '').toLowerCase() === 'cross-site') {
    return {
      status: 403,
      code: 'AccessDenied',
      message: 'The local cloud refuses S3 requests that a page of another site makes a browser send (Sec-Fetch-Site: cross-site).',
    };
  }
  const url = req.url ?? '/';
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  const method = req.method ?? 'GET';
  if (!READS.has(method) && !isHeaderSigned(req) && !isPresigned(query)) {
    return {
      status: 403,
      code: 'AccessDenied',
      message:
        'Access Denied. The local cloud accepts any credentials, but a request that changes S3 must be signed with SigV4 ' +
        '(an SDK, the AWS CLI or a presigned URL): a web page cannot make a browser sign one.',
    };
  }
  if ((method === 'GET' || method === 'HEAD') && !isHeaderSigned(req) && [...query.keys()].some((k) => /^response-/i.test(k))) {
    return {
      status: 400,
      code: 'InvalidRequest',
      message:
        'Request specific response headers cannot be used for anonymous GET requests. The local cloud checks no signature, ' +
        'so it honours them only on requests signed in the Authorization header, not in a presigned URL.',
    };
  }
  return undefined;
};
