import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { readStackConfig } from '../../local/template/stack-config';
import { ensureTable } from '../../local/dynamodb/tables';
import { snsHandler } from '../../local/sns/http';
import { LocalSns } from '../../local/sns/publish';
import { TopicLog } from '../../local/sns/topic-log';
import { articleEventsOf } from '../../adapters/article-events';
import type { ArticleEvents } from '../../core/ports';

/**
 * Real S3 (s3rver), DynamoDB (dynalite) and SNS (the local cloud's, local/sns/) emulators on free
 * loopback ports, for adapter and handler tests. s3rver only knows the access key S3RVER; dynalite and
 * SNS accept any (local/README.md, Traps). The article events topic delivers to a log the test reads.
 */
export interface Emulators {
  s3Endpoint: string;
  dynamoEndpoint: string;
  snsEndpoint: string;
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  rawDynamo: DynamoDBClient;
  bucket: string;
  table: string;
  sns: SNSClient;
  /** The ArticleEventsTopic's ARN, and what it delivered (oldest first). */
  topicArn: string;
  articleEvents: TopicLog;
  /** The functions' article events on these emulators: the topic above, and the records an earlier version left pending in the bucket. */
  events: ArticleEvents;
  stop(): Promise<void>;
}

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const region = 'us-east-1';

export const startEmulators = async (): Promise<Emulators> => {
  const directory = mkdtempSync(join(tmpdir(), 'rs-s3-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, resetOnClose: true });
  const s3Address = await s3rver.run();

  const dynamoServer: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamoServer.listen(0, '127.0.0.1', resolve));
  const dynamoPort = (dynamoServer.address() as AddressInfo).port;

  // s3rver stores aws-chunked bodies framed unless checksums are only sent when required (local/README.md, Traps).
  const s3Endpoint = `http://127.0.0.1:${s3Address.port}`;
  const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;
  const s3 = new S3Client({
    endpoint: s3Endpoint,
    region,
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const rawDynamo = new DynamoDBClient({ endpoint: dynamoEndpoint, region, credentials });
  const dynamo = DynamoDBDocumentClient.from(rawDynamo, { marshallOptions: { removeUndefinedValues: true } });

  const bucket = 'articles';
  const table = 'ledger';
  const topicArn = `arn:aws:sns:${region}:000000000000:article-events`;
  const articleEvents = new TopicLog(join(directory, '..', `${directory.split('/').pop()}-article-events.jsonl`));
  const snsServer = createServer(
    snsHandler(
      new LocalSns(
        { topics: { ArticleEventsTopic: topicArn }, subscriptions: [], region },
        {
          invoke: () => undefined,
          logs: { [topicArn]: articleEvents },
        },
      ),
    ),
  );
  await new Promise<void>((resolve) => snsServer.listen(0, '127.0.0.1', resolve));
  const snsEndpoint = `http://127.0.0.1:${(snsServer.address() as AddressInfo).port}`;
  const sns = new SNSClient({
    endpoint: snsEndpoint,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // The ledger's keys and indexes from the packaged template (test/support/global-setup.ts builds it).
  await ensureTable(rawDynamo, { ...readStackConfig({ projectRoot: join(__dirname, '..', '..') }).table, TableName: table });

  return {
    s3Endpoint,
    dynamoEndpoint,
    snsEndpoint,
    s3,
    dynamo,
    rawDynamo,
    bucket,
    table,
    sns,
    topicArn,
    articleEvents,
    events: articleEventsOf({ sns, s3 }, { articleEventsTopicArn: topicArn, articlesBucket: bucket, eventsPrefix: 'events/' }),
    stop: async () => {
      s3.destroy();
      rawDynamo.destroy();
      sns.destroy();
      articleEvents.close();
      rmSync(articleEvents.file, { force: true });
      await new Promise<void>((resolve) => snsServer.close(() => resolve()));
      await s3rver.close();
      await new Promise<void>((resolve, reject) => dynamoServer.close((e) => (e ? reject(e) : resolve())));
      rmSync(directory, { recursive: true, force: true });
    },
  };
};

/**
 * The variables a deployed handler reads, pointing its SDK clients at these emulators (and the
 * SageMaker runtime at `endpointUrl`) only through AWS_ENDPOINT_URL_<SERVICE>, as on Lambda.
 */
export const handlerEnvironment = (emu: Emulators, endpointUrl: string): Record<string, string> => ({
  AWS_REGION: region,
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_ENDPOINT_URL_S3: emu.s3Endpoint,
  AWS_ENDPOINT_URL_DYNAMODB: emu.dynamoEndpoint,
  AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: endpointUrl,
  AWS_ENDPOINT_URL_SNS: emu.snsEndpoint,
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  LEDGER_TABLE: emu.table,
  ARTICLES_BUCKET: emu.bucket,
  INPUT_PREFIX: 'input/',
  REQUESTS_PREFIX: 'requests/',
  ENDPOINT_NAME: 'research-summarizer-dev',
  MODEL_ID: 'google/pegasus-cnn_dailymail',
  MAX_ARTICLE_BYTES: '1048576',
  INSTANCE_PRICE_PER_HOUR: '0.23',
  MAX_CONCURRENT_INVOCATIONS_PER_INSTANCE: '2',
  ARTICLE_EVENTS_TOPIC_ARN: emu.topicArn,
});
