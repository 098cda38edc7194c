/**
 * S3 → Lambda, as the bucket's NotificationConfiguration says: each object event that matches a
 * notification's event and prefix/suffix filter reaches the function as an asynchronous invocation
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html).
 */

import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type S3rver from 's3rver';
import type { StackConfig } from '../template/stack-config';
import { matches, sequencerSource, toS3Record, type S3rverRecord } from './events';
import { describeError } from '../../core/errors';

export interface NotificationTargets {
  /** Invokes a function asynchronously (deliveries may be duplicated by fault injection). */
  invoke: (functionLogicalId: string, event: unknown) => void;
  s3: S3Client;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export const sendS3Notifications = (s3rver: S3rver, config: StackConfig, { invoke, s3, log }: NotificationTargets): void => {
  const nextSequencer = sequencerSource();
  s3rver.on('event', (event: { Records: S3rverRecord[] }) => {
    for (const record of event.Records) {
      const key = record.s3.object.key;
      const targets = config.notifications.filter((n) => matches(n, record.s3.bucket.name, record.eventName, key));
      if (targets.length === 0) continue;
      const sequencer = nextSequencer();
      const deliver = (eTag?: string, size?: number) => {
        for (const n of targets) {
          const s3Record = toS3Record(record, {
            region: config.region,
            sequencer,
            configurationId: `${n.functionLogicalId}-notification`,
            ...(eTag ? { eTag } : {}),
            ...(size !== undefined ? { size } : {}),
          });
          invoke(n.functionLogicalId, { Records: [s3Record] });
        }
      };
      if (record.s3.object.eTag) {
        deliver();
      } else {
        // s3rver's Copy events carry no ETag; S3's do.
        s3.send(new HeadObjectCommand({ Bucket: record.s3.bucket.name, Key: key }))
          .then((head) => deliver((head.ETag ?? '').replace(/"/g, ''), head.ContentLength))
          .catch((error: unknown) => log('cannot complete S3 event', { key, error: describeError(error) }));
      }
    }
  });
};
