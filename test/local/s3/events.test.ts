import { parseUploads } from '../../../adapters/events';
import { encodeS3EventKey, matches, sequencerSource, toS3Record, type S3rverRecord } from '../../../local/s3/events';

describe('S3 events from s3rver', () => {
  const s3rverRecord = (key: string, eventName = 'ObjectCreated:Put'): S3rverRecord => ({
    eventName,
    eventTime: '2026-11-26T10:00:00.000Z',
    awsRegion: 'us-east-1',
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'testConfigId',
      bucket: { name: 'b', arn: 'arn:aws:s3: : :b' },
      object: { key, size: 5, eTag: 'e' },
    },
  });

  it('become S3-shaped records whose keys the handler decodes back exactly', () => {
    const keys = ['input/a b+c%d ü 日本.txt', 'input/(x) #1 & y=z?.txt'];
    for (const key of keys) {
      const record = toS3Record(s3rverRecord(key), { region: 'us-east-1', sequencer: '01', configurationId: 'c' });
      expect(record.s3.bucket.arn).toBe('arn:aws:s3:::b');
      expect(record.eventVersion).toBe('2.1');
      expect(parseUploads({ Records: [record] })[0]?.key).toBe(key);
    }
    expect(encodeS3EventKey('input/a b+c.txt')).toBe('input/a+b%2Bc.txt');
  });

  it('report multipart uploads as CompleteMultipartUpload', () => {
    const record = toS3Record(s3rverRecord('input/big.txt', 'ObjectCreated:Post'), {
      region: 'us-east-1',
      sequencer: '01',
      configurationId: 'c',
    });
    expect(record.eventName).toBe('ObjectCreated:CompleteMultipartUpload');
  });

  it('go only where the notification configuration says', () => {
    const n = { bucket: 'b', functionLogicalId: 'F', event: 's3:ObjectCreated:*', prefix: 'input/', suffix: '' };
    expect(matches(n, 'b', 'ObjectCreated:Put', 'input/a.txt')).toBe(true);
    expect(matches(n, 'b', 'ObjectCreated:Post', 'input/a.txt')).toBe(true);
    expect(matches(n, 'b', 'ObjectCreated:Put', 'outputs/x.out')).toBe(false);
    expect(matches(n, 'b', 'ObjectRemoved:Delete', 'input/a.txt')).toBe(false);
    expect(matches(n, 'other', 'ObjectCreated:Put', 'input/a.txt')).toBe(false);
  });

  it('get sequencers that always grow, even within one millisecond', () => {
    const next = sequencerSource();
    const values = Array.from({ length: 1000 }, next);
    expect([...values].sort()).toEqual(values);
    expect(new Set(values).size).toBe(values.length);
  });
});
