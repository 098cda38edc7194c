/**
 * What invokes the functions, read from the packaged template: S3 notifications (with their key
 * filters), SNS subscriptions and EventBridge `rate(...)` schedules.
 */

import type { LocalFunction } from './functions';
import type { TemplateView } from './template-view';

export interface BucketNotification {
  bucket: string;
  functionLogicalId: string;
  event: string;
  prefix: string;
  suffix: string;
}

export interface Subscription {
  topicArn: string;
  functionLogicalId: string;
}

export interface Schedule {
  ruleName: string;
  everyS: number;
  functionLogicalId: string;
}

/** S3 → Lambda notifications, with their key filters. */
export const bucketNotificationsOf = ({ ofType, ev, resolver }: TemplateView): BucketNotification[] =>
  ofType('AWS::S3::Bucket').flatMap(([id, r]) => {
    const config = ev<{
      LambdaConfigurations?: { Event: string; Function: string; Filter?: { S3Key?: { Rules?: { Name: string; Value: string }[] } } }[];
    }>(r.Properties?.NotificationConfiguration ?? {});
    return (config.LambdaConfigurations ?? []).map((c) => {
      const rules = c.Filter?.S3Key?.Rules ?? [];
      const functionArn = c.Function;
      const functionLogicalId = ofType('AWS::Lambda::Function').find(([fid]) => resolver.getAtt(fid, 'Arn') === functionArn)?.[0];
      if (!functionLogicalId) throw new Error(`bucket ${id} notifies unknown function ${functionArn}`);
      return {
        bucket: resolver.ref(id),
        functionLogicalId,
        event: c.Event,
        prefix: rules.find((rule) => rule.Name.toLowerCase() === 'prefix')?.Value ?? '',
        suffix: rules.find((rule) => rule.Name.toLowerCase() === 'suffix')?.Value ?? '',
      };
    });
  });

export const topicsOf = ({ ofType, resolver }: TemplateView): Record<string, string> =>
  Object.fromEntries(ofType('AWS::SNS::Topic').map(([id]) => [id, resolver.ref(id)]));

/** SNS → Lambda subscriptions; other protocols have no local subscriber. */
export const subscriptionsOf = ({ ofType, ev }: TemplateView, functions: Record<string, LocalFunction>): Subscription[] =>
  ofType('AWS::SNS::Subscription')
    .map(([, r]) => ev<{ TopicArn: string; Protocol: string; Endpoint: string }>(r.Properties))
    .filter((s) => s.Protocol === 'lambda')
    .map((s) => {
      const fn = Object.values(functions).find((f) => f.arn === s.Endpoint);
      if (!fn) throw new Error(`SNS subscription to unknown function ${s.Endpoint}`);
      return { topicArn: s.TopicArn, functionLogicalId: fn.logicalId };
    });

/** Enabled `rate(...)` rules with a function target. */
export const schedulesOf = ({ ofType, ev }: TemplateView, functions: Record<string, LocalFunction>): Schedule[] =>
  ofType('AWS::Events::Rule').flatMap(([id, r]) => {
    const p = ev<{ ScheduleExpression?: string; State?: string; Targets?: { Arn: string }[] }>(r.Properties);
    const everyS = rateSeconds(p.ScheduleExpression);
    if (everyS === undefined || p.State === 'DISABLED') return [];
    return (p.Targets ?? []).flatMap((target) => {
      const fn = Object.values(functions).find((f) => f.arn === target.Arn);
      return fn ? [{ ruleName: id, everyS, functionLogicalId: fn.logicalId }] : [];
    });
  });

/** `rate(15 minutes)` → 900; cron expressions are not run locally. */
const rateSeconds = (expression: string | undefined): number | undefined => {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression ?? '');
  if (!match) return undefined;
  const unit = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400 }[match[2] as string] as number;
  return Number(match[1]) * unit;
};
