import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { parseS3Url, s3Url } from '../core/ids';
import type { ArticleStore, OpenedArticle, OutputObject, OutputReader } from '../core/ports';
import { PUBLISHED_METADATA_KEY } from '../core/trends/published-date';

/** A missing object, or one whose ETag no longer matches (a newer upload replaced it). */
const isGone = (error: unknown): boolean =>
  error instanceof NoSuchKey ||
  (error instanceof S3ServiceException &&
    (error.name === 'NoSuchKey' || error.name === 'PreconditionFailed' || error.$metadata.httpStatusCode === 412));

/**
 * S3 answers a GET of a missing key with 403 AccessDenied to a caller without s3:ListBucket
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, Permissions). The roles have
 * it for the prefixes they read, so a 403 is a real refusal: never taken for "gone" (that would
 * expire a row whose summary exists), rethrown with what to check.
 */
const explainDenied = (error: unknown, bucket: string, key: string): unknown =>
  error instanceof S3ServiceException && error.name === 'AccessDenied'
    ? new Error(
        `S3 denied reading ${s3Url(bucket, key)} (AccessDenied). Without s3:ListBucket on the bucket for this prefix S3 answers a missing object with 403; check the function role's ListBucket statement and s3:prefix condition`,
        { cause: error },
      )
    : error;

/** Articles under the input prefix, and the model requests written next to them, in one bucket. */
export class S3ArticleStore implements ArticleStore {
  constructor(
    private readonly s3: S3Client,
    private readonly requestsBucket: string,
  ) {}

  async open(bucket: string, key: string, etag: string): Promise<OpenedArticle | undefined> {
    try {
      // IfMatch pins the revision the event announced: we never summarize content the event did not see.
      const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: `"${etag}"` }));
      return {
        body: object.Body as Readable,
        bytes: object.ContentLength ?? 0,
        ...(object.ContentType ? { contentType: object.ContentType } : {}),
        // GetObject returns user metadata as HeadObject does, so the date costs no extra request
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_ResponseSyntax).
        ...(object.Metadata?.[PUBLISHED_METADATA_KEY] !== undefined ? { published: object.Metadata[PUBLISHED_METADATA_KEY] } : {}),
      };
    } catch (error) {
      if (isGone(error)) return undefined;
      throw explainDenied(error, bucket, key);
    }
  }

  async writeRequest(key: string, body: Uint8Array, contentType: string): Promise<string> {
    // The body is already in memory and far below PutObject's 5 GB
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html): one PUT with its
    // length, without lib-storage's stream buffering, which cost about 4 % of submit-article's CPU.
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.requestsBucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.byteLength }),
    );
    return s3Url(this.requestsBucket, key);
  }
}

/** Reads model outputs and failure objects from their `s3://` locations. */
export class S3OutputReader implements OutputReader {
  constructor(private readonly s3: S3Client) {}

  async read(location: string, maxBytes: number): Promise<string | undefined> {
    return (await this.readObject(location, maxBytes))?.body;
  }

  async readObject(location: string, maxBytes: number): Promise<OutputObject | undefined> {
    const { bucket, key } = parseS3Url(location);
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${maxBytes - 1}` }));
      const body = (await object.Body?.transformToString('utf-8')) ?? '';
      return object.LastModified ? { body, writtenAt: object.LastModified } : { body };
    } catch (error) {
      if (isGone(error)) return undefined;
      // S3 answers a Range read of an empty object with 416 InvalidRange (and no LastModified).
      if (error instanceof S3ServiceException && error.name === 'InvalidRange') return { body: '' };
      throw explainDenied(error, bucket, key);
    }
  }
}
