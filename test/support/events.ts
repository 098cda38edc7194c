import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerRow } from '../../core/ledger';

/** A fresh deep copy of a fixture from test/events/, so tests never share mutations. */
export const loadEvent = <T = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(join(__dirname, '..', 'events', name), 'utf-8')) as T;

/** S3 form-URL-encodes keys in event notifications: space as `+`, other reserved bytes as %XX. */
export const s3EncodeKey = (key: string): string =>
  key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');

export interface ObjectFields {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  sequencer?: string;
  eventName?: string;
}

/** test/events/s3/put.json with one record per object; `key` is given decoded and encoded here. */
export const s3PutEvent = (...objects: ObjectFields[]) => {
  const template = loadEvent<{ Records: Record<string, any>[] }>('s3/put.json');
  const record = template.Records[0] as Record<string, any>;
  return {
    Records: objects.map((o) => {
      const r = structuredClone(record);
      r.eventName = o.eventName ?? r.eventName;
      r.s3.bucket.name = o.bucket;
      r.s3.bucket.arn = `arn:aws:s3:::${o.bucket}`;
      r.s3.object = {
        key: s3EncodeKey(o.key),
        size: o.size,
        eTag: o.eTag,
        sequencer: o.sequencer ?? r.s3.object.sequencer,
      };
      return r;
    }),
  };
};

/** Wraps SageMaker notification messages in test/events/sns/base.json, one SNS record each. */
export const snsEvent = (...messages: object[]) => {
  const template = loadEvent<{ Records: Record<string, any>[] }>('sns/base.json');
  const record = template.Records[0] as Record<string, any>;
  return {
    Records: messages.map((message) => {
      const r = structuredClone(record);
      r.Sns.Message = JSON.stringify(message);
      r.Sns.Subject = null;
      delete r.Sns.MessageAttributes;
      return r;
    }),
  };
};

export type SageMakerMessage = Record<string, any>;

/** A documented SageMaker notification with the fields a case is about replaced. */
export const sagemakerMessage = (
  fixture: 'inference-success-doc.json' | 'inference-success-captured.json' | 'inference-failure.json',
  fields: { inferenceId: string; inputLocation: string; outputLocation?: string; failureReason?: string },
): SageMakerMessage => {
  const message = loadEvent<SageMakerMessage>(`sagemaker/${fixture}`);
  message.inferenceId = fields.inferenceId;
  message.requestParameters.inputLocation = fields.inputLocation;
  if (fields.outputLocation) message.responseParameters.outputLocation = fields.outputLocation;
  if (fields.failureReason) message.failureReason = fields.failureReason;
  return message;
};

type Queued = Pick<LedgerRow, 'inferenceId' | 'requestLocation' | 'outputLocation'>;

/** The endpoint's success notification for a queued row's inference. */
export const successFor = (row: Queued): SageMakerMessage =>
  sagemakerMessage('inference-success-doc.json', {
    inferenceId: row.inferenceId,
    inputLocation: row.requestLocation as string,
    outputLocation: row.outputLocation as string,
  });

/** The endpoint's failure notification for a queued row's inference, with SageMaker's reason or another. */
export const failureFor = (row: Queued, failureReason?: string): SageMakerMessage =>
  sagemakerMessage('inference-failure.json', {
    inferenceId: row.inferenceId,
    inputLocation: row.requestLocation as string,
    ...(failureReason ? { failureReason } : {}),
  });
