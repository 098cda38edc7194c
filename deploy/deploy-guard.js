// A Serverless Framework plugin class that runs one check before `serverless deploy` touches
// CloudFormation, and stops the deploy with the check's message when it refuses. Each guard in this
// folder passes its own `refusalFor`.

/**
 * @param {(input: { cloudFormation: { send(command: unknown): Promise<any> }, stackName: string, newTemplate: unknown, stage: string, region: string }) => Promise<string | undefined>} refusalFor
 */
const deployGuard = (refusalFor) =>
  class DeployGuard {
    constructor(serverless, options) {
      const provider = serverless.getProvider('aws');
      this.hooks = {
        'before:deploy:deploy': async () => {
          const refusal = await refusalFor({
            cloudFormation: await provider.getCloudFormationClient(),
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
