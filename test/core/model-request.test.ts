import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RejectedArticleError } from '../../core/errors';
import { ModelRequestEncoder, modelParameters } from '../../core/model-request';

/** Runs chunks through the encoder and returns the request JSON text. */
const encode = async (...chunks: Buffer[]): Promise<string> => {
  const parts: string[] = [];
  const encoder = new ModelRequestEncoder();
  encoder.on('data', (d: Buffer | string) => parts.push(d.toString()));
  await pipeline(Readable.from(chunks), encoder);
  return parts.join('');
};

describe('ModelRequestEncoder', () => {
  it('wraps the article in {"inputs", "parameters"} with JSON escaping', async () => {
    const text = 'He said "no" \\ then left.\n\tNew line — naïve café 日本 🙂';

    const json = JSON.parse(await encode(Buffer.from(text)));

    expect(json).toEqual({ inputs: text, parameters: { truncation: true } });
  });

  it('sends a generation length in tokens beside truncation', async () => {
    // Prepare
    const parts: string[] = [];
    const encoder = new ModelRequestEncoder(modelParameters({ min_length: 195, max_length: 325 }));
    encoder.on('data', (d: Buffer | string) => parts.push(d.toString()));

    // Act
    await pipeline(Readable.from([Buffer.from('Text.')]), encoder);

    // Assess
    expect(JSON.parse(parts.join('')).parameters).toEqual({ truncation: true, min_length: 195, max_length: 325 });
    expect(modelParameters()).toEqual({ truncation: true });
  });

  it('keeps the decoded text when asked, the same text the request carries, and nothing otherwise', async () => {
    // Prepare: one byte a chunk, so characters are split across chunks.
    const text = 'Quotes " and \\ kept; naïve 日本 🙂\nSecond line.';
    const chunks = [...Buffer.from(text)].map((byte) => Buffer.from([byte]));
    const keeping = new ModelRequestEncoder(undefined, { keepText: true });
    const request: string[] = [];
    keeping.on('data', (d: Buffer | string) => request.push(d.toString()));

    // Act
    await pipeline(Readable.from(chunks), keeping);

    // Assess
    expect(keeping.text).toBe(text);
    expect(JSON.parse(request.join('')).inputs).toBe(text);
    expect(new ModelRequestEncoder().text).toBeUndefined();
  });

  it('keeps multi-byte characters that are split across chunks', async () => {
    const bytes = Buffer.from('a🙂b日c');
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));

    expect(JSON.parse(await encode(...chunks)).inputs).toBe('a🙂b日c');
  });

  it('drops a UTF-8 byte-order mark', async () => {
    const json = JSON.parse(await encode(Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Text.')));

    expect(json.inputs).toBe('Text.');
  });

  it.each([
    ['nothing', [], /^empty article: the object has no content$/],
    ['whitespace', [Buffer.from('  \n\r\n ')], /^empty article: the text is only whitespace$/],
    ['a NUL byte', [Buffer.from('abc\u0000def')], /NUL bytes/],
    ['a truncated UTF-8 sequence', [Buffer.from([0x61, 0xe6, 0x97])], /not valid UTF-8 text/],
    ['Latin-1 bytes', [Buffer.from('na\xefve', 'latin1')], /not valid UTF-8 text/],
    ['a UTF-16 BOM', [Buffer.from([0xfe, 0xff, 0x00, 0x61])], /UTF-16 text is not supported/],
    ['no letters at all', [Buffer.from('12,345.67 -- 89 %% ### 2026-11-26\n')], /^no words to summarize/],
    ['mostly control characters', [Buffer.from('\u0001\u0002\u0003\u0004text\u0005\u0006')], /control characters/],
  ])('rejects %s with a reason', async (_case, chunks, reason) => {
    const result = encode(...(chunks as Buffer[]));

    await expect(result).rejects.toBeInstanceOf(RejectedArticleError);
    await expect(result).rejects.toThrow(reason as RegExp);
  });

  it('counts the bytes and characters it streamed', async () => {
    const encoder = new ModelRequestEncoder();
    encoder.resume();

    await pipeline(Readable.from([Buffer.from('héllo')]), encoder);

    expect(encoder.stats).toEqual({ bytes: 6, chars: 5 });
  });
});
