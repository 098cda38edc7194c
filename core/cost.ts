/**
 * What an article cost, in US dollars: its share of the endpoint's instance time plus the per-request
 * charges of the services it went through. Plain arithmetic on documented list prices (us-east-1,
 * on-demand); the instance price is a deploy parameter (instancePricePerHour).
 *
 * What it leaves out, and why the batch's true cost is instance-hours × price (`npm run status`):
 * idle and provisioning time of the instances, Lambda duration, storage, CloudWatch and data transfer.
 */

/** Per-request list prices, us-east-1, as published on the pages named (read 2026-12-01). */
export const REQUEST_PRICES_USD = {
  /** $0.20 per 1M requests (https://aws.amazon.com/lambda/pricing/). */
  lambdaRequest: 0.2 / 1_000_000,
  /** S3 Standard PUT, COPY, POST, LIST: $0.005 per 1,000 (https://aws.amazon.com/s3/pricing/). */
  s3Put: 0.005 / 1000,
  /** S3 Standard GET and all other requests: $0.0004 per 1,000 (same page). */
  s3Get: 0.0004 / 1000,
  /** SNS standard topic publishes: $0.50 per 1M; deliveries to Lambda are free (https://aws.amazon.com/sns/pricing/). */
  snsPublish: 0.5 / 1_000_000,
  /** DynamoDB on-demand: $0.625 per million write request units (https://aws.amazon.com/dynamodb/pricing/on-demand/). */
  dynamoWrite: 0.625 / 1_000_000,
  /** DynamoDB on-demand: $0.125 per million read request units (same page). */
  dynamoRead: 0.125 / 1_000_000,
} as const;

/**
 * What one model request takes, counted from the pipeline (README "How it works"): submit-article or
 * record-result sends it and record-result records it (2 Lambda invocations); the request object
 * and the output are written (2 PUTs) and read back: the article by submit-article, the request by
 * SageMaker, the output by record-result (3 GETs); one SNS notification; the ledger writes the
 * submission and the outcome and reads the row once (items under 1 KB count one unit each).
 * An article adds its first ledger write (the claim) once.
 */
export const PER_REQUEST = { lambdaRequests: 2, s3Puts: 2, s3Gets: 3, snsPublishes: 1, dynamoWrites: 2, dynamoReads: 1 } as const;
export const PER_ARTICLE = { dynamoWrites: 1 } as const;

export const requestChargesUsd = (requests: number): number => {
  const p = REQUEST_PRICES_USD;
  const perRequest =
    PER_REQUEST.lambdaRequests * p.lambdaRequest +
    PER_REQUEST.s3Puts * p.s3Put +
    PER_REQUEST.s3Gets * p.s3Get +
    PER_REQUEST.snsPublishes * p.snsPublish +
    PER_REQUEST.dynamoWrites * p.dynamoWrite +
    PER_REQUEST.dynamoReads * p.dynamoRead;
  return requests * perRequest + PER_ARTICLE.dynamoWrites * p.dynamoWrite;
};

export interface CostInputs {
  /** Endpoint milliseconds of every request of the article (parts and reduce steps of a long one). */
  endpointMs: number;
  /** Model requests of the article: 1, or a long article's parts plus reduce requests. */
  requests: number;
  /** MaxConcurrentInvocationsPerInstance: an instance runs that many requests at once. */
  concurrency: number;
  instancePricePerHour: number;
}

/**
 * The instance share: an instance serves `concurrency` requests at once, so a request holds
 * 1/concurrency of it while it runs. Rounded to a billionth of a dollar: an article costs a few
 * hundred-thousandths, and a sum over 10,000 rows stays exact to the cent.
 */
export const articleCostUsd = ({ endpointMs, requests, concurrency, instancePricePerHour }: CostInputs): number => {
  const instance = (endpointMs / 1000 / Math.max(1, concurrency)) * (instancePricePerHour / 3600);
  return Math.round((instance + requestChargesUsd(requests)) * 1e9) / 1e9;
};

/** What record-result needs to price an article; absent (reconcile, tests), rows get no costUsd. */
export interface CostSettings {
  concurrency: number;
  instancePricePerHour: number;
}

/** `{ costUsd }` for a finished article, or nothing when no cost settings are wired. */
export const costOf = (settings: CostSettings | undefined, spend: { endpointMs: number; requests: number }): { costUsd?: number } =>
  settings ? { costUsd: articleCostUsd({ ...spend, ...settings }) } : {};

/** What an article has spent across its attempts: endpoint time and model requests (see articleSpend). */
export interface ArticleSpendInputs {
  /** Set on long articles only. */
  parts?: number;
  steps?: Record<string, { s?: string; ms?: number }>;
  /** Long articles count every request of every attempt; a short article's is its current attempt's. */
  requestCount?: number;
  /** Earlier attempts, each with the endpoint time the current attempt does not count again. */
  history?: { endpointMs?: number }[];
}

/**
 * Endpoint time and requests to price an article by, its earlier attempts included: a retry pays for
 * the time the failed attempt held the endpoint too. A short article adds `attemptMs` (this attempt's
 * request) and one request per earlier attempt that reached the model; a long article sums its steps,
 * whose records keep the times of the steps an earlier attempt finished and the retry reused.
 */
export const articleSpend = (row: ArticleSpendInputs, attemptMs = 0): { endpointMs: number; requests: number } => {
  const earlier = (row.history ?? []).filter((h) => h.endpointMs !== undefined);
  const earlierMs = earlier.reduce((sum, h) => sum + (h.endpointMs ?? 0), 0);
  return row.parts !== undefined
    ? { endpointMs: stepsEndpointMs(row.steps) + earlierMs, requests: row.requestCount ?? row.parts }
    : { endpointMs: attemptMs + earlierMs, requests: 1 + earlier.length };
};

/** The endpoint time an ended attempt spent that its retry will not count again (AttemptRecord.endpointMs). */
export const attemptOnlyMs = (row: ArticleSpendInputs & { endpointMs?: number }): number | undefined => {
  if (row.parts === undefined) return row.endpointMs;
  const resent = Object.values(row.steps ?? {}).filter((step) => step.s !== 'done' && step.ms !== undefined);
  return resent.length > 0 ? resent.reduce((sum, step) => sum + (step.ms ?? 0), 0) : undefined;
};

/** The sum of a long article's step times in the endpoint. */
export const stepsEndpointMs = (steps: Record<string, { ms?: number }> | undefined): number =>
  Object.values(steps ?? {}).reduce((sum, step) => sum + (step.ms ?? 0), 0);

/** The batch's true instance cost: every instance-second billed, idle and provisioning included. */
export const instanceCostUsd = (instanceSeconds: number, instancePricePerHour: number): number =>
  Math.round(instanceSeconds * (instancePricePerHour / 3600) * 1e9) / 1e9;
