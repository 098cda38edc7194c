/**
 * The endpoint's internal request queue. SageMaker "queues incoming requests and processes them
 * asynchronously" (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference.html); a request
 * leaves the queue when an instance takes it or when it has waited RequestTTLSeconds.
 *
 * Persistence: the local cloud's journal (../support/journal.ts) in stateDir. A request is added
 * (with any inline body as a file beside it) before InvokeEndpointAsync replies 202, and done after
 * its notification went out, so a kill -9 of this process loses nothing that was acknowledged. At
 * start the journal is replayed (a torn last line is ignored) and compacted to the unfinished
 * requests, which are queued again in their original order: in-flight work is redone at least once,
 * finished work never. A journal in the queue's earlier format is read too (queue-journal-v1.ts).
 */

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../support/journal';
import { fromQueueJournalV1 } from './queue-journal-v1';

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
  private readonly bodies: string;
  private readonly waiting: QueuedRequest[] = [];
  private readonly taken = new Map<string, QueuedRequest>();

  /** `journal` holds every request without a terminal record, in the order accepted. */
  private constructor(
    stateDir: string,
    private readonly journal: Journal<QueuedRequest>,
  ) {
    this.bodies = join(stateDir, BODIES);
    this.waiting.push(...journal.entries().map(([, request]) => request));
  }

  /** Replays and compacts the journal in stateDir (created if missing). */
  static open(stateDir: string, options: { compactFloor?: number } = {}): { queue: PersistentQueue; replay: ReplayedJournal } {
    mkdirSync(join(stateDir, BODIES), { recursive: true, mode: 0o700 });
    const journal = new Journal<QueuedRequest>(join(stateDir, JOURNAL), {
      ...(options.compactFloor === undefined ? {} : { compactFloor: options.compactFloor }),
      upgrade: fromQueueJournalV1,
    });
    const pending = journal.entries().map(([, request]) => request);
    dropOrphanedBodies(stateDir, pending);
    return {
      queue: new PersistentQueue(stateDir, journal),
      replay: { pending, lastAt: journal.lastAt, skippedLines: journal.skippedLines },
    };
  }

  /** How many records the journal file holds now. */
  get recordsInFile(): number {
    return this.journal.recordsInFile;
  }

  /** Durably records a newly accepted request; returns once it is safe to acknowledge. */
  enqueue(request: QueuedRequest, inlineBody?: Buffer): void {
    const stored = inlineBody ? { ...request, hasInlineBody: true } : request;
    if (inlineBody) writeFileSync(this.bodyPath(request.id), inlineBody);
    this.journal.add(stored.id, stored, request.receivedAt);
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
    this.journal.done(request.id, { status, at });
    this.taken.delete(request.id);
    if (request.hasInlineBody) rmSync(this.bodyPath(request.id), { force: true });
  }

  /** Records the simulated time, so that the next start resumes from it (ReplayedJournal.lastAt). */
  markClock(at: number): void {
    this.journal.markClock(at);
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

  /** Releases the journal's descriptor; the queue can still append afterwards (it reopens). */
  close(): void {
    this.journal.close();
  }
}

/** At start, drops inline bodies no unfinished request refers to (while running, finish() deletes each). */
const dropOrphanedBodies = (stateDir: string, pending: QueuedRequest[]): void => {
  const keep = new Set(pending.filter((r) => r.hasInlineBody).map((r) => `${r.id}.bin`));
  for (const file of readdirSync(join(stateDir, BODIES))) {
    if (!keep.has(file)) rmSync(join(stateDir, BODIES, file), { force: true });
  }
};
