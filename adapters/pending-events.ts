import { DeleteObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { PendingEvent } from '../core/article-events';
import type { EarlierPendingEvents } from '../core/ports';

/**
 * The article events an earlier version recorded before its ledger write (core/article-events.ts), one
 * small object per try of a writer at `<prefix><articleId>/<eventId>/<finishId>.json` in the articles
 * bucket (records made before tries had ids are at `<prefix><articleId>/<eventId>.json`). This version
 * marks a pending event on the ledger row instead; reconcile lists what an earlier version left (empty
 * but for events whose writer stopped) and settles each with a DELETE (free).
 */
export class S3EarlierPendingEvents implements EarlierPendingEvents {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  private keyOf(event: PendingEvent): string {
    const name = event.finishId ? `${event.eventId}/${event.finishId}` : event.eventId;
    return `${this.prefix}${event.articleId}/${name}.json`;
  }

  async settle(event: PendingEvent): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(event) }));
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
