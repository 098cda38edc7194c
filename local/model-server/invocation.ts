/**
 * The wire format of the Hugging Face inference toolkit behind Multi Model Server (MMS), as SageMaker's
 * `POST /invocations` sees it. Sources: aws/sagemaker-huggingface-inference-toolkit `handler_service.py`
 * (`handle`, `predict`) and `decoder_encoder.py`; awslabs/multi-model-server `NettyUtils.sendError`,
 * `wlm/Job.sendError`, `http/ErrorResponse`. Only parsing and formatting live here; server.ts decides.
 */

import { z } from 'zod';
import type { SummarizeOptions } from './summarizer';

export const JSON_TYPE = 'application/json';

export interface Invocation {
  /** One text, or several when the request sent a list; either way the reply has one result per text. */
  inputs: string[];
  parameters: SummarizeOptions;
}

/** A reply in MMS's error shape: `{"code", "type", "message"}`. */
export class ModelServerError extends Error {
  override readonly name = 'ModelServerError';
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The toolkit wraps every exception from decoding, the pipeline or encoding in
 * `PredictionException(str(e), 400)`; MMS then answers with that code and type `InternalServerException`
 * (Job.sendError wraps the message in one), so a client error is a 400 with that odd type name.
 */
export const predictionError = (message: string, cause?: unknown): ModelServerError =>
  new ModelServerError(400, 'InternalServerException', message, { cause });

/**
 * sagemaker-inference-toolkit `errors.UnsupportedFormatError`, raised for a content type with no decoder
 * or encoder; the text is the toolkit's, "to to" included.
 */
export const unsupportedFormat = (contentType: string | undefined): ModelServerError =>
  predictionError(
    `Content type ${contentType ?? 'None'} is not supported by this framework.\n\n` +
      'Please implement input_fn to to deserialize the request data or an output_fn to\n' +
      'serialize the response. For more information, see the SageMaker Python SDK README.',
  );

/**
 * The toolkit looks the header up as a whole string in its decoder map, so `application/json` passes and
 * `application/json; charset=utf-8` or `text/plain` fail (content types other than JSON, such as CSV and
 * images, are real toolkit features this server does not offer).
 */
export const checkContentType = (contentType: string | undefined): void => {
  if (contentType?.trim().toLowerCase() !== JSON_TYPE) throw unsupportedFormat(contentType);
};

/** A missing Accept or the any-type wildcard means JSON (handler_service.py); otherwise exactly `application/json`. */
export const responseType = (accept: string | undefined): string => {
  const value = accept?.trim().toLowerCase() ?? '';
  if (value === '' || value === '*/*' || value === JSON_TYPE) return JSON_TYPE;
  throw unsupportedFormat(accept);
};

const text = z.string().refine((s) => s.trim().length > 0, 'must not be empty');
const request = z.object(
  {
    inputs: z.union([text, z.array(text).min(1)], {
      error: 'must be a non-empty string or a non-empty list of non-empty strings',
    }),
    // Unknown keys are generation settings (num_beams, do_sample, truncation...): accepted and ignored.
    parameters: z
      .object({ max_length: z.number().int().positive().optional(), min_length: z.number().int().nonnegative().optional() })
      .loose()
      .optional(),
  },
  { error: 'must be a JSON object with "inputs"' },
);

/**
 * `{"inputs": "<text>", "parameters": {...}}`, `{"inputs": ["a", "b"]}`, or a bare JSON string. The last is
 * a convenience: the real toolkit calls `data.pop("inputs")` on it and fails with a 400.
 */
export const parseInvocation = (raw: Buffer): Invocation => {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw predictionError(`request body is not valid JSON: ${(error as Error).message}`, error);
  }
  if (typeof json === 'string') json = { inputs: json };
  const parsed = request.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'body';
    throw predictionError(`invalid request: ${where} ${issue?.message ?? 'is invalid'}`);
  }
  const { inputs, parameters } = parsed.data;
  return {
    inputs: Array.isArray(inputs) ? inputs : [inputs],
    parameters: { max_length: parameters?.max_length, min_length: parameters?.min_length },
  };
};

/** `[{"summary_text": ...}]`, compact and with non-ASCII kept, like the toolkit's `encode_json`. */
export const formatSummaries = (summaries: string[]): string => JSON.stringify(summaries.map((summary_text) => ({ summary_text })));

/** MMS pretty-prints errors with Gson (two-space indent) and a final newline. */
export const formatError = (error: ModelServerError): string =>
  `${JSON.stringify({ code: error.status, type: error.type, message: error.message }, null, 2)}\n`;
