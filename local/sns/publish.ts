/**
 * SNS Publish, as the local cloud's topics answer it: the checks the Publish API documents, then one
 * delivery per subscriber (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). Subscribers are
 * the template's Lambda subscriptions (an asynchronous invocation each, with the SNS event:
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html) and a topic's log (topic-log.ts), which
 * stands in for e-mail, SQS and chat subscribers. http.ts is the wire; the endpoint's notifier calls
 * `publish` directly.
 */

import { randomUUID } from 'node:crypto';
import type { StackConfig } from '../template/stack-config';
import { snsEvent } from './event';
import type { SnsEnvelope, TopicLog } from './topic-log';

export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface PublishInput {
  topicArn: string;
  message: string;
  subject?: string;
  /** `json`: `message` is a JSON object of one message per protocol, with a `default`. */
  messageStructure?: string;
  attributes?: Record<string, MessageAttribute>;
}

/** An error as SNS answers it: its code, HTTP status and whether the sender is at fault. */
export class SnsError extends Error {
  override readonly name = 'SnsError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** "Messages ... can contain up to 256 KB", message attributes included (the Publish API, Message). */
export const MAX_MESSAGE_BYTES = 262_144;
/** "Amazon SNS supports up to 10 message attributes" (https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html). */
const MAX_ATTRIBUTES = 10;
const ATTRIBUTE_TYPES = /^(String|Number|Binary|String\.Array)(\.[^.]+)?$/;

export interface LocalSnsOptions {
  /** Delivers an event to a function of the template (the Lambda runtime's asynchronous invocation). */
  invoke(functionLogicalId: string, event: unknown): void;
  /** Logs by topic ARN: each receives every message its topic delivers. */
  logs?: Record<string, TopicLog>;
  /** How many times each message reaches a log (the edge's duplicate-delivery fault), default 1. */
  deliveries?: () => number;
}

/** The message a subscriber of `protocol` receives: its own entry of a per-protocol message, else `default`. */
const messageFor = (input: PublishInput, protocol: string): string => {
  if (input.messageStructure !== 'json') return input.message;
  const messages = JSON.parse(input.message) as Record<string, string>;
  return messages[protocol] ?? (messages.default as string);
};

const checked = (config: Pick<StackConfig, 'topics'>, input: PublishInput): void => {
  if (!Object.values(config.topics).includes(input.topicArn)) throw new SnsError('NotFound', 404, 'Topic does not exist');
  if (!input.message) throw new SnsError('InvalidParameter', 400, 'Invalid parameter: Empty message');
  const attributes = Object.entries(input.attributes ?? {});
  const bytes =
    Buffer.byteLength(input.message) +
    attributes.reduce(
      (sum, [name, a]) =>
        sum + Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue ?? a.BinaryValue ?? ''),
      0,
    );
  if (bytes > MAX_MESSAGE_BYTES) throw new SnsError('InvalidParameter', 400, 'Invalid parameter: Message too long');
  if (input.subject !== undefined && (input.subject.length === 0 || input.subject.length >= 100 || /[^\x20-\x7e]/.test(input.subject))) {
    throw new SnsError('InvalidParameter', 400, 'Invalid parameter: Subject');
  }
  if (input.messageStructure !== undefined) {
    if (input.messageStructure !== 'json') throw new SnsError('InvalidParameter', 400, 'Invalid parameter: MessageStructure');
    let messages: unknown;
    try {
      messages = JSON.parse(input.message);
    } catch {
      throw new SnsError('InvalidParameter', 400, 'Invalid parameter: Message Structure - JSON message body failed to parse');
    }
    if (typeof (messages as Record<string, unknown>)?.default !== 'string') {
      throw new SnsError('InvalidParameter', 400, 'Invalid parameter: Message Structure - No default entry in JSON message body');
    }
  }
  if (attributes.length > MAX_ATTRIBUTES) throw new SnsError('InvalidParameter', 400, 'Invalid parameter: MessageAttributes');
  for (const [name, a] of attributes) {
    if (!ATTRIBUTE_TYPES.test(a.DataType) || !(a.StringValue ?? a.BinaryValue)) {
      throw new SnsError('ParameterValueInvalid', 400, `The message attribute '${name}' must contain non-empty message attribute value.`);
    }
  }
};

export class LocalSns {
  constructor(
    private readonly config: Pick<StackConfig, 'topics' | 'subscriptions' | 'region'>,
    private readonly options: LocalSnsOptions,
  ) {}

  /** Publishes to a topic of the template; resolves to the MessageId. */
  publish(input: PublishInput): string {
    checked(this.config, input);
    const messageId = randomUUID();
    const timestamp = new Date().toISOString();
    const attributes = Object.fromEntries(
      Object.entries(input.attributes ?? {}).map(([name, a]) => [name, { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? '' }]),
    );
    for (const sub of this.config.subscriptions.filter((s) => s.topicArn === input.topicArn)) {
      this.options.invoke(
        sub.functionLogicalId,
        snsEvent(input.topicArn, messageFor(input, 'lambda'), this.config.region, { messageId, subject: input.subject, attributes }),
      );
    }
    const log = this.options.logs?.[input.topicArn];
    if (log) {
      const envelope: SnsEnvelope = {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: input.topicArn,
        ...(input.subject !== undefined ? { Subject: input.subject } : {}),
        Message: messageFor(input, 'sqs'),
        Timestamp: timestamp,
        SignatureVersion: '1',
        Signature: 'LOCAL',
        SigningCertURL: `https://sns.${this.config.region}.amazonaws.com/SimpleNotificationService-local.pem`,
        UnsubscribeURL: `https://sns.${this.config.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${input.topicArn}:local-log`,
        ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
      };
      for (let i = this.options.deliveries?.() ?? 1; i > 0; i--) log.append(envelope);
    }
    return messageId;
  }
}
