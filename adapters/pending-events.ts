import {
  DeleteObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { PendingEvent } from '../core/article-events';
import type { PendingEvents } from '../core/ports';

/**
 * Article events recorded before their ledger write (core/article-events.ts), one small object per try
 * of a writer at `<prefix><articleId>/<eventId>/<finishId>.json` in the articles bucket (records made
 * before tries had ids are at `<prefix><articleId>/<eventId>.json`): a PUT to record, a DELETE (free)
 * to settle, a HEAD to ask, and a listing of the prefix for reconcile. Two writers finishing one article
 * at once have a record each, so neither settles the other's. S3 needs no index and no schema change
 * of the ledger, and the listing is empty but for events whose writer stopped.
 */
export class S3PendingEvents implements PendingEvents {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  private keyOf(event: PendingEvent): string {
    const name = event.finishId ? `${event.eventId}/${event.finishId}` : event.eventId;
    return `${this.prefix}${event.articleId}/${name}.json`;
  }

  async record(event: PendingEvent): Promise<void> {
    const body = JSON.stringify({ eventId: event.eventId, articleId: event.articleId, finishId: event.finishId });
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.keyOf(event), Body: body, ContentType: 'application/json' }));
  }

  async settle(event: PendingEvent): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(event) }));
  }

  async isPending(event: PendingEvent): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(event) }));
      return true;
    } catch (error) {
      // A HEAD has no body, so a missing key is only its 404 (a 403 without s3:ListBucket is a refusal: rethrown).
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
      throw error;
    }
  }

  async listBefore(before: Date): Promise<PendingEvent[]> {
    const found: PendingEvent[] = [];
    for await (const page of paginateListObjectsV2({ client: this.s3 }, { Bucket: this.bucket, Prefix: this.prefix })) {
      for (const object of page.Contents ?? []) {
        const match = /^([0-9a-f]{32})\/([0-9a-f]{32})(?:\/([0-9a-f]{32}))?\.json$/.exec((object.Key ?? '').slice(this.prefix.length));
        if (!match || !object.LastModified || object.LastModified >= before) continue;
        const [, articleId, eventId, finishId] = match as unknown as [string, string, string, string | undefined];
        found.push({ articleId, eventId, ...(finishId ? { finishId } : {}), at: object.LastModified });
      }
    }
    return found;
  }
}
