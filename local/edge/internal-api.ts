/**
 * The edge's own pages: the dashboard (`/_dashboard*`), `/_localcloud/health`, `/_localcloud/status`
 * and `/_localcloud/faults`. The dashboard and the status are looked up per request, because the
 * edge starts before the endpoint they describe.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFaultRates, type FaultInjector } from './faults';
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

/** GET shows the fault rates and how many faults were injected; PUT `{"s3":0.05,"dynamodb":0}` sets them. */
const faultsRoute = async (req: IncomingMessage, res: ServerResponse, faults: FaultInjector): Promise<void> => {
  if (req.method === 'PUT' || req.method === 'POST') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      faults.set(parseFaultRates(JSON.parse(Buffer.concat(chunks).toString('utf-8') || '{}')));
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
