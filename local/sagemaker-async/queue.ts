/**
 * The endpoint's internal request queue. SageMaker "queues incoming requests and processes them
 * asynchronously" (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference.html); a request
 * leaves the queue when an instance takes it or when it has waited RequestTTLSeconds.
 *
 * Persistence: an append-only JSON-lines journal in stateDir. `accepted` is written (with any inline
 * body as a file beside it) before InvokeEndpointAsync replies 202; `done` after the request's
 * notification went out. appendFileSync hands each line to the kernel before returning, so a
 * kill -9 of this process loses nothing that was acknowledged. At start the journal is replayed
 * (a torn last line is ignored) and compacted to the requests without `done`, which are queued
 * again in their original order: in-flight work is redone at least once, finished work never. While
 * running, the journal is compacted the same way once finished work dominates it (../support/journal-lines.ts).
 */

import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readLines, rewriteLines, shouldCompact } from '../support/journal-lines';

export interface QueuedRequest {
  /** The UUID of the output object; unique per accepted request (InferenceIds may repeat). */
  id: string;
  inferenceId: string;
  inputLocation?: string;
  contentType?: string;
  accept?: string;
  customAttributes?: string;
  invocationTimeoutSeconds: number;
  requestTtlSeconds: number;
  outputLocation: string;
  failureLocation?: string;
  /** Wall clock ISO time of acceptance: the notification's receivedTime. */
  receivedTime: string;
  /** Simulated epoch ms of acceptance and of TTL expiry. */
  receivedAt: number;
  expiresAt: number;
  /** Set when the request came with an inline Body, stored under stateDir/bodies. */
  hasInlineBody?: boolean;
}

export type TerminalStatus = 'Completed' | 'Failed' | 'Expired';

type JournalRecord =
  | { type: 'accepted'; at: number; request: QueuedRequest }
  | { type: 'done'; at: number; id: string; status: TerminalStatus }
  /** Keeps the simulated time across compaction and clean shutdowns. */
  | { type: 'clock'; at: number };

const JOURNAL = 'journal.jsonl';
const BODIES = 'bodies';

export interface ReplayedJournal {
  /** Unfinished requests, oldest first. */
  pending: QueuedRequest[];
  /** The latest simulated time written to the journal, so a restarted clock never runs backwards. */
  lastAt: number | undefined;
  skippedLines: number;
}

export class PersistentQueue {
  private readonly journal: string;
  private readonly bodies: string;
  private readonly waiting: QueuedRequest[] = [];
  private readonly taken = new Map<string, QueuedRequest>();
  /** Every request without a `done` record, in the order accepted: what a compaction keeps. */
  private readonly unfinished = new Map<string, QueuedRequest>();
  private lastAt: number | undefined;
  private records: number;
  private fd: number | undefined;

  private constructor(
    private readonly stateDir: string,
    replay: ReplayedJournal,
    private readonly compactFloor?: number,
  ) {
    this.journal = join(stateDir, JOURNAL);
    this.bodies = join(stateDir, BODIES);
    this.waiting.push(...replay.pending);
    for (const request of replay.pending) this.unfinished.set(request.id, request);
    this.lastAt = replay.lastAt;
    this.records = replay.pending.length + (replay.lastAt === undefined ? 0 : 1);
  }

  /** Replays and compacts the journal in stateDir (created if missing). */
  static open(stateDir: string, options: { compactFloor?: number } = {}): { queue: PersistentQueue; replay: ReplayedJournal } {
    mkdirSync(join(stateDir, BODIES), { recursive: true, mode: 0o700 });
    const replay = replayJournal(join(stateDir, JOURNAL));
    compact(stateDir, replay);
    return { queue: new PersistentQueue(stateDir, replay, options.compactFloor), replay };
  }

  /** How many records the journal file holds now. */
  get recordsInFile(): number {
    return this.records;
  }

  /** Durably records a newly accepted request; returns once it is safe to acknowledge. */
  enqueue(request: QueuedRequest, inlineBody?: Buffer): void {
    const stored = inlineBody ? { ...request, hasInlineBody: true } : request;
    if (inlineBody) writeFileSync(this.bodyPath(request.id), inlineBody);
    this.append({ type: 'accepted', at: request.receivedAt, request: stored });
    this.unfinished.set(stored.id, stored);
    this.waiting.push(stored);
  }

  /** The oldest waiting request, now in flight; FIFO. */
  take(): QueuedRequest | undefined {
    const next = this.waiting.shift();
    if (next) this.taken.set(next.id, next);
    return next;
  }

  /** Puts an in-flight request back at the head of the queue (a retry after an instance died). */
  putBack(request: QueuedRequest): void {
    this.taken.delete(request.id);
    this.waiting.unshift(request);
  }

  /** Removes waiting requests whose TTL has passed at `now`; they are in flight until finished. */
  takeExpired(now: number): QueuedRequest[] {
    const expired = this.waiting.filter((r) => r.expiresAt <= now);
    if (expired.length === 0) return [];
    const gone = new Set(expired.map((r) => r.id));
    this.waiting.splice(0, this.waiting.length, ...this.waiting.filter((r) => !gone.has(r.id)));
    for (const r of expired) this.taken.set(r.id, r);
    return expired;
  }

  /** Records the terminal outcome; the request is never redone. */
  finish(request: QueuedRequest, status: TerminalStatus, at: number): void {
    this.append({ type: 'done', at, id: request.id, status });
    this.taken.delete(request.id);
    this.unfinished.delete(request.id);
    if (request.hasInlineBody) rmSync(this.bodyPath(request.id), { force: true });
    if (shouldCompact(this.records, this.unfinished.size, this.compactFloor)) {
      this.close();
      compact(this.stateDir, { pending: [...this.unfinished.values()], lastAt: this.lastAt, skippedLines: 0 }, false);
      this.records = this.unfinished.size + (this.lastAt === undefined ? 0 : 1);
    }
  }

  /** Records the simulated time, so that the next start resumes from it (see replayJournal). */
  markClock(at: number): void {
    this.append({ type: 'clock', at });
  }

  /** Forgets an in-flight request without a terminal record: it is redone after a restart. */
  abandon(request: QueuedRequest): void {
    this.taken.delete(request.id);
  }

  readInlineBody(request: QueuedRequest): Buffer {
    return readFileSync(this.bodyPath(request.id));
  }

  get queued(): number {
    return this.waiting.length;
  }

  get inFlight(): number {
    return this.taken.size;
  }

  oldestReceivedAt(): number | undefined {
    return this.waiting.reduce<number | undefined>((min, r) => (min === undefined || r.receivedAt < min ? r.receivedAt : min), undefined);
  }

  earliestExpiry(): number | undefined {
    return this.waiting.reduce<number | undefined>((min, r) => (min === undefined || r.expiresAt < min ? r.expiresAt : min), undefined);
  }

  headExpired(now: number): boolean {
    const head = this.waiting[0];
    return head !== undefined && head.expiresAt <= now;
  }

  private bodyPath(id: string): string {
    return join(this.bodies, `${id}.bin`);
  }

  /**
   * One write(2) per record on a descriptor kept open: the kernel has the record when this returns,
   * so a kill -9 of the process loses nothing, without an open/close per record.
   */
  private append(record: JournalRecord): void {
    this.fd ??= openSync(this.journal, 'a');
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    this.records++;
    this.lastAt = Math.max(this.lastAt ?? record.at, record.at);
  }

  /** Releases the journal's descriptor; the queue can still append afterwards (it reopens). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export const replayJournal = (path: string): ReplayedJournal => {
  const pending = new Map<string, QueuedRequest>();
  let lastAt: number | undefined;
  let skippedLines = 0;
  for (const line of readLines(path)) {
    if (line.trim() === '') continue;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      // A line cut short by a kill during the write: its request was never acknowledged.
      skippedLines++;
      continue;
    }
    lastAt = Math.max(lastAt ?? record.at, record.at);
    if (record.type === 'accepted') pending.set(record.request.id, record.request);
    else if (record.type === 'done') pending.delete(record.id);
  }
  return { pending: [...pending.values()], lastAt, skippedLines };
};

/**
 * Rewrites the journal with only the unfinished requests, and at start drops orphaned bodies (while
 * running, finish() has deleted each body already).
 */
const compact = (stateDir: string, { pending, lastAt }: ReplayedJournal, dropOrphanedBodies = true): void => {
  const records = pending.map((request) => JSON.stringify({ type: 'accepted', at: request.receivedAt, request } satisfies JournalRecord));
  if (lastAt !== undefined) records.push(JSON.stringify({ type: 'clock', at: lastAt } satisfies JournalRecord));
  rewriteLines(join(stateDir, JOURNAL), records);
  if (!dropOrphanedBodies) return;
  const keep = new Set(pending.filter((r) => r.hasInlineBody).map((r) => `${r.id}.bin`));
  for (const file of readdirSync(join(stateDir, BODIES))) {
    if (!keep.has(file)) rmSync(join(stateDir, BODIES, file), { force: true });
  }
};
