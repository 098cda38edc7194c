/** An event that does not have the documented shape; thrown so the trigger retries, then dead-letters. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An article that cannot be summarized; becomes a REJECTED row with this message as the reason. */
export class RejectedArticleError extends Error {
  override readonly name = 'RejectedArticleError';
  /** What the upload was read as, when its format was known before it was refused (core/documents). */
  readonly format?: string;
  constructor(message: string, options?: { cause?: unknown; format?: string }) {
    super(message, options);
    if (options?.format) this.format = options.format;
  }
}

/** Configuration that is missing or invalid; thrown at cold start. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * One line for an error wherever one is printed or recorded (CLI, the local cloud's edge and logs,
 * ledger reasons): the message first, then the error's name when it says more than "Error"
 * (ThrottlingException, URIError), then what caused it, the same way, a few levels deep.
 */
export const describeError = (error: unknown, depth = 3): string => {
  if (!(error instanceof Error)) return String(error);
  const name = error.name && error.name !== 'Error' && !error.message.startsWith(error.name) ? ` (${error.name})` : '';
  const cause = error.cause !== undefined && depth > 1 ? `; caused by ${describeError(error.cause, depth - 1)}` : '';
  return `${error.message}${name}${cause}`;
};
