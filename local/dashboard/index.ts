import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ArticleState, LedgerRow } from '../../core/ledger';
import type { EndpointStatus, MetricDatapoint, ScalingActivity } from '../sagemaker-async';

/** What the live dashboard reads from the running local cloud. */
export interface DashboardSource {
  status(): EndpointStatus;
  metrics(): MetricDatapoint[];
  scalingActivities(): ScalingActivity[];
  ledger: {
    countsByState(): Promise<Record<ArticleState, number>>;
    latest(limit: number): Promise<LedgerRow[]>;
  };
}

/** Serves /_dashboard and its data; answers false for paths it does not own. */
export const makeDashboardHandler =
  (_source: DashboardSource) =>
  async (_req: IncomingMessage, _res: ServerResponse): Promise<boolean> =>
    false;
