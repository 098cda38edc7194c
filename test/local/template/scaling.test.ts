import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackConfigFrom, TEMPLATE_PATH } from '../../../local/template/stack-config';
import type { Template } from '../../../local/template/template-view';
import { idleAlarmOfTemplate } from '../../support/template-alarms';

const projectRoot = join(__dirname, '..', '..', '..');

/** The packaged template with the idle alarm's properties changed by `change`. */
const withIdleAlarm = (change: (properties: Record<string, unknown>) => Record<string, unknown>): Template => {
  const template = JSON.parse(readFileSync(join(projectRoot, TEMPLATE_PATH), 'utf-8')) as Template;
  const alarm = template.Resources.EndpointIdleAlarm;
  if (!alarm?.Properties) throw new Error('the packaged template has no EndpointIdleAlarm');
  alarm.Properties = change(alarm.Properties);
  return template;
};

const metrics = (properties: Record<string, unknown>) => properties.Metrics as Record<string, unknown>[];

describe('the scaling policies read from the packaged template', () => {
  it('reads a single-metric alarm as well as the metric-math one, TreatMissingData defaulting to missing', () => {
    // Prepare: the idle alarm as it was before, on ApproximateBacklogSize alone.
    const template = withIdleAlarm(({ Metrics, TreatMissingData: _omitted, ...rest }) => {
      const backlog = (Metrics as { Id: string; MetricStat: { Metric: Record<string, unknown> } }[]).find((m) => m.Id === 'backlog');
      return { ...rest, ...backlog?.MetricStat.Metric, Statistic: 'Maximum', Period: 60 };
    });
    // Act
    const { scaleInToZero } = stackConfigFrom(template, { projectRoot }).scaling;
    // Assess
    expect(scaleInToZero?.alarm).toEqual({
      ...idleAlarmOfTemplate,
      metric: { metricName: 'ApproximateBacklogSize', statistic: 'Maximum' },
    });
  });

  it('refuses, by name, an alarm the local cloud would not evaluate as CloudWatch does', () => {
    const read = (change: (properties: Record<string, unknown>) => Record<string, unknown>) => () =>
      stackConfigFrom(withIdleAlarm(change), { projectRoot });

    expect(
      read((p) => ({ ...p, Metrics: metrics(p).map((m) => (m.Id === 'busy' ? { ...m, Expression: 'FILL(backlog, 0)' } : m)) })),
    ).toThrow(
      'the packaged template\'s alarm EndpointIdleAlarm: metric math expression "FILL(backlog, 0)": function FILL is not supported',
    );
    expect(read((p) => ({ ...p, Metrics: metrics(p).map((m) => ({ ...m, ReturnData: true })) }))).toThrow(
      /exactly one of Metrics must return data, 3 do/,
    );
    expect(
      read((p) => ({
        ...p,
        Metrics: metrics(p).map((m) =>
          m.Id === 'backlog'
            ? {
                ...m,
                MetricStat: {
                  ...(m.MetricStat as object),
                  Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' },
                },
              }
            : m,
        ),
      })),
    ).toThrow(/AWS\/SQS\/ApproximateNumberOfMessagesVisible is not a metric of the emulated endpoint/);
    expect(read((p) => ({ ...p, TreatMissingData: 'sometimes' }))).toThrow(/TreatMissingData sometimes/);
  });
});
