/**
 * Reads a request body the edge itself needs whole (the fault settings, a DynamoDB request), never
 * more than a cap: a Content-Length over the cap is refused before a byte is read, and a body that
 * grows past it (chunked, or longer than it said) as soon as it does. The refusal closes the
 * connection (`Connection: close`), so the rest of the body is never read.
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

/** Answers 413 and closes the connection: what is still on its way is not read. */
export const replyTooLarge = (res: ServerResponse, contentType: string, body: string): void => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(413, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
};
