import { CloudFormationClient, CloudFormationServiceException } from '@aws-sdk/client-cloudformation';

/** What each Serverless plugin in deploy/ exports (deploy/deploy-guard.js): the plugin, and its check alone. */
export interface DeployGuardModule {
  new (serverless: unknown, options: Record<string, string>): { hooks: Record<string, () => Promise<void>> };
  refusalFor(input: GuardInput): Promise<string | undefined>;
}

/** What each check gets (deploy/deploy-guard.js): `client` builds other AWS clients, as the framework would. */
export interface GuardInput {
  cloudFormation: CloudFormationClient;
  client?: (ClientClass: new (config: object) => unknown) => Promise<unknown>;
  stackName: string;
  newTemplate: unknown;
  stage: string;
  region: string;
}

/** `client` for a guard under test: a plain client of the class asked for, which aws-sdk-client-mock answers. */
export const testClients = async (ClientClass: new (config: object) => unknown): Promise<unknown> =>
  new ClientClass({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

/** The framework's side of a plugin: its CloudFormation client, stack name, compiled template and client config. */
export const fakeServerless = (compiledCloudFormationTemplate: unknown) => {
  class ServerlessError extends Error {}
  const provider = {
    getCloudFormationClient: async () => new CloudFormationClient({ region: 'eu-west-1' }),
    getAwsSdkV3Config: async () => ({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    naming: { getStackName: () => 'research-summarizer-qa' },
    getStage: () => 'qa',
    getRegion: () => 'eu-west-1',
  };
  const serverless = {
    getProvider: () => provider,
    service: { provider: { compiledCloudFormationTemplate } },
    classes: { Error: ServerlessError },
  };
  return { serverless, ServerlessError };
};

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
