import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import { articleFacts, type ArticleFacts } from './trends/article-facts';
import { RejectedArticleError } from './errors';
import { articleIdFor, inferenceIdFor, requestKeyFor } from './ids';
import { batchOf } from './status/batch';
import { bounded, CLAIM_LEASE_MS, dayOf, finishAttempt, MAX_REASON_CHARS, normalizeSequencer, type LedgerRow } from './ledger';
import { describeStep, unsentSteps, type LongArticlePolicy } from './long-article/steps';
import { MODEL_CONTENT_TYPE, ModelRequestEncoder, nonTextContentType } from './model-request';
import type { ArticleStore, Clock, InferenceQueue, SummaryLedger } from './ports';
import { sendSteps, StepNotAcceptedError } from './long-article/send-steps';
import { describeError } from './errors';

/** One object-created record from S3, key already URL-decoded. */
export interface Upload {
  bucket: string;
  key: string;
  /** Size from the event; S3 always sends it for ObjectCreated. */
  bytes: number;
  etag: string;
  versionId?: string;
  sequencer?: string;
  eventName: string;
  eventTime: string;
}

export interface SubmitSettings {
  inputPrefix: string;
  requestsPrefix: string;
  modelId: string;
  maxArticleBytes: number;
  requestTtlSeconds: number;
  invocationTimeoutSeconds: number;
}

export interface SubmitDeps {
  articles: ArticleStore;
  ledger: SummaryLedger;
  queue: InferenceQueue;
  clock: Clock;
  settings: SubmitSettings;
  /** How an article over the model's input limit is split (core/long-article/steps.ts). */
  policy: LongArticlePolicy;
}

export type SubmitOutcome =
  | { outcome: 'queued'; articleId: string; inferenceId: string; outputLocation?: string; parts?: number }
  | { outcome: 'rejected'; articleId: string; inferenceId: string; reason: string }
  | { outcome: 'duplicate' | 'superseded'; articleId: string; inferenceId: string }
  | { outcome: 'ignored'; reason: string };

/** Why an upload is not an article at all (no ledger row), or undefined when it is one. */
export const ignoreReason = (upload: Upload, inputPrefix: string): string | undefined => {
  if (!upload.eventName.startsWith('ObjectCreated')) return `not an object-created event (${upload.eventName})`;
  if (!upload.key.startsWith(inputPrefix)) return `outside the input prefix ${inputPrefix}`;
  // The S3 console's "Create folder" writes a zero-byte object whose key ends in '/'.
  if (upload.key.endsWith('/')) return 'folder marker';
  return undefined;
};

/**
 * Turns one uploaded object into a queued model request, or a REJECTED row with the reason.
 * `invocationId` identifies the delivery (Lambda's request id, the same for its retries).
 * Throws when a dependency fails, so the trigger retries; a submission that fails for good leaves a
 * FAILED row (stage `submit`) before the error propagates to the dead-letter queue.
 */
export const startSummary = async (upload: Upload, deps: SubmitDeps, invocationId: string): Promise<SubmitOutcome> => {
  const { settings, clock } = deps;
  const ignored = ignoreReason(upload, settings.inputPrefix);
  if (ignored) return { outcome: 'ignored', reason: ignored };

  const now = clock.now();
  const row = { ...queuedRow(upload, settings, now.toISOString()), claimedBy: invocationId, claimedAt: now.toISOString() };
  const { articleId, inferenceId } = row;
  const staleBefore = new Date(now.getTime() - CLAIM_LEASE_MS).toISOString();
  if ((await deps.ledger.claim(row, staleBefore)) === 'taken') {
    const current = await deps.ledger.get(articleId);
    const outcome = current?.inferenceId === inferenceId ? 'duplicate' : 'superseded';
    return { outcome, articleId, inferenceId };
  }
  return sendToEndpoint(upload, { articleId, inferenceId }, deps);
};

/**
 * The rest of a submission, for a row this caller has claimed (an upload, or a retry): checks the
 * article, writes the model request under the inference's own key, and queues it at the endpoint.
 */
export const sendToEndpoint = async (
  upload: Upload,
  ids: { articleId: string; inferenceId: string },
  deps: SubmitDeps,
): Promise<Exclude<SubmitOutcome, { outcome: 'ignored' | 'duplicate' }>> => {
  const { settings, clock } = deps;
  const { articleId, inferenceId } = ids;
  const attempt = { articleId, inferenceId, uploadedAt: upload.eventTime };
  const reject = async (reason: string, contentType?: string) => {
    await finishAttempt(deps, attempt, { state: 'REJECTED', ...(contentType ? { contentType } : {}), reason });
    return { outcome: 'rejected' as const, articleId, inferenceId, reason };
  };

  const sizeProblem = checkSize(upload.bytes, settings.maxArticleBytes);
  if (sizeProblem) return reject(sizeProblem);

  const article = await deps.articles.open(upload.bucket, upload.key, upload.etag);
  // A newer upload replaced this revision; its own event carries on with the article.
  if (!article) return { outcome: 'superseded', articleId, inferenceId };
  if (nonTextContentType(article.contentType)) {
    article.body.destroy();
    return reject(`content type ${article.contentType} is not text: upload the article as UTF-8 text`, article.contentType);
  }

  // Read whole (bounded by maxArticleBytes above): the token estimate decides between one request and parts.
  let encoded: { request: Buffer; text: string };
  try {
    encoded = await encodeArticle(article.body);
  } catch (error) {
    if (error instanceof RejectedArticleError) return reject(error.message, article.contentType);
    throw error;
  }
  const facts = articleFacts(encoded.text, article.published, upload.eventTime);
  const long = longArticle(encoded.text, deps.policy);
  if (long) return sendParts(upload, ids, long, article.contentType, facts, deps);

  const requestKey = requestKeyFor(settings.requestsPrefix, articleId, inferenceId);
  const requestLocation = await deps.articles.writeRequest(requestKey, Readable.from([encoded.request]), MODEL_CONTENT_TYPE);

  let accepted;
  try {
    accepted = await deps.queue.submit({
      inferenceId,
      inputLocation: requestLocation,
      contentType: MODEL_CONTENT_TYPE,
      accept: MODEL_CONTENT_TYPE,
      requestTtlSeconds: settings.requestTtlSeconds,
      invocationTimeoutSeconds: settings.invocationTimeoutSeconds,
    });
  } catch (error) {
    const reason = `the endpoint did not accept the request: ${describeError(error)}`;
    await finishAttempt(deps, attempt, { state: 'FAILED', failedStage: 'submit', reason });
    throw error;
  }

  await deps.ledger.markSubmitted(articleId, inferenceId, {
    submittedAt: clock.now().toISOString(),
    requestLocation,
    ...(article.contentType ? { contentType: article.contentType } : {}),
    outputLocation: accepted.outputLocation,
    failureLocation: accepted.failureLocation,
    ...facts,
  });
  return { outcome: 'queued', articleId, inferenceId, outputLocation: accepted.outputLocation };
};

export const checkSize = (bytes: number, maxBytes: number): string | undefined => {
  if (bytes === 0) return 'empty article: the object has no content';
  if (bytes > maxBytes) return `too large: ${bytes} bytes is over the ${maxBytes}-byte limit (MAX_ARTICLE_BYTES)`;
  return undefined;
};

const queuedRow = (upload: Upload, settings: SubmitSettings, receivedAt: string): LedgerRow => {
  const revision = upload.versionId ?? upload.etag;
  return {
    articleId: articleIdFor(upload.bucket, upload.key),
    bucket: upload.bucket,
    key: upload.key,
    etag: upload.etag,
    ...(upload.versionId ? { versionId: upload.versionId } : {}),
    ...(upload.sequencer ? { sequencer: normalizeSequencer(upload.sequencer) } : {}),
    bytes: upload.bytes,
    state: 'QUEUED',
    inferenceId: inferenceIdFor(upload.bucket, upload.key, revision),
    requestCount: 1,
    modelId: settings.modelId,
    uploadedAt: upload.eventTime,
    receivedAt,
    day: dayOf(receivedAt),
    // The upload day until the article is read: a row never read (too large, say) is still in byPublishedDay.
    publishedDay: dayOf(upload.eventTime),
    batch: batchOf(upload.key, settings.inputPrefix),
  };
};

/** The article as the model request JSON and as text, checked on the way (RejectedArticleError for non-text). */
const encodeArticle = async (body: Readable): Promise<{ request: Buffer; text: string }> => {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const encoder = new ModelRequestEncoder(undefined, { keepText: true });
  await pipeline(body, encoder, sink);
  return { request: Buffer.concat(chunks), text: encoder.text ?? '' };
};

/**
 * An article over the model's input limit: its parts, and whether it is research length (decided on the
 * text here, once); undefined when one request takes it whole.
 */
const longArticle = (text: string, policy: LongArticlePolicy): { parts: string[]; research: boolean } | undefined => {
  if (policy.estimateTokens(text) <= policy.maxInputTokens) return undefined;
  const parts = policy.split(text);
  return parts.length > 1 ? { parts, research: policy.isResearch(text) } : undefined;
};

/**
 * A long article: each part its own request (`<inferenceId>-p<n>`). The row records which parts the
 * endpoint accepted, so a retry of this submission sends only the others.
 */
const sendParts = async (
  upload: Upload,
  ids: { articleId: string; inferenceId: string },
  { parts, research }: { parts: string[]; research: boolean },
  contentType: string | undefined,
  facts: ArticleFacts,
  deps: SubmitDeps,
): Promise<Exclude<SubmitOutcome, { outcome: 'ignored' | 'duplicate' }>> => {
  const { articleId, inferenceId } = ids;
  const startedAt = deps.clock.now().toISOString();
  await deps.ledger.planParts(articleId, inferenceId, {
    parts: parts.length,
    research,
    levelSize: parts.length,
    levelStartedAt: startedAt,
    requestCount: parts.length,
    ...(contentType ? { contentType } : {}),
  });
  const row = await deps.ledger.get(articleId);
  if (row?.inferenceId !== inferenceId) return { outcome: 'superseded', articleId, inferenceId };
  // Past the parts already (a retry of this submission after they were all summarized): nothing to send.
  if ((row.level ?? 0) === 0) {
    const generation = deps.policy.generation('part', { research: row.research ?? research, count: parts.length });
    try {
      const steps = unsentSteps(row, inferenceId).map((step) => ({
        step,
        input: parts[Number(step.slice(1)) - 1] as string,
        resend: row.steps?.[step] !== undefined,
      }));
      await sendSteps(deps, ids, steps, generation);
    } catch (error) {
      if (!(error instanceof StepNotAcceptedError)) throw error;
      const reason = bounded(`${describeStep(error.step, row)}: ${error.message}`, MAX_REASON_CHARS);
      await finishAttempt(
        deps,
        { articleId, inferenceId, uploadedAt: upload.eventTime },
        { state: 'FAILED', failedStage: 'submit', reason },
      );
      throw new StepNotAcceptedError(error.step, reason, { cause: error.cause });
    }
  }
  await deps.ledger.markSubmitted(articleId, inferenceId, { submittedAt: deps.clock.now().toISOString(), ...facts });
  return { outcome: 'queued', articleId, inferenceId, parts: parts.length };
};
