import { RejectedArticleError } from '../../core/errors';
import { encodeModelRequest, modelParameters } from '../../core/model-request';

describe('encodeModelRequest', () => {
  it('wraps the article in {"inputs", "parameters"} with JSON escaping, and gives the text it carries', () => {
    const text = 'He said "no" \\ then left.\n\tNew line — naïve café 日本 🙂';

    const { request, text: decoded } = encodeModelRequest(Buffer.from(text));

    expect(JSON.parse(request.toString())).toEqual({ inputs: text, parameters: { truncation: true } });
    expect(decoded).toBe(text);
  });

  it('sends a generation length in tokens beside truncation', () => {
    const { request } = encodeModelRequest(Buffer.from('Text.'), modelParameters({ min_length: 195, max_length: 325 }));

    expect(JSON.parse(request.toString()).parameters).toEqual({ truncation: true, min_length: 195, max_length: 325 });
    expect(modelParameters()).toEqual({ truncation: true });
  });

  it('drops a UTF-8 byte-order mark', () => {
    const { request, text } = encodeModelRequest(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Text.')]));

    expect(JSON.parse(request.toString()).inputs).toBe('Text.');
    expect(text).toBe('Text.');
  });

  it.each([
    ['nothing', Buffer.alloc(0), /^empty article: the object has no content$/],
    ['whitespace', Buffer.from('  \n\r\n '), /^empty article: the text is only whitespace$/],
    ['only a byte-order mark', Buffer.from([0xef, 0xbb, 0xbf]), /^empty article: the text is only whitespace$/],
    ['a NUL byte', Buffer.from('abc\u0000def'), /NUL bytes/],
    ['a truncated UTF-8 sequence', Buffer.from([0x61, 0xe6, 0x97]), /not valid UTF-8 text/],
    ['Latin-1 bytes', Buffer.from('na\xefve', 'latin1'), /not valid UTF-8 text/],
    ['a UTF-16 BOM', Buffer.from([0xfe, 0xff, 0x00, 0x61]), /UTF-16 text is not supported/],
    ['no letters at all', Buffer.from('12,345.67 -- 89 %% ### 2026-11-26\n'), /^no words to summarize/],
    ['mostly control characters', Buffer.from('\u0001\u0002\u0003\u0004text\u0005\u0006'), /control characters/],
  ])('rejects %s with a reason', (_case, bytes, reason) => {
    const encode = () => encodeModelRequest(bytes);

    expect(encode).toThrow(RejectedArticleError);
    expect(encode).toThrow(reason);
  });
});
