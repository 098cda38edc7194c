import { localBundle } from '../../../local/bundles';
import { launchModelProcess, modelArgs } from '../../../local/model-server/launch';
import { manualClock } from '../../../local/sagemaker-async/clock';
import type { ModelInstance } from '../../../local/sagemaker-async/types';
import { InstanceFleet } from '../../../local/sagemaker-async/instances';
import type { RestartPolicy } from '../../../local/support/supervisor';
import type { StackConfig } from '../../../local/template/stack-config';
import { projectRoot } from '../../support/local-cloud';
import { until } from '../sagemaker-async/deadline';
import { endpointsOnRealS3 } from '../sagemaker-async/harness';

const stack = (limit?: string) =>
  ({ functions: { SubmitArticleLambdaFunction: { environment: limit ? { MAX_INPUT_TOKENS: limit } : {} } } }) as unknown as StackConfig;

describe('the local model’s input limit', () => {
  it('is the stack’s maxInputTokens, so the local model truncates where the deployed one does', () => {
    expect(modelArgs(stack('4096'), ['--mode', 'fixed'])).toEqual(['--max-input-tokens', '4096', '--mode', 'fixed']);
  });

  it('leaves a limit the caller set, and a stack without one, alone', () => {
    expect(modelArgs(stack('4096'), ['--max-input-tokens', '512'])).toEqual(['--max-input-tokens', '512']);
    expect(modelArgs(stack(), [])).toEqual([]);
  });
});

describe('model-server processes supervised by the endpoint’s fleet', () => {
  const bundle = localBundle(projectRoot, 'model-server');
  const launched: ModelInstance[] = [];
  const launcher = (args: string[]) => {
    const launch = launchModelProcess({ bundle, args });
    return async (instanceId: string) => {
      const model = await launch(instanceId);
      launched.push(model);
      return model;
    };
  };
  let fleet: InstanceFleet | undefined;
  const build = (args: string[], restartPolicy?: RestartPolicy, clock = manualClock()) =>
    new InstanceFleet({
      clock,
      provisioningDelayMs: 120_000,
      maxConcurrentPerInstance: 1,
      startupHealthCheckTimeoutMs: 30_000,
      launchInstance: launcher(args),
      log: () => undefined,
      onCapacity: () => undefined,
      ...(restartPolicy ? { restartPolicy } : {}),
    });
  afterEach(async () => {
    await fleet?.close();
    fleet = undefined;
    launched.length = 0;
  });

  it('replaces an instance whose process is killed while idle, without waiting for a request to find it', async () => {
    // Prepare
    const clock = manualClock();
    fleet = build(['--mode', 'fixed'], undefined, clock);
    fleet.setDesired(1, { alreadyProvisioned: true });
    await until(() => fleet?.count('InService') === 1, 'the instance in service');
    const [first] = fleet.status();

    // Act
    process.kill(launched[0]?.pid as number, 'SIGKILL');
    await until(() => fleet?.count('Pending') === 1, 'a replacement to be launched');
    clock.advance(120_000);
    await until(() => fleet?.count('InService') === 1, 'the replacement in service');

    // Assess
    expect(fleet.status().map((i) => i.instanceId)).not.toContain(first?.instanceId);
    expect(fleet.supervision()).toMatchObject({ name: 'model servers', state: 'running', restarts: 1, lastExit: { signal: 'SIGKILL' } });
  });

  it('stops launching model servers that die at start-up once they crash-loop, and says why', async () => {
    // Prepare: every process exits before it listens.
    fleet = build(['--fail-start-rate', '1'], { firstDelayMs: 10, maxDelayMs: 10, maxCrashesInARow: 3 });

    // Act
    fleet.setDesired(2);
    await until(() => fleet?.supervision().state === 'failed', 'the fleet to give up', { timeoutMs: 30_000 });

    // Assess
    expect(fleet.supervision()).toMatchObject({ state: 'failed', restarts: 0, crashesInARow: 3 });
    expect(fleet.supervision().reason).toMatch(/model servers crashed 3 times in a row .*exited with 1 before listening/);
    expect(fleet.status()).toEqual([]);
  });
});

describe('a model-server process killed mid-request behind the endpoint', () => {
  const { start } = endpointsOnRealS3();

  it('completes the request on the instance that replaces it', async () => {
    // Prepare: a model slow enough to be killed while it works.
    const launched: ModelInstance[] = [];
    const launch = launchModelProcess({
      bundle: localBundle(projectRoot, 'model-server'),
      args: ['--mode', 'fixed', '--latency-ms', '3000'],
    });
    const { invoke, notification, endpoint } = await start({
      launchInstance: async (id) => {
        const model = await launch(id);
        launched.push(model);
        return model;
      },
    });
    await until(() => endpoint.status().instances.inService === 1, 'the instance in service');
    await invoke({
      Body: Buffer.from('{"inputs":"The council met. It voted. The vote passed."}'),
      ContentType: 'application/json',
      InferenceId: 'killed-mid-request',
    });
    await until(() => endpoint.status().instanceDetails[0]?.inFlight === 1, 'the request at the model');

    // Act
    process.kill(launched[0]?.pid as number, 'SIGKILL');
    const published = await notification('killed-mid-request', 30_000);

    // Assess
    expect(published.message).toMatchObject({ invocationStatus: 'Completed' });
    expect(launched).toHaveLength(2);
    expect(endpoint.status().modelServers).toMatchObject({ restarts: 1, lastExit: { signal: 'SIGKILL' } });
  });
});
