import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/**
 * A deployed function's environment variables, from GetFunctionConfiguration
 * (https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html): the commands that
 * act as a function does (retry, reconcile, status) read its settings where the function reads them.
 */
export class FunctionEnvironment {
  constructor(private readonly lambda: LambdaClient) {}

  async of(functionName: string): Promise<Record<string, string>> {
    const config = await this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    return config.Environment?.Variables ?? {};
  }
}
