import { manualClock, type ManualClock } from '../../../local/sagemaker-async/clock';
import { InstanceFleet } from '../../../local/sagemaker-async/instances';
import { until } from './deadline';
import { FakeModels } from './fake-models';

describe('the instance fleet behind the variant', () => {
  let clock: ManualClock;
  let models: FakeModels;
  let fleet: InstanceFleet;
  const build = (launchInstance = (id: string) => models.launch(id)) =>
    new InstanceFleet({
      clock,
      provisioningDelayMs: 120_000,
      maxConcurrentPerInstance: 1,
      startupHealthCheckTimeoutMs: 5_000,
      launchInstance,
      log: () => undefined,
      onCapacity: () => undefined,
    });
  const states = () => fleet.status().map((i) => i.state);
  beforeEach(() => {
    clock = manualClock();
    models = new FakeModels();
  });
  afterEach(async () => {
    await fleet.close();
    await models.closeAll();
  });

  it('keeps a new instance Pending until the provisioning delay has passed and /ping answers', async () => {
    fleet = build();
    fleet.setDesired(1);
    await until(() => models.launched.length === 1, 'the process to start');

    clock.advance(119_999);
    const early = states();
    clock.advance(1);
    await until(() => fleet.count('InService') === 1, 'the instance to come into service');

    expect(early).toEqual(['Pending']);
  });

  it('lets a terminating instance finish its in-flight request before stopping it, and gives it no more work', async () => {
    fleet = build();
    fleet.setDesired(1);
    clock.advance(120_000);
    await until(() => fleet.count('InService') === 1, 'the instance to come into service');
    const busy = fleet.lease();

    fleet.setDesired(0);
    const whileBusy = { states: states(), stopped: [...models.stopped], lease: fleet.lease() };
    fleet.release(busy as NonNullable<typeof busy>);
    await until(() => models.stopped.length === 1, 'the instance to be stopped');

    expect(whileBusy).toEqual({ states: ['Terminating'], stopped: [], lease: undefined });
    expect(fleet.status()).toEqual([]);
  });

  it('scales in Pending instances first, then idle ones, keeping the busy one', async () => {
    fleet = build();
    fleet.setDesired(2);
    clock.advance(120_000);
    await until(() => fleet.count('InService') === 2, 'two instances in service');
    const busy = fleet.lease();
    fleet.setDesired(3);

    fleet.setDesired(1);

    expect(fleet.status().filter((i) => i.state !== 'Terminating')).toEqual([
      expect.objectContaining({ instanceId: busy?.id, state: 'InService', inFlight: 1 }),
    ]);
  });

  it('retries a launch that failed, with the same instance id', async () => {
    let attempts = 0;
    fleet = build(async (id) => {
      attempts++;
      if (attempts === 1) throw new Error('model server exited with code 1');
      return models.launch(id);
    });

    fleet.setDesired(1);
    clock.advance(120_000);
    await until(() => fleet.count('InService') === 1, 'the relaunched instance to come into service', { timeoutMs: 5_000 });

    expect(attempts).toBe(2);
    expect(models.launched).toEqual([fleet.status()[0]?.instanceId]);
  });
});
