import { ApplicationAutoScalingClient, DescribeScalingActivitiesCommand } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchEndpointFigures } from '../../adapters/endpoint-figures';

// CloudWatch and Application Auto Scaling exist only on AWS (the local cloud has neither API), so
// their answers are mocked, in the shapes the API references document.
describe('a deployed endpoint read from CloudWatch and Application Auto Scaling', () => {
  const cloudWatch = mockClient(CloudWatchClient);
  const autoScaling = mockClient(ApplicationAutoScalingClient);
  afterEach(() => {
    cloudWatch.reset();
    autoScaling.reset();
  });
  afterAll(() => {
    cloudWatch.restore();
    autoScaling.restore();
  });
  const figures = () =>
    new CloudWatchEndpointFigures(
      new CloudWatchClient({ region: 'us-east-1' }),
      new ApplicationAutoScalingClient({ region: 'us-east-1' }),
      'research-summarizer-dev',
    ).figures(new Date('2026-12-01T10:00:00Z'), new Date('2026-12-01T10:05:00Z'));

  it('counts instances from the CPUUtilization sample count, newest first, and reads backlog, latency and the desired count', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'instances', Values: [3, 5, 5, 1] },
        { Id: 'backlog', Values: [42, 80] },
        { Id: 'latency', Values: [2_000_000, 1_000_000] },
      ],
    });
    autoScaling.on(DescribeScalingActivitiesCommand).resolves({
      ScalingActivities: [
        {
          ActivityId: 'a',
          ServiceNamespace: 'sagemaker',
          ResourceId: 'r',
          ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
          Description: 'Setting desired instance count to 4.',
          Cause: 'c',
          StartTime: new Date(),
          StatusCode: 'Successful',
        },
      ],
    });

    await expect(figures()).resolves.toEqual({
      inService: 3,
      desired: 4,
      backlog: 42,
      instanceSeconds: 14 * 60,
      modelSecondsPerRequest: 1.5,
    });
    const query = cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(
      query?.MetricDataQueries?.map((q) => [q.MetricStat?.Metric?.Namespace, q.MetricStat?.Metric?.MetricName, q.MetricStat?.Stat]),
    ).toEqual([
      ['/aws/sagemaker/Endpoints', 'CPUUtilization', 'SampleCount'],
      ['AWS/SageMaker', 'ApproximateBacklogSize', 'Maximum'],
      ['AWS/SageMaker', 'ModelLatency', 'Average'],
    ]);
  });

  it('reads an endpoint at zero with no scaling activity as zero in service and zero desired', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    autoScaling.on(DescribeScalingActivitiesCommand).resolves({ ScalingActivities: [] });

    await expect(figures()).resolves.toEqual({ inService: 0, desired: 0, backlog: 0, instanceSeconds: 0 });
  });
});
