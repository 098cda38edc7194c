/**
 * The edge's own pages: the dashboard (`/_dashboard*`), `/_localcloud/health`, `/_localcloud/status`
 * and `/_localcloud/faults`. The dashboard and the status are looked up per request, because the
 * edge starts before the endpoint they describe.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TopicLog } from '../sns/topic-log';
import { parseFaultRates, type FaultInjector } from './faults';
import { BodyTooLargeError, readBodyUpTo, replyTooLarge } from './request-body';
import { errorReply, type RequestHandler } from './router';
import { describeError } from '../../core/errors';

export interface InternalApiSources {
  faults: FaultInjector;
  dashboard: () => ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) | undefined;
  status: () => unknown;
  /** The ArticleEventsTopic's log (sns/topic-log.ts), once the topics are up. */
  articleEvents: () => TopicLog | undefined;
}

export const internalApi =
  ({ faults, dashboard, status, articleEvents }: InternalApiSources): RequestHandler =>
  async (req, res) => {
    const page = dashboard();
    if (page && (await page(req, res))) return;
    if (req.url === '/_localcloud/faults') return faultsRoute(req, res, faults);
    if (new URL(req.url ?? '/', 'http://localhost').pathname === '/_localcloud/article-events')
      return articleEventsRoute(req, res, articleEvents());
    internalRoutes(req, res, status);
  };

/** The settings are three numbers; a body past this is not fault settings, and is not read. */
export const MAX_FAULTS_BODY_BYTES = 16 * 1024;
/**
 * GET: the latest messages the ArticleEventsTopic delivered (`?limit=N`, default and most: the 200 kept
 * in memory), oldest first, each in SNS's JSON envelope; `.local-cloud/article-events.jsonl` has them all.
 */
const articleEventsRoute = (req: IncomingMessage, res: ServerResponse, log: TopicLog | undefined): void => {
  const limit = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('limit') ?? '200');
  if (!Number.isInteger(limit) || limit < 1) return errorReply(res, 400, 'limit must be a positive integer');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(log ? log.latest(limit) : []));
};

/** GET shows the fault rates and how many faults were injected; PUT `{"s3":0.05,"dynamodb":0}` sets them. */
const faultsRoute = async (req: IncomingMessage, res: ServerResponse, faults: FaultInjector): Promise<void> => {
  if (req.method === 'PUT' || req.method === 'POST') {
    let body: Buffer;
    try {
      body = await readBodyUpTo(req, MAX_FAULTS_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        replyTooLarge(
          req,
          res,
          'application/json',
          JSON.stringify({
            message: `fault settings are at most ${MAX_FAULTS_BODY_BYTES} bytes of JSON, e.g. {"s3":0.05,"dynamodb":0.05,"duplicates":0}`,
          }),
        );
      return; // or the client went away mid-body
    }
    try {
      faults.set(parseFaultRates(JSON.parse(body.toString('utf-8') || '{}')));
    } catch (error) {
      errorReply(res, 400, describeError(error));
      return;
    }
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ rates: faults.rates, injected: faults.injected }));
};

const internalRoutes = (req: IncomingMessage, res: ServerResponse, status: () => unknown): void => {
  if (req.url === '/_localcloud/health' || req.url === '/_localcloud/status') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url.endsWith('health') ? { ok: true } : status()));
    return;
  }
  errorReply(res, 404, `no such local cloud page: ${req.url}`);
};
