import { DEFAULT_PUBLICATION_DELAY_S, METRIC_PERIOD_MS, minuteStatistic } from '../../../local/sagemaker-async/metrics';
import { readStackConfig } from '../../../local/template/stack-config';
import { projectRoot } from '../../support/local-cloud';
import { until } from './deadline';
import { echo, FakeModels } from './fake-models';
import { endpointsOnRealS3 } from './harness';

describe('an async endpoint scaling with its backlog (time 600× faster)', () => {
  const { start } = endpointsOnRealS3();
  // The alarms of resources/autoscaling.yml, as the local cloud reads them.
  const { stepScaling, scaleInToZero } = readStackConfig({ projectRoot }).scaling;
  if (!stepScaling || !scaleInToZero) throw new Error('the packaged template has no step policies');

  it('goes 0 → 1 (step policy) → 3 (target tracking) under a burst, and back to 0 once idle', async () => {
    // Prepare: autoscaling.yml's two policies, target 2 per instance, one invocation per instance.
    // The step policy's cooldown (240 s) outlasts provisioning (60 s), the minute in which the first
    // instance comes into service and the metrics' publication delay (30 s): with a shorter one, the
    // step alarm may still be in ALARM when the cooldown ends and add a second instance, on AWS too;
    // at 600× a 50 ms pause of the event loop is 30 simulated seconds.
    const models = new FakeModels((call) => ({ ...echo(call), delayMs: 50 }));
    const { endpoint, invoke } = await start({
      models,
      endpoint: { initialInstanceCount: 0, maxConcurrentInvocationsPerInstance: 1 },
      provisioningDelayS: 60,
      scaling: {
        minCapacity: 0,
        maxCapacity: 3,
        targetTracking: { targetValue: 2, scaleInCooldownS: 120, scaleOutCooldownS: 60 },
        stepScaling: { ...stepScaling, cooldownS: 240 },
      },
    });

    // Act
    await Promise.all(Array.from({ length: 30 }, (_, i) => invoke({ Body: Buffer.from(`{"n":${i}}`) })));
    await until(() => endpoint.status().totals.completed === 30, 'the burst to complete', { timeoutMs: 20_000 });
    await until(
      () => endpoint.drained() && endpoint.status().desiredInstanceCount === 0 && endpoint.status().instances.inService === 0,
      'the endpoint to scale back to zero',
      { timeoutMs: 20_000 },
    );

    // Assess: the activities, in order, with their causes.
    const activities = endpoint.scalingActivities();
    expect(activities.map((a) => [a.policyName, a.from, a.to])).toEqual([
      ['research-summarizer-test-scale-out-from-zero', 0, 1],
      ['research-summarizer-test-backlog-per-instance', 1, 3],
      ['research-summarizer-test-backlog-per-instance', 3, 0],
    ]);
    expect(activities[0]?.cause).toBe(
      'monitor alarm research-summarizer-test-HasBacklogWithoutCapacity in state ALARM triggered policy research-summarizer-test-scale-out-from-zero',
    );
    expect(activities[1]?.cause).toMatch(/AlarmHigh in state ALARM/);
    expect(activities[2]?.cause).toMatch(/AlarmLow in state ALARM/);
    // HasBacklogWithoutCapacity is 1 exactly while requests wait with no instance in service: before the
    // first instance came into service, and only then. (A simulated minute can end before the burst
    // has arrived when a busy machine pauses this process: that datapoint is 0, with no backlog.)
    const datapoints = endpoint.metrics();
    const firstInService = datapoints.findIndex((d) => d.InstanceCount > 0);
    expect(firstInService).toBeGreaterThan(0);
    const definition = (d: (typeof datapoints)[number]) => (d.ApproximateBacklogSize > 0 && d.InstanceCount === 0 ? 1 : 0);
    expect(datapoints.filter((d) => d.HasBacklogWithoutCapacity !== definition(d))).toEqual([]);
    expect(datapoints.slice(0, firstInService).some((d) => d.HasBacklogWithoutCapacity === 1)).toBe(true);
    expect(datapoints.slice(firstInService).every((d) => d.HasBacklogWithoutCapacity === 0)).toBe(true);
    expect(Math.max(...datapoints.map((d) => d.InstanceCount))).toBe(3);
    expect(models.maxConcurrent).toBeLessThanOrEqual(3);
    expect(models.stopped.sort()).toEqual([...models.launched].sort());
  });

  it('goes back to zero through the scale-in-to-zero policy after 5 idle minutes, before target tracking would', async () => {
    // Prepare: the three policies of autoscaling.yml, the idle alarm at 5 of 5 minutes.
    const models = new FakeModels((call) => ({ ...echo(call), delayMs: 50 }));
    const { endpoint, invoke } = await start({
      models,
      endpoint: { initialInstanceCount: 0, maxConcurrentInvocationsPerInstance: 1 },
      provisioningDelayS: 60,
      scaling: {
        minCapacity: 0,
        maxCapacity: 3,
        targetTracking: { targetValue: 2, scaleInCooldownS: 120, scaleOutCooldownS: 60 },
        stepScaling: { ...stepScaling, cooldownS: 240 },
        scaleInToZero: { ...scaleInToZero, cooldownS: 120 },
      },
    });

    // Act
    await Promise.all(Array.from({ length: 30 }, (_, i) => invoke({ Body: Buffer.from(`{"n":${i}}`) })));
    await until(() => endpoint.status().totals.completed === 30, 'the burst to complete', { timeoutMs: 20_000 });
    await until(
      () => endpoint.status().desiredInstanceCount === 0 && endpoint.status().instances.inService === 0,
      'the endpoint to scale back to zero',
      {
        timeoutMs: 20_000,
      },
    );

    // Assess: one scale-in, by the step policy, once the 5 newest minutes published were idle: the
    // Maximum of ApproximateBacklogSize + HasBacklogWithoutCapacity at 0, the minute before busy.
    const activities = endpoint.scalingActivities();
    const scaleIns = activities.filter((a) => a.to < a.from);
    expect(scaleIns.map((a) => [a.policyName, a.to])).toEqual([['research-summarizer-test-scale-in-to-zero', 0]]);
    expect(scaleIns[0]?.cause).toBe(
      'monitor alarm research-summarizer-test-EndpointIdle in state ALARM triggered policy research-summarizer-test-scale-in-to-zero',
    );
    const at = Date.parse(scaleIns[0]?.time ?? '');
    const published = endpoint
      .metrics()
      .filter((d) => Date.parse(d.timestamp) + METRIC_PERIOD_MS + DEFAULT_PUBLICATION_DELAY_S * 1000 <= at);
    const busy = published.map(
      (_, i) =>
        minuteStatistic(published, i, { metricName: 'ApproximateBacklogSize', statistic: 'Maximum' }) +
        minuteStatistic(published, i, { metricName: 'HasBacklogWithoutCapacity', statistic: 'Maximum' }),
    );
    expect(busy.slice(-6)[0]).toBeGreaterThan(0);
    expect(busy.slice(-5)).toEqual([0, 0, 0, 0, 0]);
    expect(models.stopped.sort()).toEqual([...models.launched].sort());
  });

  it('starts InitialInstanceCount instances and brings them inside [min, max] like RegisterScalableTarget', async () => {
    const { endpoint } = await start({ endpoint: { initialInstanceCount: 2 }, scaling: { minCapacity: 0, maxCapacity: 1 } });

    await until(() => endpoint.status().instances.inService === 1, 'one instance in service');

    expect(endpoint.scalingActivities()).toEqual([
      expect.objectContaining({
        from: 2,
        to: 1,
        policyName: 'RegisterScalableTarget',
        description: 'Setting desired instance count to 1.',
      }),
    ]);
    expect(endpoint.status()).toMatchObject({ desiredInstanceCount: 1, instances: { pending: 0, inService: 1, terminating: 0 } });
  });

  it('keeps a Pending instance out of service for the provisioning delay in simulated time', async () => {
    const { endpoint } = await start({ timeScale: 60, provisioningDelayS: 30, endpoint: { initialInstanceCount: 1 } });
    const started = performance.now();

    expect(endpoint.status().instances).toEqual({ pending: 1, inService: 0, terminating: 0 });
    await until(() => endpoint.status().instances.inService === 1, 'the instance to come into service');

    // 30 simulated seconds at 60× are 500 real milliseconds.
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
  });
});
