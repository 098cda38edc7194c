/**
 * EventBridge schedules → Lambda, on the simulated clock (a 15-minute rate runs every 90 s at 10×),
 * with the Scheduled Event shape (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html).
 * Returns a function that stops them.
 */

import { randomUUID } from 'node:crypto';
import type { StackConfig } from '../template/stack-config';

export const startSchedules = (
  config: StackConfig,
  timeScale: number,
  invoke: (functionLogicalId: string, event: unknown) => void,
): (() => void) => {
  const timers = config.schedules.map((schedule) =>
    setInterval(
      () => {
        invoke(schedule.functionLogicalId, {
          version: '0',
          id: randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: config.accountId,
          time: new Date().toISOString(),
          region: config.region,
          resources: [`arn:aws:events:${config.region}:${config.accountId}:rule/${schedule.ruleName}`],
          detail: {},
        });
      },
      (schedule.everyS * 1000) / timeScale,
    ),
  );
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
};
