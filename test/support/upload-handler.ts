import { randomUUID } from 'node:crypto';
import { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { S3ArticleStore } from '../../adapters/s3-articles';
import type { Clock } from '../../core/ports';
import type { SubmitSettings } from '../../core/start-summary';
import { makeOnUpload } from '../../functions/submit-article/on-upload';
import type { Emulators } from './emulators';
import { fixedClock, RecordingInferenceQueue, silentLogger } from './fakes';

export const testSettings: SubmitSettings = {
  inputPrefix: 'input/',
  requestsPrefix: 'requests/',
  modelId: 'google/pegasus-cnn_dailymail',
  maxArticleBytes: 10_000,
  requestTtlSeconds: 3600,
  invocationTimeoutSeconds: 900,
};

/** submit-article's handler on the real S3 and DynamoDB adapters, with a recording endpoint queue. */
export const uploadHandlerOn = (emu: Emulators, clock: Clock = fixedClock()) => {
  const queue = new RecordingInferenceQueue(emu.bucket);
  const ledger = new DynamoDbSummaryLedger(emu.dynamo, emu.table);
  const handle = makeOnUpload({
    articles: new S3ArticleStore(emu.s3, emu.bucket),
    ledger,
    queue,
    clock,
    settings: testSettings,
    logger: silentLogger(),
  });
  // Each call is a separate delivery unless a request id is given (Lambda's retries keep theirs).
  const onUpload = (event: unknown, awsRequestId: string = randomUUID()) => handle(event, { awsRequestId });
  return { queue, ledger, onUpload };
};
