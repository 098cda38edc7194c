import { createHash } from 'node:crypto';

const hash = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);

/** One ledger row per object location: the same key uploaded again is the same article. */
export const articleIdFor = (bucket: string, key: string): string => hash('article', bucket, key);

/**
 * Deterministic per object *revision* (version id, else ETag), so a redelivered S3 event maps to the
 * same inference and is not summarized twice, while new content under the same key gets a new one.
 * 32 hex characters: within InvokeEndpointAsync's 1..64-character InferenceId limit.
 */
export const inferenceIdFor = (bucket: string, key: string, revision: string): string => hash('inference', bucket, key, revision);

/** Attempt 1 is the upload's own inference; a retry (`npm run retry`) gets a new one per attempt. */
export const attemptInferenceIdFor = (bucket: string, key: string, revision: string, attempt: number): string =>
  attempt <= 1 ? inferenceIdFor(bucket, key, revision) : hash('inference', bucket, key, revision, `attempt ${attempt}`);

/**
 * Model requests live at `<requestsPrefix><articleId>/<inferenceId>.json`: ASCII only (the SDK cannot
 * send non-ASCII in the InputLocation header), and the notification's inputLocation alone tells
 * record-result which article a result belongs to. A long article's steps (core/long-article/steps.ts) add
 * more inference ids under the same folder.
 */
export const requestKeyFor = (requestsPrefix: string, articleId: string, inferenceId: string): string =>
  `${requestsPrefix}${articleId}/${inferenceId}.json`;

/**
 * One step of a long article: part `p<n>` (map, 1-based) or reduce group `r<level>-<n>`. Its inference
 * id is the attempt's inference id plus the step, so a redelivery or retry of the same attempt names
 * the same request: `<32 hex>-p7` or `<32 hex>-r2-3`, within InvokeEndpointAsync's 64 characters.
 */
export type StepId = `p${number}` | `r${number}-${number}`;

export const partStep = (part: number): StepId => `p${part}`;
export const reduceStep = (level: number, group: number): StepId => `r${level}-${group}`;

export const stepInferenceIdFor = (inferenceId: string, step: StepId): string => `${inferenceId}-${step}`;

/** The attempt's inference id and the step, from a step's inference id; undefined for a whole-article one. */
export const parseStepInferenceId = (stepInferenceId: string): { inferenceId: string; step: StepId } | undefined => {
  const match = /^([0-9a-f]{32})-(p[1-9]\d{0,5}|r[1-9]\d{0,2}-[1-9]\d{0,5})$/.exec(stepInferenceId);
  return match ? { inferenceId: match[1] as string, step: match[2] as StepId } : undefined;
};

export interface RequestRef {
  articleId: string;
  /** The inference id in the request key: a whole article's, or a step's (`<32 hex>-p3`). */
  inferenceId: string;
}

const REQUEST_KEY = /(?:^|\/)([0-9a-f]{32})\/([0-9a-f]{32}(?:-p[1-9]\d{0,5}|-r[1-9]\d{0,2}-[1-9]\d{0,5})?)\.json$/;

/** The inverse of requestKeyFor, from an `s3://bucket/key` location; undefined when not one of ours. */
export const parseRequestLocation = (location: string): RequestRef | undefined => {
  const match = REQUEST_KEY.exec(location);
  return match ? { articleId: match[1] as string, inferenceId: match[2] as string } : undefined;
};

/** Where the part summaries of one attempt of a long article are kept for users to read. */
export const partSummariesKeyFor = (summariesPrefix: string, articleId: string, inferenceId: string): string =>
  `${summariesPrefix}${articleId}/${inferenceId}.json`;

/** A document's extracted body, per attempt like its request: what the model read, for the user to see. */
export const extractedKeyFor = (extractedPrefix: string, articleId: string, inferenceId: string): string =>
  `${extractedPrefix}${articleId}/${inferenceId}.txt`;

/**
 * The id of an article's event (core/article-events.ts): one per terminal transition, the same whenever
 * that transition is published again (SNS delivers at least once, and a writer that crashed publishes
 * again), so a subscriber can de-duplicate on it. A retry is a new attempt with its own inference id,
 * so its outcome has a new event id. A FAILED row has a stage: an attempt that failed at submission and
 * then in inference (awaitsOutcome) makes two transitions, and the second, with the real reason, must
 * not look like a repeat of the first.
 */
export const eventIdFor = (articleId: string, inferenceId: string, state: string, failedStage?: string): string =>
  state === 'FAILED' && failedStage !== undefined
    ? hash('event', articleId, inferenceId, state, failedStage)
    : hash('event', articleId, inferenceId, state);

export const s3Url = (bucket: string, key: string): string => `s3://${bucket}/${key}`;

export const parseS3Url = (url: string): { bucket: string; key: string } => {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match) throw new Error(`not an s3://bucket/key location: ${url}`);
  return { bucket: match[1] as string, key: match[2] as string };
};
