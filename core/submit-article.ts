import { articleFacts, type ArticleFacts } from './trends/article-facts';
import { RejectedArticleError } from './errors';
import { articleIdFor, extractedKeyFor, inferenceIdFor, requestKeyFor } from './ids';
import { readArticle, sizeProblem, type ArticleLimits, type ArticleText } from './documents/read-article';
import { batchOf } from './status/batch';
import {
  bounded,
  CLAIM_LEASE_MS,
  dayOf,
  finishAttempt,
  MAX_ABSTRACT_CHARS,
  MAX_REASON_CHARS,
  normalizeSequencer,
  type LedgerRow,
  type SubmittedUpdate,
} from './ledger';
import { describeStep, unsentSteps, type LongArticlePolicy } from './long-article/steps';
import { MODEL_CONTENT_TYPE, encodeModelRequest } from './model-request';
import type { ArticleEvents, ArticleStore, Clock, InferenceQueue, LambdaMeter, SummaryLedger } from './ports';
import type { CostSettings } from './cost';
import { usageOf } from './usage';
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

export interface SubmitSettings extends ArticleLimits {
  inputPrefix: string;
  requestsPrefix: string;
  /** Where a document's extracted body is written (`extracted/<articleId>/<inferenceId>.txt`). */
  extractedPrefix: string;
  modelId: string;
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
  /** Users are told when an article is rejected or its submission fails (core/article-events.ts). */
  events: ArticleEvents;
  /** Prices the articles it ends (REJECTED, FAILED at submission); without it they get no costUsd. */
  cost?: CostSettings;
  /** The invocation's Lambda meter (core/usage.ts), when it runs in Lambda. */
  meter?: LambdaMeter;
}

/** One delivery of an upload: Lambda's request id (the same for its retries), and when it must stop reading. */
export interface Invocation {
  id: string;
  /** Epoch ms by which a document must be read, leaving the function time to record the outcome. */
  readBy?: number;
}

/** Without the function's own deadline (a test, `npm run retry`), a document may take this long to read. */
const DEFAULT_READ_MS = 5 * 60 * 1000;

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
export const startSummary = async (upload: Upload, deps: SubmitDeps, invocation: string | Invocation): Promise<SubmitOutcome> => {
  const { id: invocationId, readBy } = typeof invocation === 'string' ? { id: invocation, readBy: undefined } : invocation;
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
  return sendToEndpoint(upload, { articleId, inferenceId }, deps, readBy);
};

/**
 * The rest of a submission, for a row this caller has claimed (an upload, or a retry): checks the
 * article, writes the model request under the inference's own key, and queues it at the endpoint.
 */
export const sendToEndpoint = async (
  upload: Upload,
  ids: { articleId: string; inferenceId: string },
  deps: SubmitDeps,
  readBy?: number,
): Promise<Exclude<SubmitOutcome, { outcome: 'ignored' | 'duplicate' }>> => {
  const { settings, clock } = deps;
  const { articleId, inferenceId } = ids;
  const attempt = { articleId, inferenceId, uploadedAt: upload.eventTime };
  const reject = async (reason: string, contentType?: string, format?: string) => {
    await finishAttempt(deps, attempt, {
      state: 'REJECTED',
      ...(contentType ? { contentType } : {}),
      ...(format ? { format: format as LedgerRow['format'] } : {}),
      reason,
    });
    return { outcome: 'rejected' as const, articleId, inferenceId, reason };
  };

  const tooLarge = sizeProblem(upload.bytes, settings);
  if (tooLarge) return reject(tooLarge);

  const article = await deps.articles.open(upload.bucket, upload.key, upload.etag);
  // A newer upload replaced this revision; its own event carries on with the article.
  if (!article) return { outcome: 'superseded', articleId, inferenceId };

  // Read whole (bounded by the size limits): the format decides what the model reads, and the token
  // estimate decides between one request and parts.
  let input: ArticleText;
  let encoded: { request: Buffer; text: string };
  try {
    const now = () => clock.now().getTime();
    input = await readArticle({ body: article.body, bytes: upload.bytes, key: upload.key, contentType: article.contentType }, settings, {
      deadline: readBy ?? now() + DEFAULT_READ_MS,
      now,
    });
    encoded = encodeModelRequest(input.format === 'text' ? input.bytes : Buffer.from(input.body));
  } catch (error) {
    if (error instanceof RejectedArticleError) return reject(error.message, article.contentType, error.format);
    throw error;
  }
  const facts = articleFacts(encoded.text, article.published, upload.eventTime, 'document' in input ? input.document : undefined);
  const document = await documentFacts(input, ids, deps);
  const long = longArticle(encoded.text, deps.policy);
  if (long) return sendParts(upload, ids, long, article.contentType, { ...facts, ...document }, deps);

  const requestKey = requestKeyFor(settings.requestsPrefix, articleId, inferenceId);
  const requestLocation = await deps.articles.writeRequest(requestKey, encoded.request, MODEL_CONTENT_TYPE);

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

  await deps.ledger.markSubmitted(
    articleId,
    inferenceId,
    {
      submittedAt: clock.now().toISOString(),
      requestLocation,
      ...(article.contentType ? { contentType: article.contentType } : {}),
      outputLocation: accepted.outputLocation,
      failureLocation: accepted.failureLocation,
      ...facts,
      ...document,
    },
    // SageMaker bills the request's bytes as data processed in.
    usageOf(deps.meter, { dataInBytes: encoded.request.length }),
  );
  return { outcome: 'queued', articleId, inferenceId, outputLocation: accepted.outputLocation };
};

type DocumentFacts = Pick<SubmittedUpdate, 'format' | 'abstract' | 'pages' | 'unusablePages' | 'extractedLocation'>;

/**
 * What the row says about a research document: its format, the author's abstract, its pages, and where
 * its extracted body is (written here, per attempt, so the user sees what the model read).
 */
const documentFacts = async (
  input: ArticleText,
  ids: { articleId: string; inferenceId: string },
  deps: SubmitDeps,
): Promise<DocumentFacts> => {
  if (input.format === 'text') return { format: 'text' };
  const { document } = input;
  const key = extractedKeyFor(deps.settings.extractedPrefix, ids.articleId, ids.inferenceId);
  const extractedLocation = await deps.articles.writeRequest(key, Buffer.from(input.body), 'text/plain; charset=utf-8');
  return {
    format: input.format,
    ...(document.abstract ? { abstract: bounded(document.abstract, MAX_ABSTRACT_CHARS) } : {}),
    ...(document.pages !== undefined ? { pages: document.pages } : {}),
    ...(document.unusablePages?.length ? { unusablePages: pageRanges(document.unusablePages) } : {}),
    extractedLocation,
  };
};

/** "2–23, 40": page numbers as ranges, for a person to read. */
export const pageRanges = (pages: readonly number[]): string => {
  const sorted = [...new Set(pages)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    ranges.push(j > i ? `${sorted[i]}–${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return bounded(ranges.join(', '), MAX_REASON_CHARS);
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
    publishedSource: 'upload',
  };
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
  facts: ArticleFacts & DocumentFacts,
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
  await deps.ledger.markSubmitted(articleId, inferenceId, { submittedAt: deps.clock.now().toISOString(), ...facts }, usageOf(deps.meter));
  return { outcome: 'queued', articleId, inferenceId, parts: parts.length };
};
