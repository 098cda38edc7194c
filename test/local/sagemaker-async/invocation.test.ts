import { loadEvent } from '../../support/events';
import { until } from './deadline';
import { echo, FakeModels } from './fake-models';
import { endpointsOnRealS3, ERROR_TOPIC, getObject, putInput, SUCCESS_TOPIC } from './harness';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const SUMMARY = '[{"summary_text":"A short summary."}]';

describe('an async endpoint processing requests against real S3 (s3rver) and fake model servers', () => {
  const { s3, start } = endpointsOnRealS3();

  it('writes the model response at OutputLocation and publishes the documented success notification', async () => {
    // Prepare
    const models = new FakeModels(() => ({ status: 200, contentType: 'application/json; charset=utf-8', body: SUMMARY }));
    const { invoke, notification } = await start({ models });
    await putInput(s3(), 'requests/2026 11/a b.json', '{"inputs":"text"}');

    // Act
    const accepted = await invoke({
      InputLocation: 's3://articles/requests/2026 11/a b.json',
      InferenceId: 'inference-ok',
      ContentType: 'application/json',
      Accept: 'application/json',
      CustomAttributes: 'trace=1',
    });
    const published = await notification('inference-ok');

    // Assess: the object, the model call, then the message field by field in the documented order.
    await expect(getObject(s3(), accepted.OutputLocation ?? '')).resolves.toEqual({
      body: SUMMARY,
      contentType: 'application/json; charset=utf-8',
    });
    const [call] = models.calls;
    expect(call?.body.toString()).toBe('{"inputs":"text"}');
    expect(call?.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      'x-amzn-sagemaker-custom-attributes': 'trace=1',
    });
    expect(published.topicArn).toBe(SUCCESS_TOPIC);
    const documented = loadEvent('sagemaker/inference-success-captured.json');
    const message = published.message;
    expect(Object.keys(message)).toEqual(Object.keys(documented));
    expect(Object.keys(message.requestParameters as object)).toEqual(Object.keys(documented.requestParameters as object));
    expect(Object.keys(message.responseParameters as object)).toEqual(Object.keys(documented.responseParameters as object));
    expect(message).toEqual({
      awsRegion: 'us-east-1',
      eventTime: expect.stringMatching(ISO_MS),
      receivedTime: expect.stringMatching(ISO_MS),
      invocationStatus: 'Completed',
      requestParameters: {
        accept: 'application/json',
        contentType: 'application/json',
        endpointName: 'research-summarizer-test',
        inputLocation: 's3://articles/requests/2026 11/a b.json',
      },
      responseParameters: { contentType: 'application/json; charset=utf-8', outputLocation: accepted.OutputLocation },
      inferenceId: 'inference-ok',
      eventVersion: '1.0',
      eventSource: 'aws:sagemaker',
      eventName: 'InferenceResult',
    });
    expect(Date.parse(message.eventTime as string)).toBeGreaterThanOrEqual(Date.parse(message.receivedTime as string));
  });

  it('on a 500 from the model, writes its body at FailureLocation and publishes the error notification', async () => {
    const models = new FakeModels(() => ({ status: 500, contentType: 'application/json', body: '{"message":"CUDA out of memory"}' }));
    const { invoke, notification, endpoint } = await start({ models });
    await putInput(s3(), 'requests/fail.json', '{}');

    const accepted = await invoke({ InputLocation: 's3://articles/requests/fail.json', InferenceId: 'inference-500' });
    const published = await notification('inference-500');

    expect(published.topicArn).toBe(ERROR_TOPIC);
    const documented = loadEvent('sagemaker/inference-failure.json');
    const expectedKeys = Object.keys(documented);
    // The emulator adds responseParameters.failureLocation after requestParameters (a documented choice).
    expectedKeys.splice(expectedKeys.indexOf('requestParameters') + 1, 0, 'responseParameters');
    expect(Object.keys(published.message)).toEqual(expectedKeys);
    expect(published.message).toMatchObject({
      invocationStatus: 'Failed',
      failureReason: documented.failureReason,
      requestParameters: { endpointName: 'research-summarizer-test', inputLocation: 's3://articles/requests/fail.json' },
      responseParameters: { contentType: 'application/json', failureLocation: accepted.FailureLocation },
    });
    await expect(getObject(s3(), accepted.FailureLocation ?? '')).resolves.toMatchObject({ body: '{"message":"CUDA out of memory"}' });
    const datapoints = await until(
      () => (endpoint.metrics().some((d) => d.InvocationFailures === 1) ? endpoint.metrics() : undefined),
      'an InvocationFailures datapoint',
    );
    expect(datapoints.reduce((n, d) => n + d.InvocationFailures, 0)).toBe(1);
    expect(endpoint.status().totals).toMatchObject({ accepted: 1, failed: 1, completed: 0 });
  });

  it('reports a 4xx from the model as a client error', async () => {
    const { invoke, notification } = await start({ models: new FakeModels(() => ({ status: 400, body: 'unsupported content type' })) });

    await invoke({ Body: Buffer.from('plain text'), ContentType: 'text/plain', InferenceId: 'inference-400' });
    const published = await notification('inference-400');

    expect(published.message.failureReason).toBe(
      'ClientError: Received client error (400) from model. See the SageMaker Endpoint logs in your account for more information.',
    );
  });

  it('fails an invocation that outlives InvocationTimeoutSeconds, in real time, with a timeout reason', async () => {
    const { invoke, notification, endpoint } = await start({
      models: new FakeModels(() => ({ status: 200, body: SUMMARY, delayMs: 5_000 })),
    });
    const started = performance.now();

    const accepted = await invoke({ Body: Buffer.from('{}'), InvocationTimeoutSeconds: 1, InferenceId: 'inference-slow' });
    const published = await notification('inference-slow');

    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(published.message.failureReason).toMatch(/timed out/);
    expect(published.message.failureReason).not.toMatch(/expired/);
    await expect(getObject(s3(), accepted.FailureLocation ?? '')).resolves.toMatchObject({ body: expect.stringMatching(/timed out/) });
    expect(endpoint.status().totals.failed).toBe(1);
  });

  it('fails a request whose input object does not exist, counting RequestDownloadFailures', async () => {
    const { invoke, notification, endpoint, models } = await start();

    await invoke({ InputLocation: 's3://articles/requests/missing.json', InferenceId: 'inference-missing' });
    const published = await notification('inference-missing');

    expect(published.message.failureReason).toMatch(
      /^ClientError: Failed to download .*s3:\/\/articles\/requests\/missing\.json.*NoSuchKey/,
    );
    expect(models.calls).toHaveLength(0);
    await until(() => endpoint.metrics().some((d) => d.RequestDownloadFailures === 1), 'a RequestDownloadFailures datapoint');
  });

  it('refuses an input object over the payload limit without reading it into memory or calling the model', async () => {
    const { invoke, notification, models } = await start({ maxInputBytes: 1_000 });
    await putInput(s3(), 'requests/big.json', Buffer.alloc(5_000, 'x'));
    await putInput(s3(), 'requests/at-limit.json', Buffer.alloc(1_000, 'y'));

    await invoke({ InputLocation: 's3://articles/requests/big.json', InferenceId: 'inference-big' });
    await invoke({ InputLocation: 's3://articles/requests/at-limit.json', InferenceId: 'inference-at-limit' });
    const big = await notification('inference-big');
    const atLimit = await notification('inference-at-limit');

    expect(big.message.failureReason).toMatch(
      /^ClientError: The request payload at s3:\/\/articles\/requests\/big\.json is 5000 bytes or more; .*up to 1 GB \(1000 bytes\)/,
    );
    expect(atLimit.message.invocationStatus).toBe('Completed');
    expect(models.calls).toHaveLength(1);
  });

  it('puts the response in the notification when IncludeInferenceResponseIn names the topic', async () => {
    const { invoke, notification } = await start({
      endpoint: { includeInferenceResponseIn: ['SUCCESS_NOTIFICATION_TOPIC'] },
      models: new FakeModels(() => ({ status: 200, contentType: 'application/json', body: SUMMARY })),
    });

    await invoke({ Body: Buffer.from('{"inputs":"x"}'), InferenceId: 'inference-inline' });
    const { message } = await notification('inference-inline');

    expect(Object.keys(message).slice(-5)).toEqual(['responseBody', 'inferenceId', 'eventVersion', 'eventSource', 'eventName']);
    expect(message.responseBody).toEqual({
      content: Buffer.from(SUMMARY).toString('base64'),
      message: 'Check S3 path location(if configured) or Cloudwatch for additional details.',
      encoding: 'BASE64',
    });
    expect((message.requestParameters as { inputLocation: string }).inputLocation).toBe(
      'inline://research-summarizer-test/inference-inline',
    );
  });

  it('counts a rejected publish as a NotificationFailure and keeps the output in S3', async () => {
    const { invoke, endpoint } = await start({
      publish: async () => {
        throw new Error('AuthorizationError: not allowed to publish');
      },
    });

    const accepted = await invoke({ Body: Buffer.from('{"inputs":"kept"}'), InferenceId: 'inference-unheard' });
    await until(() => endpoint.drained() && endpoint.status().totals.notificationFailures === 1, 'the request to finish');

    await expect(getObject(s3(), accepted.OutputLocation ?? '')).resolves.toMatchObject({ body: '{"inputs":"kept"}' });
    await until(() => endpoint.metrics().some((d) => d.NotificationFailures === 1), 'a NotificationFailures datapoint');
    expect(endpoint.status().totals).toMatchObject({ completed: 1, notificationFailures: 1 });
  });

  it('never runs more than instances × MaxConcurrentInvocationsPerInstance at once, least-loaded first', async () => {
    // 200 ms per call: all four slots fill even when a busy machine spreads the 24 arrivals out (at
    // 30 ms, arrivals more than 7 ms apart could leave a slot idle and the peak below 4).
    const models = new FakeModels((call) => ({ ...echo(call), delayMs: 200 }));
    const { invoke, endpoint } = await start({
      models,
      endpoint: { initialInstanceCount: 2, maxConcurrentInvocationsPerInstance: 2 },
      scaling: { minCapacity: 2, maxCapacity: 2 },
    });
    await until(() => endpoint.status().instances.inService === 2, 'two instances in service');

    await Promise.all(Array.from({ length: 24 }, (_, i) => invoke({ Body: Buffer.from(`{"n":${i}}`) })));
    await until(() => endpoint.drained() && endpoint.status().totals.completed === 24, 'all 24 to complete');

    expect(models.maxConcurrent).toBe(4);
    expect([...models.maxConcurrentPerInstance.values()]).toEqual([2, 2]);
    expect(new Set(models.calls.map((c) => c.instanceId)).size).toBe(2);
  });

  it('hands requests to a single slot in the order they were accepted', async () => {
    const models = new FakeModels((call) => ({ ...echo(call), delayMs: 5 }));
    const { invoke, endpoint } = await start({ models });

    for (let i = 0; i < 12; i++) await invoke({ Body: Buffer.from(String(i)), InferenceId: `fifo-${i}` });
    await until(() => endpoint.drained() && endpoint.status().totals.completed === 12, 'all 12 to complete');

    expect(models.calls.map((c) => c.body.toString())).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    expect(models.maxConcurrent).toBe(1);
  });

  it('replaces an instance that dies mid-request and completes the request on its replacement', async () => {
    const models = new FakeModels((call) => (call.n === 1 ? { crash: true, delayMs: 20 } : echo(call)));
    const { invoke, notification, endpoint } = await start({ models });

    const accepted = await invoke({ Body: Buffer.from('{"inputs":"survives"}'), InferenceId: 'inference-crash' });
    const published = await notification('inference-crash');

    expect(published.message.invocationStatus).toBe('Completed');
    await expect(getObject(s3(), accepted.OutputLocation ?? '')).resolves.toMatchObject({ body: '{"inputs":"survives"}' });
    expect(models.launched).toHaveLength(2);
    expect(models.calls.map((c) => c.instanceId)).toEqual(models.launched);
    expect(endpoint.status().instances).toEqual({ pending: 0, inService: 1, terminating: 0 });
  });
});
