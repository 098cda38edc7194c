// A Serverless Framework plugin that stops `serverless deploy` before CloudFormation is touched when
// the stack would create the endpoint's log group (resources/sagemaker-endpoint.yml, EndpointLogGroup)
// while a log group of that name already exists outside the stack: CloudFormation cannot create a
// named resource that exists, so the update would fail and roll back. SageMaker creates the group
// itself for an endpoint deployed before the stack declared it, and again when an instance still
// flushes logs after the endpoint is deleted (docs/aws.md, remove steps).
const { deployGuard } = require('./deploy-guard');
const { deployedTemplate } = require('./deployed-template');

const LOG_GROUP = 'EndpointLogGroup';

const { CloudWatchLogsClient, DescribeLogGroupsCommand } = require('@aws-sdk/client-cloudwatch-logs');

/**
 * Why this deploy must not go ahead, or undefined when it may.
 * @param {import('./deploy-guard').GuardInput} input
 */
const refusalFor = async ({ cloudFormation, client, stackName, newTemplate, region }) => {
  const name = newTemplate?.Resources?.[LOG_GROUP]?.Properties?.LogGroupName;
  if (typeof name !== 'string') return undefined;
  const deployed = await deployedTemplate(cloudFormation, stackName);
  if (deployed?.Resources?.[LOG_GROUP]) return undefined; // the stack owns it already
  const logs = await client(CloudWatchLogsClient);
  const { logGroups = [] } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  if (!logGroups.some((group) => group.logGroupName === name)) return undefined;
  const endpoint = name.split('/').pop();
  return (
    `The endpoint's log group ${name} already exists outside the stack (SageMaker created it), and this deploy would create it ` +
    `with a retention period, which CloudFormation cannot do while it exists. Delete it (its logs go with it) while the endpoint ` +
    `has no instance, so that nothing creates it again before the deploy does, then deploy again: ` +
    `aws sagemaker describe-endpoint --endpoint-name ${endpoint} --region ${region} --query "ProductionVariants[].CurrentInstanceCount" ` +
    `(0, or no endpoint), then aws logs delete-log-group --log-group-name ${name} --region ${region}.`
  );
};

module.exports = deployGuard(refusalFor);
module.exports.refusalFor = refusalFor;
