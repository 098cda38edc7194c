/**
 * A modelled SageMaker Runtime error. http.ts writes it the way every SDK parses it: the status,
 * `x-amzn-ErrorType: <Name>` and `{"__type","message","Message"}` (shared/reference/sagemaker-async.md
 * §1 "Errors": JS v3 reads the header, botocore reads `__type`).
 */
export class SageMakerRuntimeError extends Error {
  constructor(
    readonly errorType: 'ValidationError' | 'ServiceUnavailable' | 'InternalFailure' | 'UnknownOperationException',
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = errorType;
  }
}

export const validationError = (message: string): SageMakerRuntimeError =>
  new SageMakerRuntimeError('ValidationError', 400, message);

/**
 * AWS's wording for input constraint violations (Coral validation), e.g. "1 validation error
 * detected: Value '30' at 'requestTTLSeconds' failed to satisfy constraint: Member must have value
 * greater than or equal to 60". Several violations are joined with "; ".
 */
export const constraintViolations = (violations: string[]): SageMakerRuntimeError =>
  validationError(
    `${violations.length} validation error${violations.length === 1 ? '' : 's'} detected: ${violations.join('; ')}`,
  );
