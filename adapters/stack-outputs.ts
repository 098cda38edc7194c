import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';

/**
 * A deployed stack's outputs by key (resources/outputs.yml), from DescribeStacks
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html). A stack
 * that does not exist is CloudFormation's ValidationError, rethrown as it comes.
 */
export class StackOutputs {
  constructor(private readonly cloudFormation: CloudFormationClient) {}

  async of(stackName: string): Promise<Record<string, string>> {
    const { Stacks } = await this.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    return Object.fromEntries(
      (Stacks?.[0]?.Outputs ?? []).flatMap((o) => (o.OutputKey && o.OutputValue !== undefined ? [[o.OutputKey, o.OutputValue]] : [])),
    );
  }
}
