// The template a stack runs now, as the guards in this folder compare it with the one about to deploy.
const { GetTemplateCommand } = require('@aws-sdk/client-cloudformation');

/**
 * The deployed template ("Original": as submitted, before transforms), or undefined before the
 * stack's first deploy.
 * @param {{ send(command: unknown): Promise<any> }} cloudFormation
 * @param {string} stackName
 */
const deployedTemplate = async (cloudFormation, stackName) => {
  try {
    const { TemplateBody } = await cloudFormation.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }));
    return JSON.parse(TemplateBody ?? '{}');
  } catch (error) {
    if (/does not exist/.test(error?.message ?? '')) return undefined;
    throw error;
  }
};

module.exports = { deployedTemplate };
