import { loadRecordConfig, loadSubmitConfig } from '../../adapters/config';
import { ConfigError } from '../../core/errors';
import {
  articleIdFor,
  inferenceIdFor,
  parseRequestLocation,
  parseStepInferenceId,
  partStep,
  reduceStep,
  requestKeyFor,
  s3Url,
  stepInferenceIdFor,
} from '../../core/ids';
import { normalizeSequencer } from '../../core/ledger';

describe('ids', () => {
  it('derives the same inference id for the same revision, and a new one for new content', () => {
    const a = inferenceIdFor('bucket', 'input/a.txt', 'etag-1');

    expect(inferenceIdFor('bucket', 'input/a.txt', 'etag-1')).toBe(a);
    expect(inferenceIdFor('bucket', 'input/a.txt', 'etag-2')).not.toBe(a);
    expect(inferenceIdFor('other', 'input/a.txt', 'etag-1')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  it('finds the article and inference again from a request location', () => {
    const articleId = articleIdFor('bucket', 'input/日本 report.txt');
    const inferenceId = inferenceIdFor('bucket', 'input/日本 report.txt', 'e');
    const location = s3Url('bucket', requestKeyFor('requests/', articleId, inferenceId));

    expect(location).toMatch(/^[\x20-\x7e]+$/); // ASCII: the SDK cannot send anything else in InputLocation
    expect(parseRequestLocation(location)).toEqual({ articleId, inferenceId });
    expect(parseRequestLocation('s3://bucket/input/data.csv')).toBeUndefined();
  });

  it('names each step of a long article after its attempt, within 64 characters, and maps its request back to the article', () => {
    const articleId = articleIdFor('bucket', 'input/long.txt');
    const inferenceId = inferenceIdFor('bucket', 'input/long.txt', 'e');
    const steps = [partStep(1), partStep(250), reduceStep(1, 3), reduceStep(12, 999)];

    for (const step of steps) {
      const id = stepInferenceIdFor(inferenceId, step);
      expect(id.length).toBeLessThanOrEqual(64);
      expect(id).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/); // InferenceId pattern (sagemaker-runtime Smithy model)
      expect(parseStepInferenceId(id)).toEqual({ inferenceId, step });
      expect(parseRequestLocation(s3Url('bucket', requestKeyFor('requests/', articleId, id)))).toEqual({ articleId, inferenceId: id });
    }
    expect(stepInferenceIdFor(inferenceId, partStep(3))).toBe(`${inferenceId}-p3`);
    expect(parseStepInferenceId(inferenceId)).toBeUndefined();
    expect(parseStepInferenceId(`${inferenceId}-p0`)).toBeUndefined();
    expect(parseRequestLocation(`s3://bucket/requests/${articleId}/${inferenceId}-x1.json`)).toBeUndefined();
  });

  it('orders S3 sequencers of different lengths by left-padding', () => {
    const shorter = normalizeSequencer('FF') as string;
    const longer = normalizeSequencer('0100') as string;

    expect(shorter < longer).toBe(true);
  });
});

describe('configuration', () => {
  const env = {
    LEDGER_TABLE: 'ledger',
    ARTICLES_BUCKET: 'articles',
    INPUT_PREFIX: 'input/',
    REQUESTS_PREFIX: 'requests/',
    ENDPOINT_NAME: 'research-summarizer-dev',
    MODEL_ID: 'google/pegasus-cnn_dailymail',
    MAX_ARTICLE_BYTES: '1048576',
    ARTICLE_EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:research-summarizer-dev-article-events',
    INSTANCE_PRICE_PER_HOUR: '0.23',
    MAX_CONCURRENT_INVOCATIONS_PER_INSTANCE: '2',
  };

  it('reads the submit settings with SageMaker defaults for TTL and timeout', () => {
    expect(loadSubmitConfig(env)).toMatchObject({
      maxArticleBytes: 1048576,
      requestTtlSeconds: 21600,
      invocationTimeoutSeconds: 900,
      endpointName: 'research-summarizer-dev',
    });
  });

  it('names every missing or invalid variable', () => {
    const bad = { ...env, ENDPOINT_NAME: undefined, REQUEST_TTL_SECONDS: '30', INPUT_PREFIX: 'input' };

    expect(() => loadSubmitConfig(bad)).toThrow(ConfigError);
    expect(() => loadSubmitConfig(bad)).toThrow('ENDPOINT_NAME is not set');
    expect(() => loadSubmitConfig(bad)).toThrow('REQUEST_TTL_SECONDS="30": Too small');
    expect(() => loadSubmitConfig(bad)).toThrow('INPUT_PREFIX="input": must end with /');
  });

  it('reads what record-result needs to send reduce steps, with the model input limit and summary length defaults', () => {
    const recordEnv = {
      LEDGER_TABLE: 't',
      ARTICLES_BUCKET: 'articles',
      REQUESTS_PREFIX: 'requests/',
      ENDPOINT_NAME: 'e',
      INSTANCE_PRICE_PER_HOUR: '0.23',
      MAX_CONCURRENT_INVOCATIONS_PER_INSTANCE: '2',
      ARTICLE_EVENTS_TOPIC_ARN: 'arn:aws-cn:sns:cn-north-1:123456789012:research-summarizer-dev-article-events',
    };

    expect(loadRecordConfig(recordEnv)).toEqual({
      ledgerTable: 't',
      articlesBucket: 'articles',
      endpointName: 'e',
      requestsPrefix: 'requests/',
      summariesPrefix: 'summaries/',
      requestTtlSeconds: 21600,
      invocationTimeoutSeconds: 900,
      maxInputTokens: 1024,
      longSummaryWords: 200,
      articleEventsTopicArn: 'arn:aws-cn:sns:cn-north-1:123456789012:research-summarizer-dev-article-events',
      eventsPrefix: 'events/',
      cost: { instancePricePerHour: 0.23, concurrency: 2 },
    });
    expect(() => loadRecordConfig({ ...recordEnv, ARTICLE_EVENTS_TOPIC_ARN: 'research-summarizer-dev-article-events' })).toThrow(
      'ARTICLE_EVENTS_TOPIC_ARN="research-summarizer-dev-article-events": must be an SNS topic ARN',
    );
    expect(() => loadRecordConfig({})).toThrow('invalid configuration: LEDGER_TABLE is not set');
    expect(() => loadRecordConfig({ ...recordEnv, INSTANCE_PRICE_PER_HOUR: undefined })).toThrow('INSTANCE_PRICE_PER_HOUR is not set');
    expect(() => loadSubmitConfig({ ...env, MAX_INPUT_TOKENS: '10' })).toThrow('MAX_INPUT_TOKENS="10": Too small');
    expect(loadSubmitConfig({ ...env, MAX_INPUT_TOKENS: '4096', LONG_SUMMARY_WORDS: '150' })).toMatchObject({
      maxInputTokens: 4096,
      longSummaryWords: 150,
    });
  });
});
