import { z } from 'zod';
import { ConfigError } from '../core/errors';
import type { CostSettings } from '../core/cost';
import type { ReconcileSettings } from '../core/reconcile';
import type { SubmitSettings } from '../core/submit-article';

/** The one place that reads the functions' environment; a bad value fails the cold start by name. */
const positiveInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const prefix = z.string().min(1).regex(/\/$/, 'must end with /');

const ledgerTable = { LEDGER_TABLE: z.string().min(1) };
// InvokeEndpointAsync ranges (sagemaker-runtime Smithy model): TTL 60..21600 s, timeout 1..3600 s.
const requestLimits = {
  REQUEST_TTL_SECONDS: positiveInt(60, 21600).default(21600),
  INVOCATION_TIMEOUT_SECONDS: positiveInt(1, 3600).default(900),
};

/**
 * What sends model requests (submit-article: the article or its parts; record-result: the reduce
 * steps of long articles). MAX_INPUT_TOKENS is the model's input limit (1,024 for PEGASUS);
 * LONG_SUMMARY_WORDS the length of a long article's final summary.
 */
const senderEnv = {
  ...ledgerTable,
  ...requestLimits,
  ARTICLES_BUCKET: z.string().min(3),
  REQUESTS_PREFIX: prefix,
  SUMMARIES_PREFIX: prefix.default('summaries/'),
  ENDPOINT_NAME: z
    .string()
    .regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/, 'must be a SageMaker endpoint name')
    .max(63),
  MAX_INPUT_TOKENS: positiveInt(64, 1_000_000).default(1024),
  LONG_SUMMARY_WORDS: positiveInt(10, 2000).default(200),
  // Every function that ends articles tells users (core/article-events.ts): the topic, and where an earlier
  // release kept events pending in S3 (`<EVENTS_PREFIX>pending/`), which reconcile still drains.
  ARTICLE_EVENTS_TOPIC_ARN: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'must be an SNS topic ARN'),
  EVENTS_PREFIX: prefix.default('events/'),
};

const senderConfig = (e: z.infer<z.ZodObject<typeof senderEnv>>) => ({
  ledgerTable: e.LEDGER_TABLE,
  articlesBucket: e.ARTICLES_BUCKET,
  endpointName: e.ENDPOINT_NAME,
  requestsPrefix: e.REQUESTS_PREFIX,
  summariesPrefix: e.SUMMARIES_PREFIX,
  requestTtlSeconds: e.REQUEST_TTL_SECONDS,
  invocationTimeoutSeconds: e.INVOCATION_TIMEOUT_SECONDS,
  maxInputTokens: e.MAX_INPUT_TOKENS,
  longSummaryWords: e.LONG_SUMMARY_WORDS,
  articleEventsTopicArn: e.ARTICLE_EVENTS_TOPIC_ARN,
  eventsPrefix: e.EVENTS_PREFIX,
});

/** record-result and reconcile price each article they finish, and submit-article each it rejects (core/cost.ts). */
const costEnv = {
  INSTANCE_PRICE_PER_HOUR: z.coerce.number().min(0).max(1000),
  MAX_CONCURRENT_INVOCATIONS_PER_INSTANCE: positiveInt(1, 1000),
};
const costConfig = (e: { INSTANCE_PRICE_PER_HOUR: number; MAX_CONCURRENT_INVOCATIONS_PER_INSTANCE: number }): CostSettings => ({
  instancePricePerHour: e.INSTANCE_PRICE_PER_HOUR,
  concurrency: e.MAX_CONCURRENT_INVOCATIONS_PER_INSTANCE,
});

/** Each schema maps the environment's names to the config's, so a loader is one parse. */
const submitSchema = z
  .object({
    ...senderEnv,
    ...costEnv,
    INPUT_PREFIX: prefix,
    MODEL_ID: z.string().min(1),
    MAX_ARTICLE_BYTES: positiveInt(1, 1024 ** 3),
    // Documents (core/documents/read-article.ts): PDFs, .docx, LaTeX archives, JATS and web pages.
    MAX_DOCUMENT_BYTES: positiveInt(1, 1024 ** 3).default(50 * 1024 * 1024),
    MAX_DOCUMENT_WORDS: positiveInt(1, 10_000_000).default(200_000),
    EXTRACTED_PREFIX: prefix.default('extracted/'),
  })
  .transform((e) => ({
    ...senderConfig(e),
    inputPrefix: e.INPUT_PREFIX,
    modelId: e.MODEL_ID,
    maxArticleBytes: e.MAX_ARTICLE_BYTES,
    maxDocumentBytes: e.MAX_DOCUMENT_BYTES,
    maxDocumentWords: e.MAX_DOCUMENT_WORDS,
    extractedPrefix: e.EXTRACTED_PREFIX,
    cost: costConfig(e),
  }));

const recordSchema = z.object({ ...senderEnv, ...costEnv }).transform((e) => ({ ...senderConfig(e), cost: costConfig(e) }));

/** reconcile carries on long articles too (their next reduce step), so it sends like record-result. */
const reconcileSchema = z
  .object({ ...senderEnv, ...costEnv, RECONCILE_GRACE_SECONDS: positiveInt(0, 86400).default(300) })
  .transform((e) => ({ ...senderConfig(e), cost: costConfig(e), graceSeconds: e.RECONCILE_GRACE_SECONDS }));

export interface SenderConfig {
  ledgerTable: string;
  articlesBucket: string;
  endpointName: string;
  requestsPrefix: string;
  summariesPrefix: string;
  requestTtlSeconds: number;
  invocationTimeoutSeconds: number;
  maxInputTokens: number;
  longSummaryWords: number;
  articleEventsTopicArn: string;
  eventsPrefix: string;
}

export interface SubmitConfig extends SubmitSettings, SenderConfig {
  cost: CostSettings;
}

export interface RecordConfig extends SenderConfig {
  cost: CostSettings;
}

export interface ReconcileConfig extends ReconcileSettings, SenderConfig {
  cost: CostSettings;
}

const parseEnv = <T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> => {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return env[name] === undefined ? `${name} is not set` : `${name}=${JSON.stringify(env[name])}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
};

export const loadSubmitConfig = (env: NodeJS.ProcessEnv = process.env): SubmitConfig => parseEnv(submitSchema, env);
export const loadRecordConfig = (env: NodeJS.ProcessEnv = process.env): RecordConfig => parseEnv(recordSchema, env);
export const loadReconcileConfig = (env: NodeJS.ProcessEnv = process.env): ReconcileConfig => parseEnv(reconcileSchema, env);
