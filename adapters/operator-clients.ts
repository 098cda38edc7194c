import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { ClientBase } from './clients';

/**
 * The clients only the operator's commands use against a deployed stage (`--aws`): the stack's outputs,
 * the functions' configuration, the endpoint's metrics and its instance counts (SageMaker's control plane). Kept apart from clients.ts so
 * the Lambda functions never load them. Built once per command run.
 */
export interface OperatorClients {
  cloudFormation: CloudFormationClient;
  lambda: LambdaClient;
  cloudWatch: CloudWatchClient;
  sagemaker: SageMakerClient;
}

export const makeOperatorClients = (base: ClientBase = {}): OperatorClients => ({
  cloudFormation: new CloudFormationClient(base),
  lambda: new LambdaClient(base),
  cloudWatch: new CloudWatchClient(base),
  sagemaker: new SageMakerClient(base),
});
