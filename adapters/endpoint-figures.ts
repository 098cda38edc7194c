import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DescribeEndpointCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { EndpointFigures } from '../core/status/batch-status';

/**
 * A deployed endpoint's figures for `npm run status --aws`:
 * - instances in service and desired: DescribeEndpoint's `CurrentInstanceCount` and
 *   `DesiredInstanceCount` of the variant (ProductionVariants,
 *   https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html): what the
 *   endpoint runs now and what a scaling action, a deploy or a manual change last asked for. (A
 *   metric's latest sample count cannot say zero: GetMetricData omits periods without data.)
 * - instance-seconds billed since the batch began: the SampleCount of the instance metric
 *   CPUUtilization per minute, which "should be equal to the number of active instances"
 *   (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-troubleshooting.html), summed × 60;
 *   a minute without instances has no data, which adds nothing, as it should;
 * - the backlog: ApproximateBacklogSize, queued and in-flight requests
 *   (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html);
 * - model time per request: ModelLatency, in microseconds (same page).
 */
export class DeployedEndpointFigures {
  constructor(
    private readonly cloudWatch: CloudWatchClient,
    private readonly sagemaker: SageMakerClient,
    private readonly endpointName: string,
    private readonly variantName = 'AllTraffic',
  ) {}

  async figures(since: Date, now: Date): Promise<EndpointFigures> {
    const [instances, metrics] = await Promise.all([this.instances(), this.metrics(since, now)]);
    return { ...instances, ...metrics };
  }

  private async instances(): Promise<Pick<EndpointFigures, 'inService' | 'desired'>> {
    const { ProductionVariants = [] } = await this.sagemaker.send(new DescribeEndpointCommand({ EndpointName: this.endpointName }));
    const variant = ProductionVariants.find((v) => v.VariantName === this.variantName);
    // Counts are absent while the endpoint is Creating (no instance is billed or serving yet).
    return { inService: variant?.CurrentInstanceCount ?? 0, desired: variant?.DesiredInstanceCount ?? 0 };
  }

  private async metrics(since: Date, now: Date): Promise<Omit<EndpointFigures, 'inService' | 'desired'>> {
    const endpoint = [{ Name: 'EndpointName', Value: this.endpointName }];
    const variant = [...endpoint, { Name: 'VariantName', Value: this.variantName }];
    const query = (Id: string, Namespace: string, MetricName: string, Stat: string, Dimensions = endpoint): MetricDataQuery => ({
      Id,
      MetricStat: { Metric: { Namespace, MetricName, Dimensions }, Period: 60, Stat },
    });
    // GetMetricData wants a start before the end; a batch that began this minute still gets one period.
    const start = new Date(Math.min(since.getTime(), now.getTime() - 60_000));
    const { MetricDataResults = [] } = await this.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: now,
        ScanBy: 'TimestampDescending',
        MetricDataQueries: [
          query('instances', '/aws/sagemaker/Endpoints', 'CPUUtilization', 'SampleCount', variant),
          query('backlog', 'AWS/SageMaker', 'ApproximateBacklogSize', 'Maximum'),
          query('latency', 'AWS/SageMaker', 'ModelLatency', 'Average', variant),
        ],
      }),
    );
    const values = (id: string) => MetricDataResults.find((r) => r.Id === id)?.Values ?? [];
    const latency = values('latency');
    return {
      backlog: Math.round(values('backlog')[0] ?? 0),
      instanceSeconds: values('instances').reduce((sum, n) => sum + Math.round(n) * 60, 0),
      ...(latency.length > 0
        ? { modelSecondsPerRequest: latency.slice(0, 5).reduce((a, b) => a + b, 0) / Math.min(5, latency.length) / 1e6 }
        : {}),
    };
  }
}
