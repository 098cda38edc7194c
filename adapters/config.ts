import { z } from 'zod';
import { ConfigError } from '../core/errors';
import type { ReconcileSettings } from '../core/reconcile';
import type { SubmitSettings } from '../core/start-summary';

/** The one place that reads the functions' environment; a bad value fails the cold start by name. */
const positiveInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const prefix = z.string().min(1).regex(/\/$/, 'must end with /');

const ledgerTable = { LEDGER_TABLE: z.string().min(1) };
// InvokeEndpointAsync ranges (sagemaker-runtime Smithy model): TTL 60..21600 s, timeout 1..3600 s.
const requestLimits = {
  REQUEST_TTL_SECONDS: positiveInt(60, 21600).default(21600),
  INVOCATION_TIMEOUT_SECONDS: positiveInt(1, 3600).default(900),
};

/** Each schema maps the environment's names to the config's, so a loader is one parse. */
const submitSchema = z
  .object({
    ...ledgerTable,
    ...requestLimits,
    ARTICLES_BUCKET: z.string().min(3),
    INPUT_PREFIX: prefix,
    REQUESTS_PREFIX: prefix,
    ENDPOINT_NAME: z.string().regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/, 'must be a SageMaker endpoint name').max(63),
    MODEL_ID: z.string().min(1),
    MAX_ARTICLE_BYTES: positiveInt(1, 1024 ** 3),
  })
  .transform((e) => ({
    ledgerTable: e.LEDGER_TABLE,
    articlesBucket: e.ARTICLES_BUCKET,
    endpointName: e.ENDPOINT_NAME,
    inputPrefix: e.INPUT_PREFIX,
    requestsPrefix: e.REQUESTS_PREFIX,
    modelId: e.MODEL_ID,
    maxArticleBytes: e.MAX_ARTICLE_BYTES,
    requestTtlSeconds: e.REQUEST_TTL_SECONDS,
    invocationTimeoutSeconds: e.INVOCATION_TIMEOUT_SECONDS,
  }));

const recordSchema = z.object(ledgerTable).transform((e) => ({ ledgerTable: e.LEDGER_TABLE }));

const reconcileSchema = z
  .object({ ...ledgerTable, ...requestLimits, RECONCILE_GRACE_SECONDS: positiveInt(0, 86400).default(300) })
  .transform((e) => ({
    ledgerTable: e.LEDGER_TABLE,
    requestTtlSeconds: e.REQUEST_TTL_SECONDS,
    invocationTimeoutSeconds: e.INVOCATION_TIMEOUT_SECONDS,
    graceSeconds: e.RECONCILE_GRACE_SECONDS,
  }));

export interface SubmitConfig extends SubmitSettings {
  ledgerTable: string;
  articlesBucket: string;
  endpointName: string;
}

export interface RecordConfig {
  ledgerTable: string;
}

export interface ReconcileConfig extends ReconcileSettings {
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

export const loadSubmitConfig = (env: NodeJS.ProcessEnv = process.env): SubmitConfig => parseEnv(submitSchema, env);
export const loadRecordConfig = (env: NodeJS.ProcessEnv = process.env): RecordConfig => parseEnv(recordSchema, env);
export const loadReconcileConfig = (env: NodeJS.ProcessEnv = process.env): ReconcileConfig => parseEnv(reconcileSchema, env);
