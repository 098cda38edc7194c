import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeEndpointCommand, SageMakerClient, type DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { DeployedEndpointFigures } from '../../adapters/endpoint-figures';

/**
 * A DescribeEndpoint answer for this stack's endpoint, written from the API reference's response syntax
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html): one variant,
 * AllTraffic, with the instance counts the given scaling left it at; an asynchronous endpoint's config.
 */
const describeEndpointAnswer = (
  current: number | undefined,
  desired: number | undefined,
  status = 'InService',
): DescribeEndpointCommandOutput => ({
  $metadata: { httpStatusCode: 200, requestId: '0f4b1a9c-5c7e-4d3a-9b0e-2f7c1d8e6a51' },
  EndpointName: 'research-summarizer-dev',
  EndpointArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/research-summarizer-dev',
  EndpointConfigName: 'research-summarizer-dev-config-1a2b3c',
  ProductionVariants: [
    {
      VariantName: 'AllTraffic',
      DeployedImages: [
        {
          SpecifiedImage:
            '763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:2.1.0-transformers4.37.0-cpu-py310-ubuntu22.04',
          ResolvedImage:
            '763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference@sha256:5a3b5c0b9e0f7f2d6a2c1e4b7d8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f',
          ResolutionTime: new Date('2026-12-01T09:00:00Z'),
        },
      ],
      CurrentWeight: 1,
      DesiredWeight: 1,
      ...(current !== undefined ? { CurrentInstanceCount: current } : {}),
      ...(desired !== undefined ? { DesiredInstanceCount: desired } : {}),
    },
  ],
  EndpointStatus: status as DescribeEndpointCommandOutput['EndpointStatus'],
  CreationTime: new Date('2026-12-01T09:00:00Z'),
  LastModifiedTime: new Date('2026-12-01T10:02:00Z'),
  AsyncInferenceConfig: {
    ClientConfig: { MaxConcurrentInvocationsPerInstance: 2 },
    OutputConfig: {
      S3OutputPath: 's3://research-summarizer-dev-123456789012-us-east-1/outputs/',
      S3FailurePath: 's3://research-summarizer-dev-123456789012-us-east-1/failures/',
    },
  },
});

// Neither API is on the local cloud (its endpoint status is the emulator's own, read by the dashboard),
// and a deployed endpoint is not reachable from tests: their answers are mocked, as documented.
describe('a deployed endpoint: instances from DescribeEndpoint, the rest from CloudWatch', () => {
  const cloudWatch = mockClient(CloudWatchClient);
  const sagemaker = mockClient(SageMakerClient);
  afterEach(() => {
    cloudWatch.reset();
    sagemaker.reset();
  });
  afterAll(() => {
    cloudWatch.restore();
    sagemaker.restore();
  });
  const figures = () =>
    new DeployedEndpointFigures(
      new CloudWatchClient({ region: 'us-east-1' }),
      new SageMakerClient({ region: 'us-east-1' }),
      'research-summarizer-dev',
    ).figures(new Date('2026-12-01T10:00:00Z'), new Date('2026-12-01T10:05:00Z'));

  it("reads the variant's current and desired instance counts, and backlog, latency and billed instance-seconds from metrics", async () => {
    // Prepare: scaling out from 3 to 4; CloudWatch's samples, newest first.
    sagemaker.on(DescribeEndpointCommand, { EndpointName: 'research-summarizer-dev' }).resolves(describeEndpointAnswer(3, 4, 'Updating'));
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'instances', Values: [3, 5, 5, 1] },
        { Id: 'backlog', Values: [42, 80] },
        { Id: 'latency', Values: [2_000_000, 1_000_000] },
      ],
    });
    // Act + Assess
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
    expect(sagemaker.commandCalls(DescribeEndpointCommand)).toHaveLength(1);
  });

  it('says zero in service after a scale-in to zero, even while the last minutes of metrics still show instances', async () => {
    // Prepare: GetMetricData omits the empty minutes since, so its newest sample is the last non-zero one.
    sagemaker.on(DescribeEndpointCommand).resolves(describeEndpointAnswer(0, 0));
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'instances', Values: [1, 1] }] });
    // Act + Assess: 2 minutes of one instance were billed; none is in service now.
    await expect(figures()).resolves.toEqual({ inService: 0, desired: 0, backlog: 0, instanceSeconds: 120 });
  });

  it('reads an endpoint still being created (no counts yet) as zero in service and zero desired', async () => {
    sagemaker.on(DescribeEndpointCommand).resolves(describeEndpointAnswer(undefined, undefined, 'Creating'));
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });

    await expect(figures()).resolves.toEqual({ inService: 0, desired: 0, backlog: 0, instanceSeconds: 0 });
  });

  it("fails with SageMaker's error when the endpoint does not exist", async () => {
    sagemaker
      .on(DescribeEndpointCommand)
      .rejects(Object.assign(new Error('Could not find endpoint "research-summarizer-dev".'), { name: 'ValidationException' }));
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });

    await expect(figures()).rejects.toThrow('Could not find endpoint');
  });
});
