// A Serverless Framework plugin that stops `serverless deploy` before CloudFormation is touched when
// the deploy would change the instance type of an endpoint variant registered with Application Auto
// Scaling. SageMaker refuses that update ("must be deregistered as scalable targets ... before they can
// be removed or have their instance type updated":
// https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-delete.html), and CloudFormation
// cannot deregister first: it updates the endpoint before it replaces or deletes the scalable target,
// so the stack update would fail and roll back. The message says how to do it in two deploys.
const { DescribeStackResourcesCommand } = require('@aws-sdk/client-cloudformation');
const { deployGuard } = require('./deploy-guard');
const { deployedTemplate } = require('./deployed-template');

const instanceTypeOf = (template) => template?.Resources?.EndpointConfig?.Properties?.ProductionVariants?.[0]?.InstanceType;

/**
 * Why this deploy must not go ahead, or undefined when it may.
 * @param {import('./deploy-guard').GuardInput} input
 */
const refusalFor = async ({ cloudFormation, stackName, newTemplate, stage, region }) => {
  const deployed = await deployedTemplate(cloudFormation, stackName);
  if (!deployed) return undefined; // the first deploy
  const [from, to] = [instanceTypeOf(deployed), instanceTypeOf(newTemplate)];
  if (!from || !to || from === to) return undefined;
  // Only resources that exist are listed: a target left out by autoscaling=off is not.
  const { StackResources = [] } = await cloudFormation.send(new DescribeStackResourcesCommand({ StackName: stackName }));
  if (!StackResources.some((r) => r.ResourceType === 'AWS::ApplicationAutoScaling::ScalableTarget')) return undefined;
  const deploy = `npx serverless deploy --stage ${stage} --region ${region}`;
  return (
    `instanceType ${from} -> ${to}: SageMaker refuses to change the instance type of an endpoint variant registered with ` +
    `autoscaling, and CloudFormation would deregister it only after updating the endpoint. Deploy in two steps: ` +
    `1) ${deploy} --param="autoscaling=off" (removes the scalable target; the endpoint keeps ${from} and its instance count), ` +
    `2) ${deploy} --param="instanceType=${to}" (updates the endpoint, then registers the target again).`
  );
};

module.exports = deployGuard(refusalFor);
module.exports.refusalFor = refusalFor;
