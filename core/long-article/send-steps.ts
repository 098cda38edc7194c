import { requestKeyFor, stepInferenceIdFor, type StepId } from '../ids';
import { MODEL_CONTENT_TYPE, MODEL_PARAMETERS } from '../model-request';
import type { GenerationParameters, LongArticlePolicy } from './steps';
import type { ArticleStore, InferenceQueue, LambdaMeter, SummaryLedger } from '../ports';
import { usageOf } from '../usage';
import { describeError } from '../errors';
import { eachAtMost } from './at-most';

/** What sending one step of a long article needs: submit-article (parts), record-result (reduce), retry. */
export interface StepSenderDeps {
  articles: Pick<ArticleStore, 'writeRequest'>;
  queue: InferenceQueue;
  ledger: SummaryLedger;
  policy: LongArticlePolicy;
  settings: { requestsPrefix: string; requestTtlSeconds: number; invocationTimeoutSeconds: number };
  /** The invocation's Lambda meter (core/usage.ts), when it runs in Lambda. */
  meter?: LambdaMeter;
}

/** A step the endpoint did not accept; the message names the step. */
export class StepNotAcceptedError extends Error {
  override readonly name = 'StepNotAcceptedError';
  constructor(
    readonly step: StepId,
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Writes one step's model request under its own deterministic key and queues it with its
 * deterministic inference id, then records it as sent on the row. A caller retried after a crash
 * sends it again under the same id and key: at worst a second model run of one step, never a second
 * outcome (the ledger keeps the first). `resend`: the step was sent by an earlier attempt, so this
 * request is one more in requestCount (a level's first requests are counted when it starts).
 */
export const sendStep = async (
  deps: StepSenderDeps,
  ids: { articleId: string; inferenceId: string },
  step: StepId,
  input: string,
  generation: GenerationParameters,
  resend: boolean,
): Promise<void> => {
  const id = stepInferenceIdFor(ids.inferenceId, step);
  const body = Buffer.from(JSON.stringify({ inputs: input, parameters: { ...MODEL_PARAMETERS, ...generation } }));
  const inputLocation = await deps.articles.writeRequest(
    requestKeyFor(deps.settings.requestsPrefix, ids.articleId, id),
    body,
    MODEL_CONTENT_TYPE,
  );
  let accepted;
  try {
    accepted = await deps.queue.submit({
      inferenceId: id,
      inputLocation,
      contentType: MODEL_CONTENT_TYPE,
      accept: MODEL_CONTENT_TYPE,
      requestTtlSeconds: deps.settings.requestTtlSeconds,
      invocationTimeoutSeconds: deps.settings.invocationTimeoutSeconds,
    });
  } catch (cause) {
    throw new StepNotAcceptedError(step, `the endpoint did not accept the request: ${describeError(cause)}`, { cause });
  }
  await deps.ledger.markStepSent(
    ids.articleId,
    ids.inferenceId,
    step,
    { s: 'sent', id, o: accepted.outputLocation, ...(accepted.failureLocation ? { f: accepted.failureLocation } : {}) },
    resend,
    // SageMaker bills the request's bytes as data processed in.
    usageOf(deps.meter, { dataInBytes: body.length }),
  );
};

/**
 * How many steps one invocation sends at once. A 1 MB article is about 250 parts, each three round trips
 * (S3 PutObject, InvokeEndpointAsync, DynamoDB UpdateItem): one at a time that is most of a 60 s Lambda
 * timeout on a slow day. Eight keeps well inside the per-account SageMaker runtime request rate.
 */
export const STEP_SEND_CONCURRENCY = 8;

export interface StepToSend {
  step: StepId;
  input: string;
  /** Sent by an earlier attempt, so one more request in requestCount (see sendStep). */
  resend: boolean;
}

/**
 * Sends steps, up to `concurrency` at once, in order. At the first step the endpoint refuses, no further
 * step starts; the ones in flight finish (each is recorded as sent), then that first error is thrown, so a
 * retried invocation sends only the steps not recorded.
 */
export const sendSteps = async (
  deps: StepSenderDeps,
  ids: { articleId: string; inferenceId: string },
  steps: readonly StepToSend[],
  generation: GenerationParameters,
  concurrency = STEP_SEND_CONCURRENCY,
): Promise<void> => eachAtMost(steps, concurrency, ({ step, input, resend }) => sendStep(deps, ids, step, input, generation, resend));
