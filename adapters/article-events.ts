import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { ArticleEvents } from '../core/ports';
import { SnsArticleEventTopic } from './article-event-topic';
import { S3EarlierPendingEvents } from './pending-events';

/** The article events of a function or command: the topic, and the records an earlier release left pending in the articles bucket (reconcile drains them). */
export const articleEventsOf = (
  clients: { sns: SNSClient; s3: S3Client },
  config: { articleEventsTopicArn: string; articlesBucket: string; eventsPrefix: string },
): ArticleEvents => ({
  topic: new SnsArticleEventTopic(clients.sns, config.articleEventsTopicArn),
  earlierPending: new S3EarlierPendingEvents(clients.s3, config.articlesBucket, `${config.eventsPrefix}pending/`),
});
