/**
 * SNS: a message published to a topic goes to every subscribed function as an asynchronous
 * invocation (https://docs.aws.amazon.com/sns/latest/dg/sns-lambda-as-subscriber.html). The endpoint
 * publishes its success and error notifications through this.
 */

import type { StackConfig } from '../template/stack-config';
import { snsEvent } from './event';

export const snsPublisher =
  (config: StackConfig, invoke: (functionLogicalId: string, event: unknown) => void) =>
  async (topicArn: string, message: string): Promise<void> => {
    for (const sub of config.subscriptions.filter((s) => s.topicArn === topicArn)) {
      invoke(sub.functionLogicalId, snsEvent(topicArn, message, config.region));
    }
  };
