import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import { eventSubject, eventText, type ArticleEvent } from '../core/article-events';
import type { ArticleEventTopic } from '../core/ports';

/**
 * The ArticleEventsTopic (resources/topics.yml): one Publish per finished article. The message is a
 * JSON object per protocol (MessageStructure `json`): e-mail subscribers read the event in words, every
 * other subscriber (SQS, Lambda, HTTP) the event as JSON (`default`)
 * (MessageStructure in https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). The attributes `state` and `batch` let a
 * subscription's filter policy choose what it receives
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html), and `eventId` names
 * the event to de-duplicate on without parsing the body.
 */
export class SnsArticleEventTopic implements ArticleEventTopic {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(event: ArticleEvent): Promise<void> {
    const attribute = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: eventSubject(event),
        MessageStructure: 'json',
        Message: JSON.stringify({ default: JSON.stringify(event), email: eventText(event) }),
        MessageAttributes: {
          state: attribute(event.state),
          eventId: attribute(event.eventId),
          // A row written before `batch` existed has none (an attribute value may not be empty).
          ...(event.batch ? { batch: attribute(event.batch) } : {}),
        },
      }),
    );
  }
}
