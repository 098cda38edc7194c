import { decodeS3Key, parseNotifications, parseUploads } from '../../adapters/events';
import { InvalidEventError } from '../../core/errors';
import { loadEvent, s3PutEvent, sagemakerMessage, snsEvent, type SageMakerMessage } from '../support/events';

describe('parseUploads (S3 event notifications)', () => {
  it('reads the documented put event', () => {
    const uploads = parseUploads(loadEvent('s3/put.json'));

    expect(uploads).toEqual([
      {
        bucket: 'lambda-artifacts-deafc19498e3f2df',
        key: 'b21b84d653bb07b05b1e6b33684dc11b',
        bytes: 1305107,
        etag: 'b21b84d653bb07b05b1e6b33684dc11b',
        sequencer: '0C0F6F405D6ED209E1',
        eventName: 'ObjectCreated:Put',
        eventTime: '2019-09-03T19:37:27.192Z',
      },
    ]);
  });

  it.each([
    ['input/Q3+summary.txt', 'input/Q3 summary.txt'],
    ['input/a%2Bb.txt', 'input/a+b.txt'],
    ['input/100%25+done.txt', 'input/100% done.txt'],
    ['input/caf%C3%A9/%E6%97%A5%E6%9C%AC.txt', 'input/café/日本.txt'],
  ])('decodes the S3-encoded key %s to %s', (encoded, decoded) => {
    expect(decodeS3Key(encoded)).toBe(decoded);
  });

  it('round-trips keys encoded the way S3 encodes them', () => {
    const key = 'input/odd name + 50% ü/(draft) #1.txt';
    const event = s3PutEvent({ bucket: 'b', key, size: 1, eTag: 'e' });

    expect(parseUploads(event)[0]?.key).toBe(key);
  });

  it('refuses a key that is not validly encoded', () => {
    expect(() => decodeS3Key('input/%E6%97.txt')).toThrow(InvalidEventError);
  });

  it('refuses something that is not an S3 event', () => {
    expect(() => parseUploads({ Records: [{ hello: 1 }] })).toThrow(InvalidEventError);
  });
});

describe('parseNotifications (SNS-wrapped SageMaker async notifications)', () => {
  it('reads the documented success message', () => {
    const [n] = parseNotifications(snsEvent(loadEvent('sagemaker/inference-success-doc.json')));

    expect(n).toEqual({
      status: 'Completed',
      inferenceId: '11111111-2222-3333-4444-555555555555',
      endpointName: '<example-endpoint>',
      inputLocation: 's3://<bucket>/<input-directory>/input-data.csv',
      receivedTime: '2022-01-25T22:46:00.455Z',
      eventTime: '2022-01-25T22:46:00.608Z',
      outputLocation: 's3://<bucket>/<output_directory>/prediction.out',
    });
  });

  it('reads a captured success message, whose input location is raw (spaces kept)', () => {
    const [n] = parseNotifications(snsEvent(loadEvent('sagemaker/inference-success-captured.json')));

    expect(n?.inputLocation).toBe('s3://ecomragdev/models/embed/inputs/30258695110750-shopifyProductImage-2024-03-29 03:48:03.json');
    expect(n?.outputLocation).toBe('s3://ecomragdev/models/embed/outputs/dd334eb2-0276-4107-972a-280e0eecfd30.out');
  });

  it('reads the failure message with its reason', () => {
    const [n] = parseNotifications(snsEvent(loadEvent('sagemaker/inference-failure.json')));

    expect(n?.status).toBe('Failed');
    expect(n?.failureReason).toMatch(/^ClientError: Received server error \(500\) from model/);
    expect(n?.outputLocation).toBeUndefined();
  });

  it('decodes a base64 inline response', () => {
    const message = sagemakerMessage('inference-success-doc.json', { inferenceId: 'i', inputLocation: 's3://b/k' });
    message.responseBody = { content: Buffer.from('[{"summary_text":"s"}]').toString('base64'), encoding: 'BASE64' };

    expect(parseNotifications(snsEvent(message))[0]?.inlineResponse).toBe('[{"summary_text":"s"}]');
  });

  it('reads a success message whose responseBody has no content (over 128 KB) as one without an inline response', () => {
    const message = loadEvent<SageMakerMessage>('sagemaker/inference-success-captured.json');
    message.responseBody = { message: 'Check S3 path location(if configured) or Cloudwatch for additional details.' };

    const [n] = parseNotifications(snsEvent(message));

    expect(n?.inlineResponse).toBeUndefined();
    expect(n?.outputLocation).toBe('s3://ecomragdev/models/embed/outputs/dd334eb2-0276-4107-972a-280e0eecfd30.out');
  });

  it('reports which record is malformed', () => {
    const good = loadEvent('sagemaker/inference-success-doc.json');

    expect(() => parseNotifications(snsEvent(good, { invocationStatus: 'Completed' }))).toThrow(InvalidEventError);
  });
});
