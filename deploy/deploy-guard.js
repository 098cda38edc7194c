// A Serverless Framework plugin class that runs one check before `serverless deploy` touches
// CloudFormation, and stops the deploy with the check's message when it refuses. Each guard in this
// folder passes its own `refusalFor`.

/**
 * @typedef {{ send(command: unknown): Promise<any> }} AwsClient
 * @typedef {{
 *   cloudFormation: AwsClient,
 *   client: (ClientClass: new (config: object) => AwsClient) => Promise<AwsClient>,
 *   stackName: string, newTemplate: any, stage: string, region: string,
 * }} GuardInput
 * `client` builds any other AWS SDK v3 client with the framework's own credentials and region.
 */

/** @param {(input: GuardInput) => Promise<string | undefined>} refusalFor */
const deployGuard = (refusalFor) =>
  class DeployGuard {
    constructor(serverless, options) {
      const provider = serverless.getProvider('aws');
      this.hooks = {
        'before:deploy:deploy': async () => {
          const refusal = await refusalFor({
            cloudFormation: await provider.getCloudFormationClient(),
            client: async (ClientClass) => new ClientClass(await provider.getAwsSdkV3Config()),
            stackName: provider.naming.getStackName(),
            newTemplate: serverless.service.provider.compiledCloudFormationTemplate,
            stage: options.stage ?? provider.getStage(),
            region: options.region ?? provider.getRegion(),
          });
          if (refusal) throw new serverless.classes.Error(refusal);
        },
      };
    }
  };

module.exports = { deployGuard };
