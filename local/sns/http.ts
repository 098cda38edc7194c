/**
 * SNS's wire, the AWS Query protocol: a form-encoded POST naming the `Action`, answered in XML
 * (https://docs.aws.amazon.com/sns/latest/api/CommonParameters.html,
 * https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html). Only Publish is served: the stack's
 * functions and commands publish the article events with it, and nothing else talks to SNS.
 * publish.ts decides everything; this file parses and formats.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SnsError, type LocalSns, type MessageAttribute, type PublishInput } from './publish';

const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
/** A Publish carries at most 256 KB of message; its form encoding at most about three times that. */
const MAX_BODY_BYTES = 1024 * 1024;

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

const xmlReply = (res: ServerResponse, status: number, body: string): void => {
  const requestId = randomUUID();
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  res.end(body.replace('{requestId}', requestId));
};

const errorReply = (res: ServerResponse, error: SnsError): void =>
  xmlReply(
    res,
    error.status,
    `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${error.status < 500 ? 'Sender' : 'Receiver'}</Type>` +
      `<Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>{requestId}</RequestId></ErrorResponse>`,
  );

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` (the Query protocol's map encoding). */
const attributesOf = (form: URLSearchParams): Record<string, MessageAttribute> => {
  const attributes: Record<string, MessageAttribute> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const prefix = `MessageAttributes.entry.${n}`;
    const stringValue = form.get(`${prefix}.Value.StringValue`);
    const binaryValue = form.get(`${prefix}.Value.BinaryValue`);
    attributes[form.get(`${prefix}.Name`) as string] = {
      DataType: form.get(`${prefix}.Value.DataType`) ?? '',
      ...(stringValue !== null ? { StringValue: stringValue } : {}),
      ...(binaryValue !== null ? { BinaryValue: binaryValue } : {}),
    };
  }
  return attributes;
};

const readForm = async (req: IncomingMessage): Promise<URLSearchParams> => {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req) {
    bytes += (chunk as Buffer).length;
    if (bytes > MAX_BODY_BYTES) throw new SnsError('InvalidParameter', 400, 'Invalid parameter: Message too long');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf-8'));
};

export const snsHandler =
  (sns: LocalSns) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const form = await readForm(req);
      const action = form.get('Action');
      if (action !== 'Publish')
        throw new SnsError('InvalidAction', 400, `The action ${action ?? '(none)'} is not valid for this web service.`);
      const topicArn = form.get('TopicArn') ?? form.get('TargetArn');
      if (!topicArn)
        throw new SnsError('InvalidParameter', 400, 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
      const subject = form.get('Subject');
      const structure = form.get('MessageStructure');
      const input: PublishInput = {
        topicArn,
        message: form.get('Message') ?? '',
        ...(subject !== null ? { subject } : {}),
        ...(structure !== null ? { messageStructure: structure } : {}),
        attributes: attributesOf(form),
      };
      const messageId = sns.publish(input);
      xmlReply(
        res,
        200,
        `<PublishResponse xmlns="${NAMESPACE}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
          `<ResponseMetadata><RequestId>{requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    } catch (error) {
      if (error instanceof SnsError) errorReply(res, error);
      else errorReply(res, new SnsError('InternalError', 500, (error as Error).message));
    }
  };
