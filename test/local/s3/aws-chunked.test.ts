import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsChunkedDecoder, decodedS3Request, MAX_LINE_BYTES } from '../../../local/s3/aws-chunked';

describe('the aws-chunked decoder', () => {
  it('refuses a size line longer than any aws-chunked frame, without buffering it all', async () => {
    const decoder = new AwsChunkedDecoder();

    const decoding = pipeline(
      Readable.from([Buffer.alloc(MAX_LINE_BYTES, 'f'), Buffer.alloc(MAX_LINE_BYTES, 'f')]),
      decoder,
      new PassThrough().resume(),
    );

    await expect(decoding).rejects.toThrow(`a line longer than ${MAX_LINE_BYTES} bytes`);
  });

  it('releases the decoded body when the client goes away mid-upload', () => {
    const req = Object.assign(new PassThrough(), {
      headers: { 'content-encoding': 'aws-chunked' },
      complete: false,
      socket: undefined,
      setTimeout: () => undefined,
    });
    const res = { headersSent: false, writeHead: jest.fn(), end: jest.fn() };
    const body = decodedS3Request(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    req.write('5\r\nhel');

    req.emit('close');

    expect(body.destroyed).toBe(true);
    expect(res.writeHead).not.toHaveBeenCalled();
  });
});
