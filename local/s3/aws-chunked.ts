/**
 * SDK v3 clients with default checksum settings stream uploads as `Content-Encoding: aws-chunked`
 * (chunks framed as `<hex size>[;chunk-signature=…]\r\n<data>\r\n`, ending `0\r\n<trailers>\r\n\r\n`;
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html). s3rver stores the framing
 * as if it were the object (local/README.md, Traps), so the edge removes it first:
 * objects are stored byte-exact whatever the client's checksum settings.
 */

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { s3Error } from '../edge/router';
import { requestWithBody } from './xml-guard';
import { PassThrough, Transform, type TransformCallback } from 'node:stream';

export const isAwsChunked = (headers: IncomingHttpHeaders): boolean =>
  /(^|,)\s*aws-chunked\s*(,|$)/i.test(String(headers['content-encoding'] ?? '')) ||
  String(headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');

type State = 'size' | 'data' | 'data-end' | 'trailers';

/**
 * A size line is a hex size and a 64-hex-digit signature (about 90 bytes); a trailer line a checksum
 * header. Anything longer is not aws-chunked, and is refused before it fills memory.
 */
export const MAX_LINE_BYTES = 4096;

export class AwsChunkedDecoder extends Transform {
  private state: State = 'size';
  private line = '';
  private remaining = 0;
  private pendingCrLf = 2;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let at = 0;
    try {
      while (at < chunk.length) {
        if (this.state === 'size' || this.state === 'trailers') {
          const newline = chunk.indexOf(0x0a, at);
          const end = newline === -1 ? chunk.length : newline + 1;
          this.line += chunk.subarray(at, end).toString('latin1');
          at = end;
          if (this.line.length > MAX_LINE_BYTES) throw new Error(`malformed aws-chunked body: a line longer than ${MAX_LINE_BYTES} bytes`);
          if (newline === -1) break;
          const line = this.line.replace(/\r?\n$/, '');
          this.line = '';
          if (this.state === 'trailers') continue; // trailing checksums: not part of the object
          const size = Number.parseInt(line.split(';')[0] ?? '', 16);
          if (!Number.isFinite(size) || size < 0) throw new Error(`malformed aws-chunked size line ${JSON.stringify(line.slice(0, 80))}`);
          if (size === 0) this.state = 'trailers';
          else {
            this.remaining = size;
            this.state = 'data';
          }
        } else if (this.state === 'data') {
          const take = Math.min(this.remaining, chunk.length - at);
          this.push(chunk.subarray(at, at + take));
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) {
            this.state = 'data-end';
            this.pendingCrLf = 2;
          }
        } else {
          // The \r\n after each chunk's data.
          const take = Math.min(this.pendingCrLf, chunk.length - at);
          at += take;
          this.pendingCrLf -= take;
          if (this.pendingCrLf === 0) this.state = 'size';
        }
      }
      done();
    } catch (error) {
      done(error as Error);
    }
  }
}

/**
 * The request as s3rver should see it: decoded body, plain headers. A malformed body is answered
 * here with 400 (s3rver would leave the error unhandled), and a client that goes away releases the
 * decoder and the body at once.
 */
export const decodedS3Request = (req: IncomingMessage, res: ServerResponse): IncomingMessage => {
  const headers: IncomingHttpHeaders = { ...req.headers };
  const encodings = String(headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e && e.toLowerCase() !== 'aws-chunked');
  if (encodings.length > 0) headers['content-encoding'] = encodings.join(', ');
  else delete headers['content-encoding'];
  const decodedLength = headers['x-amz-decoded-content-length'];
  if (decodedLength !== undefined) headers['content-length'] = String(decodedLength);
  delete headers['transfer-encoding'];
  delete headers['x-amz-decoded-content-length'];
  delete headers['x-amz-trailer'];
  headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';

  const body = new PassThrough();
  const decoder = new AwsChunkedDecoder();
  // s3rver pipes the body without an error listener: it only ever sees the body end or be destroyed.
  body.on('error', () => undefined);
  decoder.on('error', (error) => {
    if (!res.headersSent) {
      res.writeHead(400, { 'content-type': 'application/xml', connection: 'close' });
      res.end(s3Error('IncompleteBody', error.message));
    }
    req.unpipe(decoder);
    req.resume();
    body.destroy();
  });
  req.on('close', () => {
    if (!req.complete) {
      decoder.destroy();
      body.destroy();
    }
  });
  req.pipe(decoder).pipe(body);
  // Koa and s3rver read the request's fields and stream its body: give them both.
  return requestWithBody(req, body, headers);
};
