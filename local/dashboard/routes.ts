import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ArticleState, LedgerRow } from '../../core/ledger';
import type { EndpointStatus, MetricDatapoint, ScalingActivity } from '../sagemaker-async/types';
import type { SupervisionStatus } from '../support/supervisor';
import type { StatusSettings } from '../../core/status/batch-status';
import { dashboardAssets } from './assets';
import type { BatchRow } from './batches';
import type { ArticleEventRow } from './article-events';
import { cachedLedger, dashboardData, DashboardQueryError, parseQuery, timeScaleMeter } from './data';
import { phraseArticles, trendsData, TrendsQueryError, type TrendsSource } from './trends-api';

export type { DashboardData, LatestSummary, LedgerSnapshot } from './data';

/** What the live dashboard reads from the running local cloud. */
export interface DashboardSource {
  status(): EndpointStatus;
  metrics(): MetricDatapoint[];
  scalingActivities(): ScalingActivity[];
  ledger: {
    countsByState(): Promise<Record<ArticleState, number>>;
    latest(limit: number): Promise<LedgerRow[]>;
    /** Every row's batch and progress fields, for the batches panel. */
    progressRows?(): Promise<BatchRow[]>;
  };
  /** The Trends panel's reads (trends-api.ts); without it the panel says trends are not available. */
  trends?: TrendsSource;
  /** The supervised processes (DynamoDB, the model servers); without it the Processes tile says so. */
  processes?(): SupervisionStatus[];
  /** The latest messages of the ArticleEventsTopic, newest first (article-events.ts). */
  articleEvents?(): ArticleEventRow[];
}

export interface DashboardOptions {
  /** How long one ledger read serves every open tab (see cachedLedger). */
  ledgerTtlMs: number;
  /** Prices and waits for the batches' ETA and cost (core/status/batch-status.ts); without them, no batches panel. */
  statusSettings?: StatusSettings;
}

/**
 * The page refuses inline scripts and every origin but its own: ledger keys and summaries are user
 * input, and the page must stay a page even if one slipped through unescaped.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const reply = (req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void => {
  res.writeHead(status, { ...PAGE_HEADERS, ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(req.method === 'HEAD' ? undefined : body);
};

const json = (req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void =>
  reply(req, res, status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, JSON.stringify(value));

/**
 * Serves /_dashboard (the page, its script and styles, uPlot from node_modules) and
 * /_dashboard/data.json (what the page polls each second); answers false for paths it does not own,
 * /_localcloud/* among them.
 */
export const makeDashboardHandler = (source: DashboardSource, options: Partial<DashboardOptions> = {}) => {
  const readLedger = cachedLedger(source.ledger, { ttlMs: options.ledgerTtlMs ?? 1_000 });
  const timeScale = timeScaleMeter(() => source.status().time);
  const asset = dashboardAssets();
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/_dashboard' && !url.pathname.startsWith('/_dashboard/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(req, res, 405, { message: `${req.method} is not allowed on the dashboard; use GET` });
      return true;
    }
    if ((url.pathname === '/_dashboard/trends.json' || url.pathname === '/_dashboard/trends/articles.json') && source.trends) {
      const today = new Date().toISOString().slice(0, 10);
      try {
        const read = url.pathname === '/_dashboard/trends.json' ? trendsData : phraseArticles;
        json(req, res, 200, await read(source.trends, url.searchParams, today));
      } catch (error) {
        if (!(error instanceof TrendsQueryError)) throw error;
        json(req, res, 400, { message: error.message });
      }
      return true;
    }
    if (url.pathname === '/_dashboard/data.json') {
      let query: ReturnType<typeof parseQuery>;
      try {
        query = parseQuery(url.searchParams);
      } catch (error) {
        if (!(error instanceof DashboardQueryError)) throw error;
        json(req, res, 400, { message: error.message });
        return true;
      }
      // A failing ledger read propagates: the edge answers 500 with its message and the page shows it.
      json(req, res, 200, await dashboardData(source, readLedger, timeScale, query, options.statusSettings));
      return true;
    }
    const file = asset(url.pathname);
    if (!file) {
      json(req, res, 404, { message: `no such dashboard file: ${url.pathname}` });
      return true;
    }
    reply(req, res, 200, { 'content-type': file.contentType, 'cache-control': file.cacheControl }, file.body);
    return true;
  };
};
