/**
 * A subscriber a test and a person can read: every message a topic delivers, appended as one JSON line
 * (`.local-cloud/article-events.jsonl` for the ArticleEventsTopic), in the envelope SNS delivers to an
 * SQS queue or an HTTP endpoint without raw delivery
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html). It stands in for the
 * e-mail, SQS or chat subscribers a deployed stage has. The latest lines are kept in memory for
 * `/_localcloud/article-events` and the dashboard; the file keeps them all, across restarts.
 */

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { readLines } from '../support/journal-lines';

/** One delivered message, as SNS's JSON envelope for SQS and HTTP subscribers has it. */
export interface SnsEnvelope {
  Type: 'Notification';
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  UnsubscribeURL: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

export const DEFAULT_KEPT = 200;

export class TopicLog {
  private readonly recent: SnsEnvelope[] = [];
  private fd: number | undefined;

  constructor(
    readonly file: string,
    private readonly kept = DEFAULT_KEPT,
  ) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    for (const line of readLines(file)) {
      try {
        this.remember(JSON.parse(line) as SnsEnvelope);
      } catch {
        // A line cut short by a kill mid-write: the lines before it are whole.
      }
    }
  }

  /** One write(2) per message on a descriptor kept open: a kill -9 loses nothing already delivered. */
  append(envelope: SnsEnvelope): void {
    this.fd ??= openSync(this.file, 'a', 0o600);
    writeSync(this.fd, `${JSON.stringify(envelope)}\n`);
    this.remember(envelope);
  }

  /** The latest `limit` messages delivered, oldest first. */
  latest(limit = this.kept): SnsEnvelope[] {
    return this.recent.slice(-limit);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private remember(envelope: SnsEnvelope): void {
    this.recent.push(envelope);
    if (this.recent.length > this.kept) this.recent.shift();
  }
}
