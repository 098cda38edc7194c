import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { ArticleEvents } from '../core/ports';
import { SnsArticleEventTopic } from './article-event-topic';
import { S3PendingEvents } from './pending-events';

/** The article events of a function or command: the topic, and the pending records in the articles bucket. */
export const articleEventsOf = (
  clients: { sns: SNSClient; s3: S3Client },
  config: { articleEventsTopicArn: string; articlesBucket: string; eventsPrefix: string },
): ArticleEvents => ({
  topic: new SnsArticleEventTopic(clients.sns, config.articleEventsTopicArn),
  pending: new S3PendingEvents(clients.s3, config.articlesBucket, `${config.eventsPrefix}pending/`),
});
