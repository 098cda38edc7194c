/**
 * s3rver emits events in its own shape (local/README.md, Traps): raw keys, a malformed
 * bucket ARN, event version 2.0, `ObjectCreated:Post` for multipart uploads, a millisecond sequencer,
 * and no notification configuration at all. These helpers turn them into records as S3 delivers
 * them to Lambda (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html)
 * and apply the bucket's NotificationConfiguration from the template.
 */

import type { BucketNotification } from '../template/stack-config';

export interface S3rverRecord {
  eventName: string;
  eventTime: string;
  awsRegion: string;
  userIdentity?: unknown;
  requestParameters?: unknown;
  responseElements?: unknown;
  s3: {
    s3SchemaVersion: string;
    configurationId: string;
    bucket: { name: string; ownerIdentity?: unknown; arn: string };
    object: { key: string; size?: number; eTag?: string; sequencer?: string; versionId?: string };
  };
}

/** S3 form-URL-encodes object keys in notifications: a space becomes `+`, other bytes %XX. */
export const encodeS3EventKey = (key: string): string =>
  key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');

/** Multipart uploads complete as `ObjectCreated:CompleteMultipartUpload` on S3 (s3rver says `Post`). */
const eventNames: Record<string, string> = { 'ObjectCreated:Post': 'ObjectCreated:CompleteMultipartUpload' };

export const toS3Record = (
  record: S3rverRecord,
  fields: { region: string; sequencer: string; eTag?: string; size?: number; configurationId: string },
) => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  awsRegion: fields.region,
  eventTime: record.eventTime,
  eventName: eventNames[record.eventName] ?? record.eventName,
  userIdentity: record.userIdentity ?? { principalId: 'AWS:LOCAL' },
  requestParameters: record.requestParameters ?? { sourceIPAddress: '127.0.0.1' },
  responseElements: record.responseElements ?? { 'x-amz-request-id': 'LOCAL', 'x-amz-id-2': 'LOCAL' },
  s3: {
    s3SchemaVersion: '1.0',
    configurationId: fields.configurationId,
    bucket: {
      name: record.s3.bucket.name,
      ownerIdentity: record.s3.bucket.ownerIdentity ?? { principalId: 'LOCAL' },
      arn: `arn:aws:s3:::${record.s3.bucket.name}`,
    },
    object: {
      key: encodeS3EventKey(record.s3.object.key),
      size: fields.size ?? record.s3.object.size,
      eTag: fields.eTag ?? record.s3.object.eTag,
      sequencer: fields.sequencer,
    },
  },
});

/** Whether a notification configuration matches an event: `s3:ObjectCreated:*` style, prefix and suffix on the raw key. */
export const matches = (n: BucketNotification, bucket: string, eventName: string, key: string): boolean => {
  if (n.bucket !== bucket) return false;
  const wanted = n.event.replace(/^s3:/, '');
  const eventOk = wanted.endsWith(':*') ? eventName.startsWith(wanted.slice(0, -1)) : eventName === wanted;
  return eventOk && key.startsWith(n.prefix) && key.endsWith(n.suffix);
};

/**
 * Sequencers that only grow, even for two writes in the same millisecond, so that the ledger's
 * "newer revision wins" rule sees uploads of one key in order (S3 guarantees that per key).
 */
export const sequencerSource = () => {
  let last = 0n;
  return (): string => {
    const candidate = BigInt(Date.now()) * 4096n;
    last = candidate > last ? candidate : last + 1n;
    return last.toString(16).toUpperCase().padStart(18, '0');
  };
};
