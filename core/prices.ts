/**
 * Every price this project charges an article with (core/cost.ts) and `npm run status` shows, in one
 * place: AWS list prices for us-east-1, on-demand, as published on the page each one names. docs/aws.md
 * "What it costs on AWS" lists the same table (a test compares them). Prices change and differ by
 * region: check the page before relying on a figure.
 *
 * `read` says how the figure was obtained. This project has no internet access, so none was re-read from
 * its page here: each is the public list price as the project knew it, marked so.
 */
export interface Price {
  /** US dollars per unit. */
  usd: number;
  /** The unit, as the pricing page states it. */
  unit: string;
  /** The AWS pricing page the figure is from. */
  source: string;
  read: string;
}

const KNOWN = 'list price as of 2026-12, not re-read';

export const PRICES = {
  /** The endpoint's instance price is a deploy parameter (instancePricePerHour); this is its default's source. */
  sagemakerInstanceHour: {
    usd: 0.23,
    unit: 'ml.m5.xlarge instance-hour (real-time and asynchronous inference)',
    source: 'https://aws.amazon.com/sagemaker/ai/pricing/',
    read: KNOWN,
  },
  /** Real-time and asynchronous inference bill the bytes sent to and returned by the endpoint. */
  sagemakerDataIn: {
    usd: 0.016,
    unit: 'GB of data processed in (inference)',
    source: 'https://aws.amazon.com/sagemaker/ai/pricing/',
    read: KNOWN,
  },
  sagemakerDataOut: {
    usd: 0.016,
    unit: 'GB of data processed out (inference)',
    source: 'https://aws.amazon.com/sagemaker/ai/pricing/',
    read: KNOWN,
  },
  lambdaRequest: { usd: 0.2 / 1_000_000, unit: 'request', source: 'https://aws.amazon.com/lambda/pricing/', read: KNOWN },
  /** The functions run on arm64 (serverless.yml provider.architecture; a template test keeps it so). */
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    unit: 'GB-second of duration, arm64',
    source: 'https://aws.amazon.com/lambda/pricing/',
    read: KNOWN,
  },
  s3Put: {
    usd: 0.005 / 1000,
    unit: 'PUT, COPY, POST or LIST request (S3 Standard)',
    source: 'https://aws.amazon.com/s3/pricing/',
    read: KNOWN,
  },
  s3Get: {
    usd: 0.0004 / 1000,
    unit: 'GET or other request (S3 Standard); DELETE is free',
    source: 'https://aws.amazon.com/s3/pricing/',
    read: KNOWN,
  },
  /** Each 64 KB chunk of a published message is one request; deliveries to Lambda and SQS are free. */
  snsPublish: {
    usd: 0.5 / 1_000_000,
    unit: 'publish request (standard topic)',
    source: 'https://aws.amazon.com/sns/pricing/',
    read: KNOWN,
  },
  snsEmail: { usd: 2 / 100_000, unit: 'e-mail notification delivered', source: 'https://aws.amazon.com/sns/pricing/', read: KNOWN },
  dynamoWrite: {
    usd: 0.625 / 1_000_000,
    unit: 'write request unit (on-demand)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    read: KNOWN,
  },
  dynamoRead: {
    usd: 0.125 / 1_000_000,
    unit: 'read request unit (on-demand)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    read: KNOWN,
  },
  dynamoStorage: {
    usd: 0.25,
    unit: 'GB-month of table storage',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    read: KNOWN,
  },
  dynamoPitr: {
    usd: 0.2,
    unit: 'GB-month of point-in-time recovery',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    read: KNOWN,
  },
  s3Storage: { usd: 0.023, unit: 'GB-month (S3 Standard, first 50 TB)', source: 'https://aws.amazon.com/s3/pricing/', read: KNOWN },
  logsIngestion: {
    usd: 0.5,
    unit: 'GB of log data ingested (standard)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
    read: KNOWN,
  },
  logsStorage: { usd: 0.03, unit: 'GB-month of log storage', source: 'https://aws.amazon.com/cloudwatch/pricing/', read: KNOWN },
  alarm: { usd: 0.1, unit: 'standard-resolution alarm-month', source: 'https://aws.amazon.com/cloudwatch/pricing/', read: KNOWN },
  dashboard: { usd: 3, unit: 'dashboard-month beyond the first three', source: 'https://aws.amazon.com/cloudwatch/pricing/', read: KNOWN },
  getMetricData: {
    usd: 0.01 / 1000,
    unit: 'metric requested (GetMetricData)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
    read: KNOWN,
  },
  kmsRequest: { usd: 0.03 / 10_000, unit: 'KMS request (SNS encryption)', source: 'https://aws.amazon.com/kms/pricing/', read: KNOWN },
  sqsRequest: {
    usd: 0.4 / 1_000_000,
    unit: 'SQS standard request (dead letters)',
    source: 'https://aws.amazon.com/sqs/pricing/',
    read: KNOWN,
  },
} as const satisfies Record<string, Price>;

/** The GB of the data and log prices: AWS bills them in binary gigabytes. */
export const GB = 1024 ** 3;
