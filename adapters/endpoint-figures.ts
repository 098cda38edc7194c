import { DescribeScalingActivitiesCommand, type ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { EndpointFigures } from '../core/status/batch-status';

/**
 * A deployed endpoint's figures for `npm run status --aws`, from CloudWatch and Application Auto Scaling:
 * - instances in service: the SampleCount of the instance metric CPUUtilization per minute, which
 *   "should be equal to the number of active instances"
 *   (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-troubleshooting.html); summed × 60
 *   since the batch began, the instance-seconds billed;
 * - the backlog: ApproximateBacklogSize, queued and in-flight requests
 *   (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html);
 * - model time per request: ModelLatency, in microseconds (same page);
 * - desired instances: the latest scaling activity's "Setting desired instance count to N."
 *   (DescribeScalingActivities); none means the count never changed from what is in service.
 */
export class CloudWatchEndpointFigures {
  constructor(
    private readonly cloudWatch: CloudWatchClient,
    private readonly autoScaling: ApplicationAutoScalingClient,
    private readonly endpointName: string,
    private readonly variantName = 'AllTraffic',
  ) {}

  async figures(since: Date, now: Date): Promise<EndpointFigures> {
    const endpoint = [{ Name: 'EndpointName', Value: this.endpointName }];
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
          query('instances', '/aws/sagemaker/Endpoints', 'CPUUtilization', 'SampleCount', [
            ...endpoint,
            { Name: 'VariantName', Value: this.variantName },
          ]),
          query('backlog', 'AWS/SageMaker', 'ApproximateBacklogSize', 'Maximum'),
          query('latency', 'AWS/SageMaker', 'ModelLatency', 'Average', [...endpoint, { Name: 'VariantName', Value: this.variantName }]),
        ],
      }),
    );
    const values = (id: string) => MetricDataResults.find((r) => r.Id === id)?.Values ?? [];
    const instances = values('instances');
    const latency = values('latency');
    const inService = Math.round(instances[0] ?? 0);
    return {
      inService,
      desired: (await this.desired()) ?? inService,
      backlog: Math.round(values('backlog')[0] ?? 0),
      instanceSeconds: instances.reduce((sum, n) => sum + Math.round(n) * 60, 0),
      ...(latency.length > 0
        ? { modelSecondsPerRequest: latency.slice(0, 5).reduce((a, b) => a + b, 0) / Math.min(5, latency.length) / 1e6 }
        : {}),
    };
  }

  private async desired(): Promise<number | undefined> {
    const { ScalingActivities = [] } = await this.autoScaling.send(
      new DescribeScalingActivitiesCommand({
        ServiceNamespace: 'sagemaker',
        ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        ResourceId: `endpoint/${this.endpointName}/variant/${this.variantName}`,
        MaxResults: 10,
      }),
    );
    const latest = ScalingActivities.find((a) => a.StatusCode === 'Successful' || a.StatusCode === 'InProgress');
    const match = /desired instance count to (\d+)/i.exec(latest?.Description ?? '');
    return match ? Number(match[1]) : undefined;
  }
}
