/**
 * How far along a batch is (`npm run status`, the dashboard): counts by state, throughput, an ETA,
 * the endpoint's instances and backlog, and the cost so far. Plain arithmetic on ledger rows and
 * endpoint figures; no clock or SDK of its own.
 */

import { ArticleStates, type ArticleState, type LedgerRow } from '../ledger';
import { COST_ITEMS, totalOf, type CostItems } from '../cost';

/** What the progress of one row needs: the byBatch index projects exactly these (resources/ledger-table.yml). */
export type ProgressRow = Pick<LedgerRow, 'key' | 'state' | 'receivedAt'> &
  Partial<Pick<LedgerRow, 'completedAt' | 'costUsd' | 'costItems'>>;

/** The endpoint as CloudWatch and Application Auto Scaling (or the local emulator) see it now. */
export interface EndpointFigures {
  inService: number;
  desired: number;
  /** ApproximateBacklogSize: queued and in-flight requests. */
  backlog: number;
  /** Instance-seconds billed since the batch began (InService per minute × 60). */
  instanceSeconds: number;
  /** Mean model seconds per request lately (ModelLatency), when the endpoint has answered any. */
  modelSecondsPerRequest?: number;
}

export interface StatusSettings {
  /** MaxConcurrentInvocationsPerInstance. */
  concurrency: number;
  instancePricePerHour: number;
  /** Seconds (as the caller waits them) from an instance being asked for to it serving. */
  provisioningSeconds: number;
  /** Seconds from the first queued request to the scale-out-from-zero alarm acting (one alarm period). */
  alarmSeconds: number;
  /** The model time per request assumed before the endpoint has answered any. */
  defaultModelSecondsPerRequest: number;
  /** Throughput is measured over this many minutes (default 5). */
  windowMinutes?: number;
}

export interface BatchStatus {
  prefix: string;
  total: number;
  byState: Record<ArticleState, number>;
  completedPerMinute: number;
  etaSeconds: number;
  instances: { inService: number; desired: number };
  backlog: number;
  /**
   * The rows' costUsd summed; the endpoint's instance-seconds since the batch began × the price; the
   * rows' costItems summed item by item (core/cost.ts); and the bill for the batch's work: the instance
   * time billed plus every other item (the rows' instance shares count time in the endpoint, queueing
   * included, and leave out idle and provisioning time, so the billed instance time replaces them).
   */
  costUsd: { articles: number; instances: number; items: CostItems; bill: number };
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Rows finished in the last `windowMinutes`, per minute. A batch younger than the window is measured
 * over its own age (at least 10 s), so its first minutes are not diluted by time before it began.
 */
export const completedPerMinute = (rows: readonly ProgressRow[], nowMs: number, windowMinutes = 5): number => {
  const began = Math.min(nowMs, ...rows.map((r) => Date.parse(r.receivedAt)).filter(Number.isFinite));
  const since = Math.max(nowMs - windowMinutes * 60_000, began);
  const done = rows.filter((r) => r.state !== 'QUEUED' && r.completedAt !== undefined && Date.parse(r.completedAt) > since).length;
  return done / (Math.max(10_000, nowMs - since) / 60_000);
};

/**
 * Seconds until the last QUEUED row finishes: 0 when none is left. With throughput measured and every
 * instance asked for in service, the remaining rows at that pace. While the endpoint still scales
 * (from zero, or out: fewer in service than desired, when the measured pace understates what is
 * coming), the wait for capacity (the alarm period while nothing is asked for, provisioning while
 * instances are starting) plus the remaining model work spread over the instances asked for.
 */
export const etaSeconds = (remaining: number, perMinute: number, endpoint: EndpointFigures, settings: StatusSettings): number => {
  if (remaining === 0) return 0;
  if (perMinute > 0 && endpoint.inService >= endpoint.desired) return Math.max(1, Math.ceil((remaining / perMinute) * 60));
  const capacityWait =
    (endpoint.desired === 0 ? settings.alarmSeconds : 0) +
    (endpoint.inService < Math.max(1, endpoint.desired) ? settings.provisioningSeconds : 0);
  const perRequest = endpoint.modelSecondsPerRequest ?? settings.defaultModelSecondsPerRequest;
  const slots = settings.concurrency * Math.max(1, endpoint.desired, endpoint.inService);
  return Math.max(1, Math.ceil(capacityWait + (remaining * perRequest) / slots));
};

export const batchStatus = (
  prefix: string,
  rows: readonly ProgressRow[],
  endpoint: EndpointFigures,
  settings: StatusSettings,
  nowMs: number,
): BatchStatus => {
  const byState = Object.fromEntries(ArticleStates.map((s) => [s, 0])) as Record<ArticleState, number>;
  for (const row of rows) byState[row.state] += 1;
  const perMinute = completedPerMinute(rows, nowMs, settings.windowMinutes);
  return {
    prefix,
    total: rows.length,
    byState,
    completedPerMinute: round(perMinute, 1),
    etaSeconds: etaSeconds(byState.QUEUED, perMinute, endpoint, settings),
    instances: { inService: endpoint.inService, desired: endpoint.desired },
    backlog: endpoint.backlog,
    costUsd: costSoFar(rows, endpoint, settings),
  };
};

const costSoFar = (rows: readonly ProgressRow[], endpoint: EndpointFigures, settings: StatusSettings): BatchStatus['costUsd'] => {
  const items = Object.fromEntries(
    COST_ITEMS.map((item) => [
      item,
      round(
        rows.reduce((sum, r) => sum + (r.costItems?.[item] ?? 0), 0),
        9,
      ),
    ]),
  ) as unknown as CostItems;
  const instances = round((endpoint.instanceSeconds * settings.instancePricePerHour) / 3600, 6);
  return {
    articles: round(
      rows.reduce((sum, r) => sum + (r.costUsd ?? 0), 0),
      6,
    ),
    instances,
    items,
    bill: round(instances + totalOf({ ...items, instance: 0 }), 6),
  };
};

/** How `npm run status` names each item of the bill. */
const ITEM_NAMES: Record<keyof CostItems, string> = {
  instance: 'instance share',
  sagemakerData: 'SageMaker data in/out',
  lambdaRequests: 'Lambda requests',
  lambdaDuration: 'Lambda duration',
  s3Requests: 'S3 requests',
  snsPublishes: 'SNS publishes',
  dynamodb: 'DynamoDB',
  logs: 'CloudWatch Logs',
};

/** `[#########.........] 45%`: finished rows of all rows. */
export const progressBar = (status: Pick<BatchStatus, 'total' | 'byState'>, width = 30): string => {
  const done = status.total - status.byState.QUEUED;
  const share = status.total === 0 ? 0 : done / status.total;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(share * 100)}%`;
};

const duration = (seconds: number): string => {
  if (seconds === 0) return 'done';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
};

/** The readable status: one screen, what `npm run status` prints and `--watch` redraws. */
export const formatStatus = (s: BatchStatus): string =>
  [
    `${s.prefix}: ${s.total} articles  ${progressBar(s)}`,
    ArticleStates.map((state) => `${state} ${s.byState[state]}`).join('  '),
    `throughput ${s.completedPerMinute}/min   ETA ${duration(s.etaSeconds)}`,
    `endpoint: ${s.instances.inService} in service, ${s.instances.desired} desired, backlog ${s.backlog}`,
    `cost so far: $${s.costUsd.bill.toFixed(4)} as the bill would show it: $${s.costUsd.instances.toFixed(4)} of instance time ` +
      `(instance-hours × price, idle and provisioning included) + the rows' other items`,
    `  the rows' items, $${s.costUsd.articles.toFixed(4)} in all: ` +
      COST_ITEMS.map((item) => `${ITEM_NAMES[item]} $${s.costUsd.items[item].toFixed(6)}`).join(', '),
    `  (an instance share is the article's time in the endpoint, queueing included, over the concurrency: an upper bound while a backlog waits)`,
  ].join('\n');
