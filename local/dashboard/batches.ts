import { loadRecordConfig } from '../../adapters/config';
import { batchStatus, type BatchStatus, type ProgressRow, type StatusSettings } from '../../core/status/batch-status';
import { RECORD_RESULT_FUNCTION, type StackConfig } from '../template/stack-config';
import type { DashboardData } from './data';
import { localFigures } from './endpoint-figures';

/** A ledger row as the batches panel reads it: its progress fields and its batch (absent on rows of an earlier version). */
export type BatchRow = ProgressRow & { batch?: string };

/** Before the endpoint has answered anything, a request is assumed to take this long. */
export const DEFAULT_MODEL_SECONDS = 2;

/**
 * The status settings of the local cloud: price and concurrency from the template, and the simulated
 * waits (one alarm minute, the provisioning delay) in the real seconds a user waits for them.
 */
export const statusSettingsOf = (config: StackConfig, timeScale: number, provisioningDelayS: number): StatusSettings => {
  const { cost } = loadRecordConfig(config.functions[RECORD_RESULT_FUNCTION]?.environment ?? {});
  return {
    concurrency: cost.concurrency,
    instancePricePerHour: cost.instancePricePerHour,
    provisioningSeconds: provisioningDelayS / timeScale,
    alarmSeconds: 60 / timeScale,
    defaultModelSecondsPerRequest: DEFAULT_MODEL_SECONDS,
  };
};

/** At most this many batches are shown, the most recently started first. */
export const MAX_BATCHES = 10;

/**
 * Per-batch progress for the dashboard: the same status `npm run status --prefix` prints
 * (core/status/batch-status.ts), one per batch, with the endpoint figures the page already has. The
 * endpoint is shared, so each batch's instance cost covers the instance time since that batch began.
 */
export const batchesOf = (
  rows: readonly BatchRow[],
  endpoint: Pick<DashboardData, 'status' | 'metrics' | 'timeScale'>,
  settings: StatusSettings,
  now: Date,
): BatchStatus[] => {
  const groups = new Map<string, BatchRow[]>();
  for (const row of rows) {
    const batch = row.batch ?? '?';
    groups.set(batch, [...(groups.get(batch) ?? []), row]);
  }
  const started = (group: BatchRow[]) => Math.min(...group.map((r) => Date.parse(r.receivedAt)));
  return [...groups.entries()]
    .sort(([, a], [, b]) => started(b) - started(a))
    .slice(0, MAX_BATCHES)
    .map(([batch, group]) => batchStatus(batch, group, localFigures(endpoint, new Date(started(group)), now), settings, now.getTime()));
};
