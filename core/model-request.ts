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

/**
 * The model request JSON for an article's bytes, and its text; rejects what is not UTF-8 text
 * (RejectedArticleError with a reason for the ledger). The article is already in memory, bounded by
 * the size limits (core/documents/read-article.ts), so it is encoded in one pass, not streamed.
 */
export const encodeModelRequest = (
  bytes: Uint8Array,
  parameters: Record<string, unknown> = MODEL_PARAMETERS,
): { request: Buffer; text: string } => {
  if (bytes.length === 0) throw new RejectedArticleError('empty article: the object has no content');
  // UTF-16 byte-order marks: valid text, but not the UTF-8 the model request is built from.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new RejectedArticleError('UTF-16 text is not supported: save the article as UTF-8');
  }
  if (bytes.includes(0)) throw new RejectedArticleError('binary content (contains NUL bytes): not a text article');
  let text: string;
  try {
    // Drops a UTF-8 byte-order mark, as the WHATWG decoder does.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw asRejection(error);
  }
  if (!/\S/.test(text)) throw new RejectedArticleError('empty article: the text is only whitespace');
  if (!/\p{L}/u.test(text))
    throw new RejectedArticleError('no words to summarize: the text has no letters (only digits, punctuation or symbols)');
  const controlChars = text.match(CONTROL)?.length ?? 0;
  if (controlChars > text.length * MAX_CONTROL_SHARE) {
    throw new RejectedArticleError(`binary content: ${controlChars} control characters in ${text.length}; not a text article`);
  }
  // JSON.stringify of a string escapes quotes, backslashes, control and lone surrogate characters.
  return { request: Buffer.from(`{"inputs":${JSON.stringify(text)},"parameters":${JSON.stringify(parameters)}}`), text };
};

const asRejection = (error: unknown): Error => {
  // Checked by code, not class: TextDecoder's TypeError may come from another realm (Jest's vm).
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
    return new RejectedArticleError('not valid UTF-8 text: save the article as UTF-8 (binary files cannot be summarized)');
  }
  return error instanceof Error ? error : new Error(String(error));
};
