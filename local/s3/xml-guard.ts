/**
 * s3rver 3.7.1 parses S3's XML request bodies (DeleteObjects, CompleteMultipartUpload, bucket and
 * object configuration) with fast-xml-parser 3.21.1, which has known advisories (prototype pollution
 * through a tag or attribute name, GHSA-6w63-h3fj-q4vw; entity handling in a DOCTYPE,
 * GHSA-x3cc-x39p-42qx), and reads the body into one string whatever its size. The edge reads these
 * bodies first, up to a bound, and refuses a DOCTYPE or ENTITY declaration and the names that reach
 * an object's prototype: none of them is in any XML body S3 documents
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { s3Error } from '../edge/router';

export const MAX_XML_BODY_BYTES = 4 * 1024 * 1024;

/** Query subresources whose PUT or POST carries an XML document. */
const XML_SUBRESOURCES = new Set([
  'delete',
  'cors',
  'website',
  'tagging',
  'lifecycle',
  'policy',
  'acl',
  'versioning',
  'logging',
  'notification',
  'replication',
  'requestPayment',
  'encryption',
  'object-lock',
  'legal-hold',
  'retention',
  'publicAccessBlock',
  'accelerate',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'ownershipControls',
  'restore',
  'select',
]);

export const carriesXml = (method: string | undefined, url: string): boolean => {
  if (method !== 'PUT' && method !== 'POST') return false;
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  if (method === 'POST' && query.has('uploadId')) return true; // CompleteMultipartUpload
  return [...query.keys()].some((name) => XML_SUBRESOURCES.has(name));
};

const HOSTILE_XML = /<!\s*(DOCTYPE|ENTITY)|<\/?\s*(__proto__|constructor|prototype)[\s/>]|\s(__proto__|constructor|prototype)\s*=/i;

/** Why this XML body is refused, if it is. */
export const xmlBodyRefusal = (body: string): string | undefined =>
  HOSTILE_XML.test(body) ? 'The XML you provided was not well-formed or did not validate against our published schema.' : undefined;

/** The request with its body replaced by `body`, as Koa and s3rver read a request. */
export const requestWithBody = (req: IncomingMessage, body: PassThrough, headers = req.headers): IncomingMessage =>
  Object.assign(body, {
    headers,
    rawHeaders: Object.entries(headers).flatMap(([k, v]) => [k, String(v)]),
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
    connection: req.socket,
    complete: false,
    aborted: false,
    trailers: {},
    rawTrailers: [],
    setTimeout: (ms: number, cb?: () => void) => req.setTimeout(ms, cb),
  }) as unknown as IncomingMessage;

/**
 * Reads an XML request body and hands s3rver a copy of it, or answers the refusal itself: resolves
 * to the request s3rver should see, or undefined when it has answered.
 */
export const guardXmlBody = async (req: IncomingMessage, res: ServerResponse): Promise<IncomingMessage | undefined> => {
  const chunks: Buffer[] = [];
  let bytes = 0;
  // Read to the end (dropping what is over the bound), so the answer reaches a client still sending.
  await new Promise<void>((resolve, reject) => {
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_XML_BODY_BYTES) chunks.push(chunk);
    });
    req.once('end', () => resolve());
    req.once('error', reject);
  });
  if (bytes > MAX_XML_BODY_BYTES) {
    res.writeHead(400, { 'content-type': 'application/xml' });
    res.end(s3Error('MaxMessageLengthExceeded', `Your request was too big: XML bodies are at most ${MAX_XML_BODY_BYTES} bytes here.`));
    return undefined;
  }
  const body = Buffer.concat(chunks, bytes);
  const refusal = xmlBodyRefusal(body.toString('utf-8'));
  if (refusal) {
    res.writeHead(400, { 'content-type': 'application/xml' });
    res.end(s3Error('MalformedXML', refusal));
    return undefined;
  }
  const copy = new PassThrough();
  copy.end(body);
  return requestWithBody(req, copy);
};
