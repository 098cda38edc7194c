/**
 * SNS → Lambda delivery: a message published to a topic reaches each subscribed function as an
 * asynchronous invocation with this event (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html).
 */

import { randomUUID } from 'node:crypto';

export interface SnsEventOptions {
  messageId?: string;
  /** SageMaker publishes without a subject. */
  subject?: string;
  attributes?: Record<string, { Type: string; Value: string }>;
}

export const snsEvent = (topicArn: string, message: string, region: string, options: SnsEventOptions = {}) => {
  const subscriptionArn = `${topicArn}:${randomUUID()}`;
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: options.messageId ?? randomUUID(),
          TopicArn: topicArn,
          Subject: options.subject ?? null,
          Message: message,
          Timestamp: new Date().toISOString(),
          SignatureVersion: '1',
          Signature: 'LOCAL',
          SigningCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-local.pem`,
          UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          MessageAttributes: options.attributes ?? {},
        },
      },
    ],
  };
};
