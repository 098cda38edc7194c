import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startEndpoint, type EndpointUnderTest } from './harness';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

/** A raw HTTP exchange, for what the SDK does not show (status line, headers) or does not send. */
const raw = (url: string, method: string, path: string, headers: Record<string, string>, body = '') =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });

// No instances: every accepted request simply waits in the queue, so these tests see only the wire.
const queueOnly = { scaling: { minCapacity: 0, maxCapacity: 0 }, endpoint: { initialInstanceCount: 0 } };

describe('InvokeEndpointAsync on the wire, through @aws-sdk/client-sagemaker-runtime', () => {
  let sut: EndpointUnderTest;
  beforeAll(async () => {
    sut = await startEndpoint(queueOnly);
  });
  afterAll(async () => sut.dispose());

  it('answers 202 with the given InferenceId and both locations, after journaling the request', async () => {
    // Act
    const reply = await sut.invoke({
      InputLocation: 's3://articles/requests/a b.json',
      InferenceId: 'inference-1',
      ContentType: 'application/json',
    });

    // Assess
    expect(reply.$metadata.httpStatusCode).toBe(202);
    expect(reply.$metadata.requestId).toMatch(new RegExp(`^${UUID}$`));
    expect(reply.InferenceId).toBe('inference-1');
    const id = new RegExp(`^s3://articles/outputs/(${UUID})\\.out$`).exec(reply.OutputLocation ?? '')?.[1];
    expect(id).toBeDefined();
    expect(reply.FailureLocation).toBe(`s3://articles/failures/${id}-error.out`);
    const journal = readFileSync(join(sut.stateDir, 'journal.jsonl'), 'utf-8');
    expect(journal).toContain('"inferenceId":"inference-1"');
    expect(journal).toContain('"inputLocation":"s3://articles/requests/a b.json"');
  });

  it('generates a UUID InferenceId when the caller sends none, and a fresh output key every time', async () => {
    const first = await sut.invoke({ InputLocation: 's3://articles/requests/x.json' });
    const second = await sut.invoke({ InputLocation: 's3://articles/requests/x.json' });

    expect(first.InferenceId).toMatch(new RegExp(`^${UUID}$`));
    expect(second.InferenceId).not.toBe(first.InferenceId);
    expect(second.OutputLocation).not.toBe(first.OutputLocation);
  });

  it('accepts an inline Body of 128,000 bytes and stores it beside the journal', async () => {
    const body = Buffer.alloc(128_000, 'a');

    const reply = await sut.invoke({ Body: body, ContentType: 'application/json' });

    expect(reply.$metadata.httpStatusCode).toBe(202);
    const id = /([0-9a-f-]{36})\.out$/.exec(reply.OutputLocation ?? '')?.[1];
    const stored = join(sut.stateDir, 'bodies', `${id}.bin`);
    expect(existsSync(stored) && readFileSync(stored).equals(body)).toBe(true);
  });

  it.each([
    [
      'an unknown endpoint',
      { EndpointName: 'no-such-endpoint', InputLocation: 's3://articles/x' },
      'Endpoint no-such-endpoint of account 000000000000 not found.',
    ],
    ['neither InputLocation nor Body', {}, 'Body and InputLocation are mutually exclusive. Provide exactly one of them.'],
    [
      'both InputLocation and Body',
      { InputLocation: 's3://articles/x', Body: Buffer.from('{}') },
      'Body and InputLocation are mutually exclusive. Provide exactly one of them.',
    ],
    [
      'a RequestTTLSeconds below 60',
      { InputLocation: 's3://articles/x', RequestTTLSeconds: 30 },
      "1 validation error detected: Value '30' at 'requestTTLSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    ],
    [
      'a RequestTTLSeconds above 21600',
      { InputLocation: 's3://articles/x', RequestTTLSeconds: 21_601 },
      "1 validation error detected: Value '21601' at 'requestTTLSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600",
    ],
    [
      'an InvocationTimeoutSeconds above 3600',
      { InputLocation: 's3://articles/x', InvocationTimeoutSeconds: 3_601 },
      "1 validation error detected: Value '3601' at 'invocationTimeoutSeconds' failed to satisfy constraint: Member must have value less than or equal to 3600",
    ],
    [
      'a Body over 128,000 bytes',
      { Body: Buffer.alloc(128_001, 'a') },
      "1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to 128000",
    ],
    [
      'an InputLocation that is not an S3 URI',
      { InputLocation: 'ftp://articles/x' },
      "1 validation error detected: Value 'ftp://articles/x' at 'inputLocation' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$",
    ],
    [
      'an InferenceId longer than 64 characters',
      { InputLocation: 's3://articles/x', InferenceId: 'i'.repeat(65) },
      `1 validation error detected: Value '${'i'.repeat(65)}' at 'inferenceId' failed to satisfy constraint: Member must have length less than or equal to 64`,
    ],
    [
      'a non-ASCII InferenceId and a timeout of 0',
      { InputLocation: 's3://articles/x', InferenceId: 'caf\u00e9', InvocationTimeoutSeconds: 0 },
      "2 validation errors detected: Value 'caf\u00e9' at 'inferenceId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\A\\S[\\p{Print}]*\\z$; " +
        "Value '0' at 'invocationTimeoutSeconds' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
  ])('rejects %s with a ValidationError the SDK parses', async (_case, input, message) => {
    const before = sut.endpoint.status().totals.accepted;

    const attempt = sut.invoke(input);

    await expect(attempt).rejects.toMatchObject({ name: 'ValidationError', message, $fault: 'client', $metadata: { httpStatusCode: 400 } });
    expect(sut.endpoint.status().totals.accepted).toBe(before);
  });

  it('answers an unknown route with 404 and a named error body', async () => {
    const reply = await raw(sut.url, 'GET', '/endpoints/research-summarizer-test/async-invocations', {});

    expect(reply.status).toBe(404);
    expect(reply.headers['x-amzn-errortype']).toBe('UnknownOperationException');
    expect(JSON.parse(reply.body)).toMatchObject({ __type: 'UnknownOperationException', message: expect.stringContaining('GET') });
  });

  it('takes the request as AWS CLI v2 sends it: no x-amz-content-sha256, percent-encoded name, identity encoding', async () => {
    const reply = await raw(sut.url, 'POST', '/endpoints/research%2Dsummarizer%2Dtest/async-invocations', {
      'accept-encoding': 'identity',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=0',
      'x-amzn-sagemaker-inputlocation': 's3://articles/requests/cli.json',
      'x-amzn-sagemaker-inference-id': 'from-the-cli',
    });

    expect(reply.status).toBe(202);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(reply.body)).toEqual({ InferenceId: 'from-the-cli' });
    expect(reply.headers['x-amzn-sagemaker-outputlocation']).toMatch(/^s3:\/\/articles\/outputs\/.+\.out$/);
  });
});

describe('InvokeEndpointAsync without S3FailurePath', () => {
  it('sends no FailureLocation', async () => {
    const sut = await startEndpoint({ ...queueOnly, endpoint: { ...queueOnly.endpoint, s3FailurePath: undefined } });
    try {
      const reply = await sut.invoke({ InputLocation: 's3://articles/requests/x.json' });

      expect(reply.OutputLocation).toMatch(/^s3:\/\/articles\/outputs\//);
      expect(reply.FailureLocation).toBeUndefined();
      expect(readdirSync(sut.stateDir)).toContain('journal.jsonl');
    } finally {
      await sut.dispose();
    }
  });
});
