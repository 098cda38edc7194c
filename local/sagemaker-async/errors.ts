/**
 * A modelled SageMaker Runtime error. http.ts writes it the way every SDK parses it: the status,
 * `x-amzn-ErrorType: <Name>` and `{"__type","message","Message"}` (JS v3 reads the header, botocore
 * reads `__type`; the errors are listed in https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html).
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

export const validationError = (message: string): SageMakerRuntimeError => new SageMakerRuntimeError('ValidationError', 400, message);

/**
 * AWS's wording for input constraint violations (Coral validation), e.g. "1 validation error
 * detected: Value '30' at 'requestTTLSeconds' failed to satisfy constraint: Member must have value
 * greater than or equal to 60". Several violations are joined with "; ".
 */
export const constraintViolations = (violations: string[]): SageMakerRuntimeError =>
  validationError(`${violations.length} validation error${violations.length === 1 ? '' : 's'} detected: ${violations.join('; ')}`);
