/**
 * What the endpoint's notifier publishes with: SageMaker's success and error notifications, each a
 * Publish to its topic (publish.ts) without a subject or attributes.
 */

import type { LocalSns } from './publish';

export const snsPublisher =
  (sns: LocalSns) =>
  async (topicArn: string, message: string): Promise<void> => {
    sns.publish({ topicArn, message });
  };
