import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { DeployedEndpointFigures } from '../../../adapters/endpoint-figures';
import { eventually } from '../../support/eventually';
import { startEndpoint, type EndpointUnderTest } from './harness';

// The endpoint's control plane answers DescribeEndpoint from its own status, through the real
// @aws-sdk/client-sagemaker (AWS JSON 1.1), so `npm run status --aws`'s adapter reads it as it reads AWS.
describe('DescribeEndpoint on the emulated endpoint', () => {
  let sut: EndpointUnderTest;
  let sagemaker: SageMakerClient;
  beforeAll(async () => {
    // Two instances asked for from the start; fake models answer /ping at once.
    sut = await startEndpoint({ scaling: { minCapacity: 2, maxCapacity: 2 }, endpoint: { initialInstanceCount: 2 } });
    sagemaker = new SageMakerClient({
      endpoint: sut.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'any', secretAccessKey: 'thing' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    sagemaker.destroy();
    await sut.dispose();
  });

  it("answers the variant's current and desired instance counts, as its status has them", async () => {
    // Prepare
    const name = sut.endpoint.status().endpointName;
    await eventually(() => (sut.endpoint.status().instances.inService === 2 ? true : undefined), {
      timeoutMs: 10_000,
      what: '2 instances in service',
    });
    // Act
    const reply = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }));
    // Assess
    expect(reply).toMatchObject({
      EndpointName: name,
      EndpointStatus: 'InService',
      ProductionVariants: [{ VariantName: sut.endpoint.status().variantName, CurrentInstanceCount: 2, DesiredInstanceCount: 2 }],
    });
    expect(reply.CreationTime).toBeInstanceOf(Date);
  });

  it("is what status's adapter reads the instances from (CloudWatch, which the local cloud lacks, mocked)", async () => {
    // Prepare
    const cloudWatch = mockClient(CloudWatchClient);
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    try {
      // Act
      const figures = await new DeployedEndpointFigures(
        new CloudWatchClient({ region: 'us-east-1' }),
        sagemaker,
        sut.endpoint.status().endpointName,
      ).figures(new Date(Date.now() - 60_000), new Date());
      // Assess
      expect(figures).toEqual({ inService: 2, desired: 2, backlog: 0, instanceSeconds: 0 });
    } finally {
      cloudWatch.restore();
    }
  });

  it('refuses an endpoint it does not host, as SageMaker does', async () => {
    await expect(sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'no-such-endpoint' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Could not find endpoint "no-such-endpoint".',
    });
  });
});
