import { manualClock } from '../../../local/sagemaker-async/clock';
import { policyNames } from '../../../local/sagemaker-async/autoscaler';
import type { ScalingConfig } from '../../../local/sagemaker-async/types';
import { readStackConfig } from '../../../local/template/stack-config';
import { projectRoot } from '../../support/local-cloud';
import { until } from './deadline';
import { endpointsOnRealS3 } from './harness';

const MINUTE = 60_000;
/** Longer than target tracking's 120 s scale-out cooldown, as an instance start on AWS can be. */
const PROVISIONING_S = 300;

/**
 * One article at an endpoint scaled to zero whose instance takes longer to start than a 120 s
 * cooldown, on a clock that moves only when told (CloudWatch's default publication delay and
 * evaluation offsets). HasBacklogWithoutCapacity stays 1 until the instance is in service, so its
 * alarm invokes the scale-out from zero every minute meanwhile (issue 21).
 */
describe('the first article at an endpoint scaled to zero, with an instance slower to start than 120 s (simulated clock)', () => {
  const { start } = endpointsOnRealS3();
  const template = readStackConfig({ projectRoot }).scaling;
  const step = template.stepScaling as NonNullable<ScalingConfig['stepScaling']>;
  const names = policyNames('research-summarizer-test', 'AllTraffic', template);
  /** ScaleOutFromZeroPolicy as autoscaling.yml had it before: the cooldown of target tracking's scale-out (120 s). */
  const previousStep = { ...step, cooldownS: template.targetTracking?.scaleOutCooldownS ?? Number.NaN };

  const oneArticle = async (stepScaling: NonNullable<ScalingConfig['stepScaling']>, requests = 1) => {
    // Prepare: the template's policies; 7 idle minutes first, as in scaling-lag.test.ts.
    const clock = manualClock();
    const { endpoint, invoke } = await start({
      clock,
      provisioningDelayS: PROVISIONING_S,
      endpoint: { initialInstanceCount: 0 },
      scaling: { ...template, stepScaling },
    });
    clock.advance(7 * MINUTE + 5_000);
    const arrivedAt = clock.nowMs();

    // Act: the article arrives; the clock moves a second at a time. Once the first instance has
    // provisioned, the clock waits (in real time) for it to pass /ping and serve the article. Then
    // 15 more minutes: the step cooldown ends, the endpoint idles back to zero.
    for (let i = 0; i < requests; i++) await invoke({ Body: Buffer.from(`{"inputs":"part ${i}"}`), InferenceId: `part-${i}` });
    while (endpoint.status().totals.completed === 0 && clock.nowMs() < arrivedAt + 15 * MINUTE) {
      clock.advance(1_000);
      const first = endpoint.scalingActivities()[0];
      if (first && clock.nowMs() >= Date.parse(first.time) + PROVISIONING_S * 1000) {
        await until(() => endpoint.status().totals.completed === requests, 'the requests to finish on the instance in service', {
          timeoutMs: 20_000,
        });
      }
    }
    const servedAt = clock.nowMs();
    while (clock.nowMs() < servedAt + 15 * MINUTE) clock.advance(1_000);

    return endpoint.scalingActivities().map((a) => [a.policyName, a.from, a.to, (Date.parse(a.time) - arrivedAt) / 1000]);
  };

  it('adds one instance and no other: a repeat of the scale-out within its 600 s cooldown adds nothing', async () => {
    const activities = await oneArticle(step);

    // Assess: 0 → 1 at the step alarm's first evaluation after the article's minute is published
    // (+136 s); the alarm stays in ALARM until the minute the instance came into service in (+436 s)
    // is read, within the cooldown. Back to 0 by target tracking once its 15 low minutes are in and
    // the step cooldown has ended (the emulator holds scale-in during any scale-out cooldown).
    expect(step.cooldownS).toBe(600);
    expect(activities).toEqual([
      [names.stepScaling, 0, 1, 136],
      [names.targetTracking, 1, 0, 788],
    ]);
  }, 60_000);

  it('adds an instance every 120 s while the first still starts, with the previous cooldown', async () => {
    const activities = await oneArticle(previousStep);

    // Assess: the alarm, still in ALARM each time a 120 s cooldown ends, adds three more instances
    // for an article one instance serves.
    expect(previousStep.cooldownS).toBe(120);
    expect(activities.filter(([policy]) => policy === names.stepScaling)).toEqual([
      [names.stepScaling, 0, 1, 136],
      [names.stepScaling, 1, 2, 256],
      [names.stepScaling, 2, 3, 376],
      [names.stepScaling, 3, 4, 496],
    ]);
  }, 60_000);

  /** The activities before the first instance came into service. */
  const whileStarting = (activities: (string | number)[][]) =>
    activities.filter(([, , , at]) => (at as number) < (activities[0]?.[3] as number) + PROVISIONING_S);

  it('leaves what target tracking asks for while the first instance starts: +1 never scales in', async () => {
    // 12 parts of a long article, above the target of 5 per instance: target tracking asks for more
    // while nothing is in service yet. (Its 3 → 5 is the emulator's reading of the backlog per
    // instance at zero instances in service as the whole backlog, which SageMaker does not document.)
    const activities = await oneArticle(step, 12);

    expect(whileStarting(activities)).toEqual([
      [names.stepScaling, 0, 1, 136],
      [names.targetTracking, 1, 3, 212],
      [names.targetTracking, 3, 5, 272],
    ]);
  }, 60_000);

  it('takes back what target tracking asked for while the first instance starts, with ExactCapacity 1 instead', async () => {
    // The step policy, invoked every minute its alarm stays in ALARM, sets 1 again (a step scale-in
    // is not blocked by target tracking); its own cooldown then blocks a further scale-in by it.
    const exact = { ...step, adjustmentType: 'ExactCapacity' as const, scalingAdjustment: 1 };
    const activities = await oneArticle(exact, 12);

    expect(whileStarting(activities)).toEqual([
      [names.stepScaling, 0, 1, 136],
      [names.targetTracking, 1, 3, 212],
      [names.stepScaling, 3, 1, 256],
      [names.targetTracking, 1, 3, 272],
      [names.targetTracking, 3, 5, 332],
    ]);
  }, 60_000);
});
