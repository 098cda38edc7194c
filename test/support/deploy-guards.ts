import { CloudFormationServiceException, type CloudFormationClient } from '@aws-sdk/client-cloudformation';

/** What each Serverless plugin in deploy/ exports (deploy/deploy-guard.js): the plugin, and its check alone. */
export interface DeployGuardModule {
  new (serverless: unknown, options: Record<string, string>): { hooks: Record<string, () => Promise<void>> };
  refusalFor(input: {
    cloudFormation: CloudFormationClient;
    stackName: string;
    newTemplate: unknown;
    stage: string;
    region: string;
  }): Promise<string | undefined>;
}

/** A plugin of deploy/, loaded as Serverless loads it (CommonJS, by path). */
export const loadDeployGuard = (file: string): DeployGuardModule =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(`../../deploy/${file}`) as DeployGuardModule;

/** What GetTemplate answers for a stack that was never deployed. */
export const stackDoesNotExist = (stackName = 'research-summarizer-qa'): CloudFormationServiceException =>
  new CloudFormationServiceException({
    name: 'ValidationError',
    $fault: 'client',
    $metadata: {},
    message: `Stack with id ${stackName} does not exist`,
  });
