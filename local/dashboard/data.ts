import type { ArticleState, LedgerRow } from '../../core/ledger';
import { partsProgress } from '../../core/long-article/steps';
import type { EndpointStatus, MetricDatapoint, ScalingActivity } from '../sagemaker-async/types';
import type { SupervisionStatus } from '../support/supervisor';
import { METRIC_PERIOD_MS } from '../sagemaker-async/metrics';
import type { BatchStatus, StatusSettings } from '../../core/status/batch-status';
import { batchesOf, type BatchRow } from './batches';
import type { DashboardSource } from './routes';
import type { ArticleEventRow } from './article-events';

/** What /_dashboard/data.json answers; dashboard.js draws it. */
export interface DashboardData {
  /** Wall clock of this answer, ISO. */
  generatedAt: string;
  /** Simulated seconds per real second, measured on the endpoint's clock; null until measurable. */
  timeScale: number | null;
  /** Simulated milliseconds per datapoint. */
  periodMs: number;
  status: EndpointStatus;
  /** Datapoints after `since` (or the last `points`), oldest first. */
  metrics: MetricDatapoint[];
  /** Newest first. */
  scalingActivities: ScalingActivity[];
  ledger: LedgerSnapshot;
  /** Per-batch progress, ETA and cost, the most recently started first (batches.ts); empty without status settings. */
  batches: BatchStatus[];
  /** The supervised processes: DynamoDB and the model servers, their restarts, a crash loop. */
  processes: SupervisionStatus[];
  /** The latest messages users were sent on the ArticleEventsTopic, newest first (article-events.ts). */
  articleEvents: ArticleEventRow[];
}

/** The fields of a summarized row the page shows; summaries are shortened (a row may hold 20,000 characters). */
export interface LatestSummary {
  key: string;
  state: ArticleState;
  /** The document's own title (or the first line of a text), and its format (pdf, jats, html…). */
  title?: string;
  format?: string;
  summary: string;
  /** A long article's parts progress (core/long-article/steps.ts partsProgress), e.g. "3/7 parts". */
  progress?: string;
  receivedAt: string;
  completedAt?: string;
  totalMs?: number;
}

export interface LedgerSnapshot {
  counts: Record<ArticleState, number>;
  latest: LatestSummary[];
  /** Every row's progress fields, for the batches; not sent to the page as such. */
  progress?: BatchRow[];
  /** Wall clock when these counts were read, ISO (they are cached; see cachedLedger). */
  readAt: string;
}

/** CloudWatch dashboards open on the last 3 hours: 180 one-minute datapoints. */
export const DEFAULT_POINTS = 180;
export const MAX_POINTS = 1_440;
export const LATEST_ROWS = 10;
export const MAX_ACTIVITIES = 30;
const SUMMARY_CHARS = 400;
const TITLE_CHARS = 200;

const shorten = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const latestSummary = (row: LedgerRow): LatestSummary => {
  const progress = partsProgress(row);
  return {
    key: row.key,
    state: row.state,
    ...(row.title ? { title: shorten(row.title, TITLE_CHARS) } : {}),
    ...(row.format ? { format: row.format } : {}),
    summary: shorten(row.summary ?? '', SUMMARY_CHARS),
    ...(progress ? { progress } : {}),
    receivedAt: row.receivedAt,
    ...(row.completedAt ? { completedAt: row.completedAt } : {}),
    ...(row.totalMs !== undefined ? { totalMs: row.totalMs } : {}),
  };
};

/**
 * The ledger part of the dashboard, shared by every open tab: at most one read in flight, and a
 * result is reused until `ttlMs` after the read started, or twice as long as the read took after it
 * ended, whichever is later. Counting through the byState index (Select COUNT) still pages through
 * every row of a state, so on a large ledger this caps the share of time the dashboard keeps
 * DynamoDB busy at a third, however many tabs poll.
 */
export const cachedLedger = (
  ledger: DashboardSource['ledger'],
  { ttlMs = 1_000, latestRows = LATEST_ROWS, now = Date.now }: { ttlMs?: number; latestRows?: number; now?: () => number } = {},
): (() => Promise<LedgerSnapshot>) => {
  let last: { snapshot: LedgerSnapshot; freshUntil: number } | undefined;
  let reading: Promise<LedgerSnapshot> | undefined;
  const read = async (): Promise<LedgerSnapshot> => {
    const startedAt = now();
    const [counts, rows, progress] = await Promise.all([ledger.countsByState(), ledger.latest(latestRows), ledger.progressRows?.()]);
    const snapshot = {
      counts,
      latest: rows.map(latestSummary),
      ...(progress ? { progress } : {}),
      readAt: new Date(startedAt).toISOString(),
    };
    const endedAt = now();
    last = { snapshot, freshUntil: Math.max(startedAt + ttlMs, endedAt + 2 * (endedAt - startedAt)) };
    return snapshot;
  };
  return () => {
    if (last && now() < last.freshUntil) return Promise.resolve(last.snapshot);
    // A failed read is not cached: every waiter sees the error, the next poll tries again.
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };
};

/**
 * Simulated seconds per real second, from two readings of the endpoint's clock (status().time). The
 * local cloud's time scale is not part of DashboardSource; the clock is, and it tells the same.
 */
export const timeScaleMeter = (simulatedNow: () => string, now = Date.now): (() => number | null) => {
  const first = { real: now(), simulated: Date.parse(simulatedNow()) };
  return () => {
    const realMs = now() - first.real;
    if (realMs < 500) return null;
    const scale = (Date.parse(simulatedNow()) - first.simulated) / realMs;
    return scale >= 10 ? Math.round(scale) : Math.round(scale * 10) / 10;
  };
};

export class DashboardQueryError extends Error {
  override readonly name = 'DashboardQueryError';
}

/** `since`: the timestamp of the last datapoint the page has; `points`: how many it keeps. */
export const parseQuery = (params: URLSearchParams): { since?: number; points: number } => {
  const since = params.get('since');
  const points = params.get('points');
  const parsed = {
    points: points === null ? DEFAULT_POINTS : Number(points),
    ...(since === null ? {} : { since: Date.parse(since) }),
  };
  if (!Number.isInteger(parsed.points) || parsed.points < 1 || parsed.points > MAX_POINTS) {
    throw new DashboardQueryError(`points must be an integer from 1 to ${MAX_POINTS}; got ${JSON.stringify(points)}`);
  }
  if (parsed.since !== undefined && Number.isNaN(parsed.since)) {
    throw new DashboardQueryError(`since must be an ISO timestamp; got ${JSON.stringify(since)}`);
  }
  return parsed;
};

/** The datapoints newer than `since`, at most the last `points` of them. */
export const metricsWindow = (all: MetricDatapoint[], { since, points }: { since?: number; points: number }): MetricDatapoint[] => {
  const newer = since === undefined ? all : all.filter((d) => Date.parse(d.timestamp) > since);
  return newer.slice(-points);
};

export const dashboardData = async (
  source: DashboardSource,
  readLedger: () => Promise<LedgerSnapshot>,
  timeScale: () => number | null,
  query: { since?: number; points: number },
  statusSettings?: StatusSettings,
): Promise<DashboardData> => {
  const { progress, ...ledger } = await readLedger();
  const status = source.status();
  const scale = timeScale();
  const batches =
    progress && statusSettings
      ? batchesOf(progress, { status, metrics: source.metrics(), timeScale: scale }, statusSettings, new Date())
      : [];
  return {
    generatedAt: new Date().toISOString(),
    timeScale: scale,
    periodMs: METRIC_PERIOD_MS,
    status,
    metrics: metricsWindow(source.metrics(), query),
    scalingActivities: source.scalingActivities().slice(-MAX_ACTIVITIES).reverse(),
    ledger,
    batches,
    processes: source.processes?.() ?? [],
    articleEvents: source.articleEvents?.() ?? [],
  };
};
