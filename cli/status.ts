import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDbLedgerProgress } from '../adapters/ledger-progress';
import { selectPrefix } from '../core/status/batch';
import {
  batchStatus,
  formatStatus,
  type BatchStatus,
  type EndpointFigures,
  type ProgressRow,
  type StatusSettings,
} from '../core/status/batch-status';
import { DEFAULTS } from '../local/defaults';
import type { DashboardData } from '../local/dashboard/data';
import { localFigures } from '../local/dashboard/endpoint-figures';
import { DEFAULT_MODEL_SECONDS, statusSettingsOf } from '../local/dashboard/batches';
import { readStackConfig } from '../local/template/stack-config';
import type { Endpoints } from '../local/types';
import type { Target } from './target';

/** Where `npm run status` reads the endpoint's figures and the prices from. */
export interface StatusSource {
  endpoint(since: Date, now: Date): Promise<EndpointFigures>;
  settings: StatusSettings;
}

/**
 * The local cloud: the emulator's CloudWatch-shaped metrics and status from the dashboard's data
 * (`/_dashboard/data.json`). Metric timestamps run on the simulated clock and ledger times on the
 * wall clock: the batch's start is mapped onto the simulated clock with the measured time scale, and
 * waits the simulated clock counts (alarm period, provisioning) are divided by it for the ETA.
 */
export const localStatusSource = (stateDir: string, projectRoot: string): StatusSource => {
  const endpoints = JSON.parse(readFileSync(join(stateDir, 'endpoints.json'), 'utf-8')) as Endpoints;
  const config = readStackConfig({ projectRoot, region: endpoints.region });
  let settings = statusSettingsOf(config, DEFAULTS.timeScale, DEFAULTS.provisioningDelayS);
  return {
    get settings() {
      return settings;
    },
    endpoint: async (since, now) => {
      const reply = await fetch(`${endpoints.edgeUrl}/_dashboard/data.json?points=1440`, { signal: AbortSignal.timeout(10_000) });
      if (!reply.ok) throw new Error(`the local cloud's dashboard data answered ${reply.status}`);
      const data = (await reply.json()) as DashboardData;
      // The time scale the running cloud shows, measured on its clock (the provisioning delay is not in its data).
      if (data.timeScale) settings = statusSettingsOf(config, data.timeScale, DEFAULTS.provisioningDelayS);
      return localFigures(data, since, now);
    },
  };
};

/**
 * A deployed stage: CloudWatch and Application Auto Scaling for the endpoint (the target's
 * endpointFigures), the record-result function's configuration for the price (the target reads it, as
 * reconcile's does). Provisioning from zero takes minutes on AWS (instance start and model download;
 * "7–9 minutes" end to end for a Hugging Face model,
 * https://www.philschmid.de/sagemaker-huggingface-async-inference): 420 s is assumed.
 */
export const awsStatusSource = async (
  target: Pick<Target, 'recordConfig'>,
  figures: NonNullable<Target['endpointFigures']>,
): Promise<StatusSource> => {
  const record = await target.recordConfig();
  return {
    settings: {
      concurrency: record.cost.concurrency,
      instancePricePerHour: record.cost.instancePricePerHour,
      provisioningSeconds: 420,
      alarmSeconds: 60,
      defaultModelSecondsPerRequest: DEFAULT_MODEL_SECONDS,
    },
    endpoint: (since, now) => figures.figures(since, now),
  };
};

/** One reading: the batch's rows (Query, never Scan), the endpoint's figures since its first row. */
export const readStatus = async (
  target: Pick<Target, 'dynamo' | 'table' | 'inputPrefix'>,
  source: StatusSource,
  prefix: string | undefined,
  now = new Date(),
): Promise<BatchStatus> => {
  const rows: ProgressRow[] = await new DynamoDbLedgerProgress(target.dynamo, target.table).rows(selectPrefix(prefix, target.inputPrefix));
  const first = rows.reduce((min, r) => Math.min(min, Date.parse(r.receivedAt) || min), now.getTime());
  const endpoint = await source.endpoint(new Date(first), now);
  return batchStatus(prefix ?? target.inputPrefix, rows, endpoint, source.settings, now.getTime());
};

/** `--json`: exactly the documented keys. */
export const statusJson = (s: BatchStatus): string => JSON.stringify(s);

/** `--watch`: redraws every `everyMs` until no article of the batch is QUEUED. */
export const watchStatus = async (
  read: () => Promise<BatchStatus>,
  write: (text: string) => void,
  everyMs = 2000,
): Promise<BatchStatus> => {
  for (;;) {
    const status = await read();
    write(`\x1b[2J\x1b[H${formatStatus(status)}\n`);
    if (status.total > 0 && status.byState.QUEUED === 0) return status;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
};
