import type { MetricAlarm } from '../../local/sagemaker-async/types';

/**
 * The two scaling alarms of resources/autoscaling.yml as the local cloud reads them from the packaged
 * template (local/template/scaling.ts): what test/local/template asserts it reads, and what the
 * autoscaler's tests evaluate.
 */

/** HasBacklogWithoutCapacity >= 1 for one minute: adds the first instance. */
export const stepAlarmOfTemplate: MetricAlarm = {
  metric: { metricName: 'HasBacklogWithoutCapacity', statistic: 'Average' },
  periodS: 60,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  threshold: 1,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  treatMissingData: 'missing',
};

/** Nothing queued and nothing waiting for capacity for 5 minutes: back to zero instances. */
export const idleAlarmOfTemplate: MetricAlarm = {
  metric: {
    expression: 'backlog + backlogWithoutCapacity',
    metrics: {
      backlog: { metricName: 'ApproximateBacklogSize', statistic: 'Maximum' },
      backlogWithoutCapacity: { metricName: 'HasBacklogWithoutCapacity', statistic: 'Maximum' },
    },
  },
  periodS: 60,
  evaluationPeriods: 5,
  datapointsToAlarm: 5,
  threshold: 0,
  comparisonOperator: 'LessThanOrEqualToThreshold',
  treatMissingData: 'missing',
};
