/**
 * The dashboard of a running local cloud: the endpoint's status, metrics and scaling activities,
 * the supervised processes, the ledger, batches and trends read from the stack's table, and the latest
 * article events.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AsyncEndpoint } from '../sagemaker-async/types';
import type { SupervisionStatus } from '../support/supervisor';
import type { StackConfig } from '../template/stack-config';
import type { TopicLog } from '../sns/topic-log';
import { articleEventRows } from './article-events';
import { statusSettingsOf } from './batches';
import { makeDashboardHandler } from './routes';
import { ledgerView } from './ledger-view';
import { trendsSource } from './trends-api';

export const cloudDashboard = (
  endpoint: AsyncEndpoint,
  dynamo: DynamoDBDocumentClient,
  config: StackConfig,
  settings: { timeScale: number; provisioningDelayS: number; processes?: () => SupervisionStatus[] },
  articleEvents?: TopicLog,
): ReturnType<typeof makeDashboardHandler> =>
  makeDashboardHandler(
    {
      status: () => endpoint.status(),
      metrics: () => endpoint.metrics(),
      scalingActivities: () => endpoint.scalingActivities(),
      ledger: ledgerView(dynamo, config.table.TableName),
      trends: trendsSource(dynamo, config.table.TableName),
      ...(settings.processes ? { processes: settings.processes } : {}),
      ...(articleEvents ? { articleEvents: () => articleEventRows(articleEvents.latest()) } : {}),
    },
    { statusSettings: statusSettingsOf(config, settings.timeScale, settings.provisioningDelayS) },
  );
