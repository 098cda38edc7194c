/**
 * The edge's own pages: the dashboard (`/_dashboard*`), `/_localcloud/health`, `/_localcloud/status`
 * and `/_localcloud/faults`. The dashboard and the status are looked up per request, because the
 * edge starts before the endpoint they describe.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFaultRates, type FaultInjector } from './faults';
import { BodyTooLargeError, readBodyUpTo, replyTooLarge } from './request-body';
import { errorReply, type RequestHandler } from './router';
import { describeError } from '../../core/errors';

export interface InternalApiSources {
  faults: FaultInjector;
  dashboard: () => ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) | undefined;
  status: () => unknown;
}

export const internalApi =
  ({ faults, dashboard, status }: InternalApiSources): RequestHandler =>
  async (req, res) => {
    const page = dashboard();
    if (page && (await page(req, res))) return;
    if (req.url === '/_localcloud/faults') return faultsRoute(req, res, faults);
    internalRoutes(req, res, status);
  };

/** The settings are three numbers; a body past this is not fault settings, and is not read. */
export const MAX_FAULTS_BODY_BYTES = 16 * 1024;

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
