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
}

/** Configuration that is missing or invalid; thrown at cold start. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
