/**
 * Reads a request body the edge itself needs whole (the fault settings, a DynamoDB request), never
 * more than a cap: a Content-Length over the cap is refused before a byte is read, and a body that
 * grows past it (chunked, or longer than it said) as soon as it does. The refusal closes the
 * connection (`Connection: close`), so the rest of the body is never read (beyond LINGER_BYTES,
 * dropped, so the client gets to read the refusal).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';

  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
  }
}

/** The client went away before its body ended. */
export class BodyAbortedError extends Error {
  override readonly name = 'BodyAbortedError';
}

export const readBodyUpTo = (req: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    const stop = (error: Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) stop(new BodyTooLargeError(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      req.off('close', onClose);
      resolve(Buffer.concat(chunks, bytes));
    };
    const onClose = () => stop(new BodyAbortedError('the client closed the connection before the request body ended'));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
  });

/**
 * Bytes read and dropped after a 413, before the connection is closed. Closing a connection while the
 * client is still sending makes the close a reset, which can discard the answer before the client
 * reads it; so the answer is sent at once, and the connection ends when the client stops sending or
 * this much more has arrived (dropped as it comes: nothing is kept).
 */
export const LINGER_BYTES = 1024 * 1024;

/** Answers 413 at once and closes the connection once the client has stopped sending (or LINGER_BYTES later). */
export const replyTooLarge = (req: IncomingMessage, res: ServerResponse, contentType: string, body: string): void => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(413, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.write(body);
  let dropped = 0;
  const finish = () => {
    req.off('data', drop);
    req.pause();
    res.end();
  };
  const drop = (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) finish();
  };
  req.on('data', drop);
  req.once('end', finish);
  req.once('close', finish);
  req.resume();
};
