import { createReadStream } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PUBLISHED_METADATA_KEY } from '../core/trends/published-date';

/** A local file and where it goes. */
export interface FileUpload {
  path: string;
  key: string;
  contentType?: string;
  /** Sent as the `published` user metadata (docs/trends.md). */
  published?: string;
}

/**
 * Local files uploaded to one bucket, streamed from disk. lib-storage switches to multipart above
 * 5 MiB, as `aws s3 cp` does, so a file of any size takes bounded memory.
 */
export class S3FileUploads {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async upload(file: FileUpload): Promise<void> {
    await new Upload({
      client: this.s3,
      params: {
        Bucket: this.bucket,
        Key: file.key,
        Body: createReadStream(file.path),
        ...(file.contentType ? { ContentType: file.contentType } : {}),
        ...(file.published ? { Metadata: { [PUBLISHED_METADATA_KEY]: file.published } } : {}),
      },
    }).done();
  }
}
