import { z } from 'zod';
import { ConfigError } from '../core/errors';
import type { SubmitSettings } from '../core/start-summary';

/** The one place that reads the functions' environment; a bad value fails the cold start by name. */
const positiveInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const prefix = z.string().min(1).regex(/\/$/, 'must end with /');

const submitSchema = z.object({
  LEDGER_TABLE: z.string().min(1),
  ARTICLES_BUCKET: z.string().min(3),
  INPUT_PREFIX: prefix,
  REQUESTS_PREFIX: prefix,
  ENDPOINT_NAME: z.string().regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/, 'must be a SageMaker endpoint name').max(63),
  MODEL_ID: z.string().min(1),
  MAX_ARTICLE_BYTES: positiveInt(1, 1024 ** 3),
  // InvokeEndpointAsync ranges (sagemaker-runtime Smithy model): TTL 60..21600 s, timeout 1..3600 s.
  REQUEST_TTL_SECONDS: positiveInt(60, 21600).default(21600),
  INVOCATION_TIMEOUT_SECONDS: positiveInt(1, 3600).default(900),
});

const recordSchema = z.object({
  LEDGER_TABLE: z.string().min(1),
});

const reconcileSchema = z.object({
  LEDGER_TABLE: z.string().min(1),
  REQUEST_TTL_SECONDS: positiveInt(60, 21600).default(21600),
  INVOCATION_TIMEOUT_SECONDS: positiveInt(1, 3600).default(900),
  RECONCILE_GRACE_SECONDS: positiveInt(0, 86400).default(300),
});

export interface ReconcileConfig {
  ledgerTable: string;
  requestTtlSeconds: number;
  invocationTimeoutSeconds: number;
  graceSeconds: number;
}

export const loadReconcileConfig = (env: NodeJS.ProcessEnv = process.env): ReconcileConfig => {
  const e = parseEnv(reconcileSchema, env);
  return {
    ledgerTable: e.LEDGER_TABLE,
    requestTtlSeconds: e.REQUEST_TTL_SECONDS,
    invocationTimeoutSeconds: e.INVOCATION_TIMEOUT_SECONDS,
    graceSeconds: e.RECONCILE_GRACE_SECONDS,
  };
};

export interface SubmitConfig extends SubmitSettings {
  ledgerTable: string;
  articlesBucket: string;
  endpointName: string;
}

export interface RecordConfig {
  ledgerTable: string;
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

export const loadSubmitConfig = (env: NodeJS.ProcessEnv = process.env): SubmitConfig => {
  const e = parseEnv(submitSchema, env);
  return {
    ledgerTable: e.LEDGER_TABLE,
    articlesBucket: e.ARTICLES_BUCKET,
    endpointName: e.ENDPOINT_NAME,
    inputPrefix: e.INPUT_PREFIX,
    requestsPrefix: e.REQUESTS_PREFIX,
    modelId: e.MODEL_ID,
    maxArticleBytes: e.MAX_ARTICLE_BYTES,
    requestTtlSeconds: e.REQUEST_TTL_SECONDS,
    invocationTimeoutSeconds: e.INVOCATION_TIMEOUT_SECONDS,
  };
};

export const loadRecordConfig = (env: NodeJS.ProcessEnv = process.env): RecordConfig => {
  const e = parseEnv(recordSchema, env);
  return { ledgerTable: e.LEDGER_TABLE };
};
