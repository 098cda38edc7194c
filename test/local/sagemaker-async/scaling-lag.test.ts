import { manualClock } from '../../../local/sagemaker-async/clock';
import type { CloudWatchTiming, MetricAlarm, ScalingConfig } from '../../../local/sagemaker-async/types';
import { policyNames } from '../../../local/sagemaker-async/autoscaler';
import { readStackConfig } from '../../../local/template/stack-config';
import { projectRoot } from '../../support/local-cloud';
import { until } from './deadline';
import { endpointsOnRealS3 } from './harness';

const MINUTE = 60_000;
const PROVISIONING_S = 60;

/**
 * The first article after a quiet spell, on a clock that moves only when told, with CloudWatch's lag
 * modelled: each metric's minute readable only after a publication delay, each alarm evaluated at its
 * own second. Issue 21 item 9: can the idle alarm, still in ALARM, undo the scale-out from zero?
 */
describe('the first article at an endpoint scaled to zero, under CloudWatch lag (simulated clock)', () => {
  const { start } = endpointsOnRealS3();
  const template = readStackConfig({ projectRoot }).scaling;
  const idleAlarm = template.scaleInToZero?.alarm as MetricAlarm;
  /** The idle alarm as autoscaling.yml had it before: ApproximateBacklogSize alone. */
  const previousIdleAlarm: MetricAlarm = { ...idleAlarm, metric: { metricName: 'ApproximateBacklogSize', statistic: 'Maximum' } };
  const names = policyNames('research-summarizer-test', 'AllTraffic', template);
  const evaluationOffsetS = { [names.stepAlarm]: 20, [names.idleAlarm]: 30, [names.highAlarm]: 40, [names.lowAlarm]: 40 };
  /** Both metrics of a minute readable 30 s after it. */
  const together: CloudWatchTiming = { publicationDelayS: { default: 30 }, evaluationOffsetS };
  /** HasBacklogWithoutCapacity readable 10 s after its minute, ApproximateBacklogSize (and the rest) 50 s. */
  const backlogLater: CloudWatchTiming = { publicationDelayS: { default: 50, HasBacklogWithoutCapacity: 10 }, evaluationOffsetS };

  const firstArticle = async (alarm: MetricAlarm, cloudWatch: CloudWatchTiming) => {
    // Prepare: the template's policies; 7 idle minutes put the idle alarm in ALARM, invoking the
    // scale-in to zero every minute (at zero already, it changes nothing). The step policy keeps the
    // 120 s cooldown it had when the race was measured (docs/aws.md); autoscaling.yml's 600 s would
    // hold the article back 480 s longer after a race (scale-out-from-zero.test.ts is about that cooldown).
    const clock = manualClock();
    const scaling: ScalingConfig = {
      ...template,
      stepScaling: { ...(template.stepScaling as NonNullable<ScalingConfig['stepScaling']>), cooldownS: 120 },
      scaleInToZero: { ...(template.scaleInToZero as NonNullable<ScalingConfig['scaleInToZero']>), alarm },
    };
    const { endpoint, invoke } = await start({
      clock,
      cloudWatch,
      provisioningDelayS: PROVISIONING_S,
      endpoint: { initialInstanceCount: 0 },
      scaling,
    });
    clock.advance(7 * MINUTE + 5_000);
    const arrivedAt = clock.nowMs();

    // Act: the article arrives 5 s into a minute; the clock then moves a second at a time. Once an
    // instance has been provisioned the clock waits (in real time) for it to pass /ping and finish.
    await invoke({ Body: Buffer.from('{"inputs":"first"}'), InferenceId: 'first' });
    while (endpoint.status().totals.completed === 0 && clock.nowMs() < arrivedAt + 15 * MINUTE) {
      clock.advance(1_000);
      const last = endpoint.scalingActivities().at(-1);
      if (last && last.to > 0 && clock.nowMs() >= Date.parse(last.time) + PROVISIONING_S * 1000) {
        await until(() => endpoint.status().totals.completed === 1, 'the article to finish on the instance in service', {
          timeoutMs: 20_000,
        });
      }
    }
    // The activities until the article was served; then the minute it was dispatched in closes.
    const activities = endpoint.scalingActivities().map((a) => [a.policyName, a.from, a.to, (Date.parse(a.time) - arrivedAt) / 1000]);
    clock.advance(2 * MINUTE);

    return { activities, waitedS: (endpoint.metrics().find((d) => d.TimeInBacklogMs !== null)?.TimeInBacklogMs ?? Number.NaN) / 1000 };
  };

  it('races with the previous idle alarm when the backlog is published after HasBacklogWithoutCapacity: 0 → 1 → 0, the +1 held by the cooldown', async () => {
    const { activities, waitedS } = await firstArticle(previousIdleAlarm, backlogLater);

    // The scale-out fires 75 s after the article (its minute published at +65 s, evaluated at +75 s);
    // 10 s later the idle alarm still sees five idle minutes (the article's backlog minute is published
    // at +105 s) and sets 0; the step policy's 120 s cooldown holds the next +1 until +195 s.
    expect(activities).toEqual([
      [names.stepScaling, 0, 1, 75],
      [names.scaleInToZero, 1, 0, 85],
      [names.stepScaling, 0, 1, 195],
    ]);
    expect(waitedS).toBe(195 + PROVISIONING_S);
  }, 60_000);

  it('does not race with the previous idle alarm when both metrics of a minute are published together', async () => {
    const { activities, waitedS } = await firstArticle(previousIdleAlarm, together);

    expect(activities).toEqual([[names.stepScaling, 0, 1, 135]]);
    expect(waitedS).toBe(135 + PROVISIONING_S);
  }, 60_000);

  it('cannot race with the idle alarm of autoscaling.yml: the minute that fired the scale-out breaks its idle run', async () => {
    const { activities, waitedS } = await firstArticle(idleAlarm, backlogLater);

    expect(activities).toEqual([[names.stepScaling, 0, 1, 75]]);
    expect(waitedS).toBe(75 + PROVISIONING_S);
  }, 60_000);
});
