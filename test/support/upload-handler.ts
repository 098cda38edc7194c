import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { S3ArticleStore, S3OutputReader } from '../../adapters/s3-articles';
import { longArticlePolicy } from '../../core/long-article/policy';
import type { LongArticlePolicy } from '../../core/long-article/steps';
import { articleIdFor } from '../../core/ids';
import type { LedgerRow } from '../../core/ledger';
import type { Clock } from '../../core/ports';
import type { SubmitSettings } from '../../core/submit-article';
import type { RecordDeps } from '../../core/record-result';
import { makeOnUpload } from '../../functions/submit-article/on-upload';
import type { Emulators } from './emulators';
import { s3PutEvent } from './events';
import { fixedClock, RecordingInferenceQueue, silentLogger } from './fakes';

export const testSettings: SubmitSettings = {
  inputPrefix: 'input/',
  requestsPrefix: 'requests/',
  modelId: 'google/pegasus-cnn_dailymail',
  maxArticleBytes: 10_000,
  maxDocumentBytes: 10_000,
  maxDocumentWords: 200_000,
  extractedPrefix: 'extracted/',
  requestTtlSeconds: 3600,
  invocationTimeoutSeconds: 900,
};

export const testSummariesPrefix = 'summaries/';

/** The pipeline's policy at PEGASUS's input limit. */
export const testPolicy: LongArticlePolicy = longArticlePolicy({ maxInputTokens: 1024, longSummaryWords: 200 });

/** record-result's dependencies on the real S3 and DynamoDB adapters, sending to `queue`. */
export const recordDepsOn = (
  emu: Emulators,
  clock: Clock,
  queue: RecordingInferenceQueue,
  policy: LongArticlePolicy = testPolicy,
): RecordDeps => ({
  outputs: new S3OutputReader(emu.s3),
  ledger: new DynamoDbSummaryLedger(emu.dynamo, emu.table),
  articles: new S3ArticleStore(emu.s3, emu.bucket),
  queue,
  policy,
  clock,
  settings: { ...testSettings, summariesPrefix: testSummariesPrefix },
  events: emu.events,
});

/** submit-article's handler on the real S3 and DynamoDB adapters, with a recording endpoint queue. */
export const uploadHandlerOn = (
  emu: Emulators,
  clock: Clock = fixedClock(),
  {
    policy = testPolicy,
    settings = testSettings,
    queue = new RecordingInferenceQueue(emu.bucket),
  }: { policy?: LongArticlePolicy; settings?: SubmitSettings; queue?: RecordingInferenceQueue } = {},
) => {
  const ledger = new DynamoDbSummaryLedger(emu.dynamo, emu.table);
  const handle = makeOnUpload({
    articles: new S3ArticleStore(emu.s3, emu.bucket),
    ledger,
    queue,
    clock,
    settings,
    policy,
    events: emu.events,
    logger: silentLogger(),
  });
  // Each call is a separate delivery unless a request id is given (Lambda's retries keep theirs).
  const onUpload = (event: unknown, awsRequestId: string = randomUUID()) => handle(event, { awsRequestId });
  return { queue, ledger, onUpload };
};

/** Puts an article in S3 and delivers its S3 event to `onUpload`; returns the row it queued. */
export const submitArticle = async (
  emu: Emulators,
  onUpload: (event: unknown) => Promise<void>,
  key: string,
  body: string,
): Promise<LedgerRow> => {
  const reply = await emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: body }));
  await onUpload(s3PutEvent({ bucket: emu.bucket, key, size: Buffer.byteLength(body), eTag: (reply.ETag ?? '').replace(/"/g, '') }));
  const row = await new DynamoDbSummaryLedger(emu.dynamo, emu.table).get(articleIdFor(emu.bucket, key));
  if (!row) throw new Error(`${key} was not queued`);
  return row;
};

/** Writes what the model returned at the location SageMaker chose, as the endpoint does. */
export const writeOutput = async (emu: Emulators, location: string, body: string): Promise<void> => {
  await emu.s3.send(
    new PutObjectCommand({
      Bucket: emu.bucket,
      Key: location.replace(`s3://${emu.bucket}/`, ''),
      Body: body,
      ContentType: 'application/json',
    }),
  );
};
