import { Transform, type TransformCallback } from 'node:stream';
import { RejectedArticleError } from './errors';

/**
 * The Hugging Face inference toolkit accepts `application/json` `{"inputs", "parameters"}` and rejects
 * `text/plain` with HTTP 400 (sagemaker-huggingface-inference-toolkit decoder_encoder.py), so every
 * article is wrapped in this shape. `truncation` keeps inputs longer than the model's 1,024 tokens
 * from failing with "index out of range" (huggingface/transformers#4224).
 */
export const MODEL_CONTENT_TYPE = 'application/json';
export const MODEL_PARAMETERS = { truncation: true } as const;

/** Generation lengths in tokens, as the pipeline's `min_length`/`max_length` kwargs count them. */
export interface GenerationLength {
  min_length: number;
  max_length: number;
}

/**
 * The request's `parameters`: truncation always, and a length when the caller sets one (a part or a reduce
 * of a long article, see core/long-article/lengths.ts); without one the model's own defaults apply.
 */
export const modelParameters = (length?: GenerationLength): Record<string, unknown> =>
  length ? { ...MODEL_PARAMETERS, min_length: length.min_length, max_length: length.max_length } : MODEL_PARAMETERS;

/** Control characters other than tab, line feed, vertical tab, form feed and carriage return. */
// eslint-disable-next-line no-control-regex -- counting control characters is the point
const CONTROL = /[\u0001-\u0008\u000e-\u001f\u007f]/g;
const MAX_CONTROL_SHARE = 0.01;

export interface ArticleStats {
  bytes: number;
  chars: number;
}

/**
 * Streams article bytes into the model request JSON without holding the article in memory, and
 * rejects what is not UTF-8 text on the way (RejectedArticleError with a reason for the ledger).
 */
export class ModelRequestEncoder extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private started = false;
  private sawText = false;
  private sawLetter = false;
  private controlChars = 0;
  private readonly pieces: string[] | undefined;
  readonly stats: ArticleStats = { bytes: 0, chars: 0 };

  /** `keepText`: also keep the decoded article, for a caller that needs the text itself (see `text`). */
  constructor(
    private readonly parameters: Record<string, unknown> = MODEL_PARAMETERS,
    { keepText = false }: { keepText?: boolean } = {},
  ) {
    super({ readableObjectMode: false });
    this.pieces = keepText ? [] : undefined;
  }

  /** The decoded article once the stream has ended (with `keepText`; otherwise undefined). */
  get text(): string | undefined {
    return this.pieces?.join('');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      if (!this.started) this.checkStart(chunk);
      if (chunk.includes(0)) throw new RejectedArticleError('binary content (contains NUL bytes): not a text article');
      this.stats.bytes += chunk.length;
      this.emitText(this.decoder.decode(chunk, { stream: true }));
      done();
    } catch (error) {
      done(asRejection(error));
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (!this.started) throw new RejectedArticleError('empty article: the object has no content');
      this.emitText(this.decoder.decode());
      if (!this.sawText) throw new RejectedArticleError('empty article: the text is only whitespace');
      if (!this.sawLetter)
        throw new RejectedArticleError('no words to summarize: the text has no letters (only digits, punctuation or symbols)');
      if (this.controlChars > this.stats.chars * MAX_CONTROL_SHARE) {
        throw new RejectedArticleError(
          `binary content: ${this.controlChars} control characters in ${this.stats.chars}; not a text article`,
        );
      }
      this.push(`","parameters":${JSON.stringify(this.parameters)}}`);
      done();
    } catch (error) {
      done(asRejection(error));
    }
  }

  private checkStart(chunk: Buffer): void {
    if (chunk.length === 0) return;
    // UTF-16 byte-order marks: valid text, but not the UTF-8 the model request is built from.
    if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
      throw new RejectedArticleError('UTF-16 text is not supported: save the article as UTF-8');
    }
    this.started = true;
    this.push('{"inputs":"');
  }

  private emitText(text: string): void {
    if (text.length === 0) return;
    this.stats.chars += text.length;
    this.controlChars += text.match(CONTROL)?.length ?? 0;
    if (!this.sawText && /\S/.test(text)) this.sawText = true;
    if (!this.sawLetter && /\p{L}/u.test(text)) this.sawLetter = true;
    this.pieces?.push(text);
    // JSON.stringify of a string escapes quotes, backslashes, control and lone surrogate characters.
    this.push(JSON.stringify(text).slice(1, -1));
  }
}

const asRejection = (error: unknown): Error => {
  if (error instanceof RejectedArticleError) return error;
  // Checked by code, not class: TextDecoder's TypeError may come from another realm (Jest's vm).
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
    return new RejectedArticleError('not valid UTF-8 text: save the article as UTF-8 (binary files cannot be summarized)');
  }
  return error instanceof Error ? error : new Error(String(error));
};
