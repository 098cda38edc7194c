import { accepted, error, scriptedEndpoint } from '../support/scripted-endpoint';

const request = {
  inferenceId: '0123456789abcdef0123456789abcdef',
  inputLocation: 's3://articles/requests/aaaa/bbbb.json',
  contentType: 'application/json',
  accept: 'application/json',
  requestTtlSeconds: 3600,
  invocationTimeoutSeconds: 900,
};

describe('SageMakerInferenceQueue (InvokeEndpointAsync over HTTP)', () => {
  it('sends the request as SageMaker headers and returns the output and failure locations', async () => {
    const endpoint = await scriptedEndpoint([accepted]);
    try {
      const result = await endpoint.queue.submit(request);

      expect(result).toEqual({
        outputLocation: 's3://articles/outputs/2f4dcf85-01b8-418c-8c93-2b30fcdd1ab8.out',
        failureLocation: 's3://articles/failures/2f4dcf85-01b8-418c-8c93-2b30fcdd1ab8-error.out',
      });
      const [sent] = endpoint.seen;
      expect(sent?.method).toBe('POST');
      expect(sent?.url).toBe('/endpoints/research-summarizer-dev/async-invocations');
      expect(sent?.headers).toMatchObject({
        'x-amzn-sagemaker-inference-id': request.inferenceId,
        'x-amzn-sagemaker-inputlocation': request.inputLocation,
        'x-amzn-sagemaker-content-type': 'application/json',
        'x-amzn-sagemaker-accept': 'application/json',
        'x-amzn-sagemaker-requestttlseconds': '3600',
        'x-amzn-sagemaker-invocationtimeoutseconds': '900',
      });
    } finally {
      await endpoint.close();
    }
  });

  it('retries ServiceUnavailable and throttling with backoff until the endpoint accepts', async () => {
    const endpoint = await scriptedEndpoint([error(503, 'ServiceUnavailable'), error(400, 'ThrottlingException'), accepted]);
    try {
      await expect(endpoint.queue.submit(request)).resolves.toMatchObject({ outputLocation: expect.stringMatching(/\.out$/) });
      expect(endpoint.seen).toHaveLength(3);
    } finally {
      await endpoint.close();
    }
  });

  it('gives up after six attempts of InternalFailure and surfaces the named error', async () => {
    const endpoint = await scriptedEndpoint([error(500, 'InternalFailure')]);
    try {
      await expect(endpoint.queue.submit(request)).rejects.toMatchObject({ name: 'InternalFailure' });
      expect(endpoint.seen).toHaveLength(6);
    } finally {
      await endpoint.close();
    }
  });

  it('does not retry a ValidationError', async () => {
    const endpoint = await scriptedEndpoint([error(400, 'ValidationError')]);
    try {
      await expect(endpoint.queue.submit(request)).rejects.toMatchObject({
        name: 'ValidationError',
        message: 'ValidationError from the test endpoint',
      });
      expect(endpoint.seen).toHaveLength(1);
    } finally {
      await endpoint.close();
    }
  });
});
