/**
 * The dashboard of a running local cloud: the endpoint's status, metrics and scaling activities,
 * the supervised processes, and the ledger, batches and trends read from the stack's table.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AsyncEndpoint } from '../sagemaker-async/types';
import type { SupervisionStatus } from '../support/supervisor';
import type { StackConfig } from '../template/stack-config';
import { statusSettingsOf } from './batches';
import { makeDashboardHandler } from './routes';
import { ledgerView } from './ledger-view';
import { trendsSource } from './trends-api';

export const cloudDashboard = (
  endpoint: AsyncEndpoint,
  dynamo: DynamoDBDocumentClient,
  config: StackConfig,
  settings: { timeScale: number; provisioningDelayS: number; processes?: () => SupervisionStatus[] },
): ReturnType<typeof makeDashboardHandler> =>
  makeDashboardHandler(
    {
      status: () => endpoint.status(),
      metrics: () => endpoint.metrics(),
      scalingActivities: () => endpoint.scalingActivities(),
      ledger: ledgerView(dynamo, config.table.TableName),
      trends: trendsSource(dynamo, config.table.TableName),
      ...(settings.processes ? { processes: settings.processes } : {}),
    },
    { statusSettings: statusSettingsOf(config, settings.timeScale, settings.provisioningDelayS) },
  );
