import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { parseUploads } from '../../adapters/events';
import { startSummary, type SubmitDeps } from '../../core/submit-article';
import { meterOf } from '../lambda-meter';

export interface UploadDeps extends SubmitDeps {
  logger: Logger;
}

/**
 * S3 ObjectCreated under input/ -> one model request per article. Records are handled one by one;
 * a throw makes Lambda retry the event (asynchronous invocation: two retries, then the dead-letter
 * queue), and the ledger's conditional claim keeps the retry from queueing finished records twice.
 */
export const makeOnUpload =
  (deps: UploadDeps) =>
  async (
    event: unknown,
    context: Pick<Context, 'awsRequestId'> & Partial<Pick<Context, 'getRemainingTimeInMillis' | 'memoryLimitInMB'>>,
  ): Promise<void> => {
    // The invocation's duration is charged to the articles it works on (core/usage.ts).
    const invocationDeps = { ...deps, ...meterOf(context, deps.clock) };
    for (const upload of parseUploads(event)) {
      deps.logger.appendKeys({ bucket: upload.bucket, key: upload.key, etag: upload.etag });
      try {
        // Lambda keeps the request id across the retries of one asynchronous invocation.
        const result = await startSummary(upload, invocationDeps, { id: context.awsRequestId, ...readingTime(deps, context) });
        deps.logger.info(`article ${result.outcome}`, { ...result });
      } finally {
        deps.logger.removeKeys(['bucket', 'key', 'etag']);
      }
    }
  };

/**
 * A document may be read for three quarters of the time the invocation has left; the rest records the
 * outcome and sends the request (or a long document's parts).
 */
const READING_SHARE = 0.75;

const readingTime = (deps: UploadDeps, context: Partial<Pick<Context, 'getRemainingTimeInMillis'>>): { readBy?: number } =>
  context.getRemainingTimeInMillis
    ? { readBy: deps.clock.now().getTime() + Math.floor(context.getRemainingTimeInMillis() * READING_SHARE) }
    : {};
