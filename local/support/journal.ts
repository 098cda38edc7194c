/**
 * The local cloud's one journal of pending work (the Lambda runtime's queued invocations, the
 * endpoint's queued requests): append-only JSON lines, `add` before work is acknowledged, `done` when
 * it has reached its end, and optionally the simulated time (`at`, `clock`) so a restarted clock
 * never runs backwards. Each entry is one write(2) on a descriptor kept open, so a kill -9 of the
 * process loses nothing already written (the kernel keeps the write), and a restart replays exactly
 * what was pending, in the order it was added; a line torn by a kill mid-write is skipped and
 * counted. Compacted on open and, as work finishes, while running (journal-lines.ts).
 */

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { readLines, rewriteLines, shouldCompact } from './journal-lines';

export type JournalEntry<T> =
  { op: 'add'; id: string; item: T; at?: number } | { op: 'done'; id: string; status?: string; at?: number } | { op: 'clock'; at: number };

export interface JournalOptions<T> {
  /** Records in the file before a compaction while running is considered (journal-lines.ts). */
  compactFloor?: number;
  /** Reads a line of an older on-disk format (a line without `op`); the open rewrites it in this one. */
  upgrade?: (record: Record<string, unknown>) => JournalEntry<T> | undefined;
}

export class Journal<T> {
  private readonly pending = new Map<string, T>();
  private fd: number | undefined;
  private records = 0;
  private latest: number | undefined;
  private skipped = 0;

  constructor(
    private readonly file: string,
    private readonly options: JournalOptions<T> = {},
  ) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    for (const line of readLines(file)) {
      if (!line.trim()) continue;
      const entry = this.parse(line);
      if (!entry) {
        // A line cut short by a kill mid-write: everything before it is intact.
        this.skipped++;
        continue;
      }
      this.noteTime(entry.at);
      if (entry.op === 'add') this.pending.set(entry.id, entry.item);
      else if (entry.op === 'done') this.pending.delete(entry.id);
    }
    this.compact();
  }

  add(id: string, item: T, at?: number): void {
    this.pending.set(id, item);
    this.append({ op: 'add', id, item, ...(at === undefined ? {} : { at }) });
  }

  done(id: string, { status, at }: { status?: string; at?: number } = {}): void {
    if (!this.pending.delete(id)) return;
    this.append({ op: 'done', id, ...(status === undefined ? {} : { status }), ...(at === undefined ? {} : { at }) });
    if (shouldCompact(this.records, this.pending.size, this.options.compactFloor)) this.compact();
  }

  /** Records the simulated time, so that the next open's `lastAt` is at least `at`. */
  markClock(at: number): void {
    this.append({ op: 'clock', at });
  }

  /** Releases the descriptor; a later entry reopens it. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  get(id: string): T | undefined {
    return this.pending.get(id);
  }

  /** What is pending, in the order it was added. */
  entries(): [string, T][] {
    return [...this.pending];
  }

  get size(): number {
    return this.pending.size;
  }

  /** The latest time any entry carried (replayed and written since), if any did. */
  get lastAt(): number | undefined {
    return this.latest;
  }

  /** Lines the open could not read (torn by a kill mid-write). */
  get skippedLines(): number {
    return this.skipped;
  }

  /** How many records the file holds now (for tests and the compaction rule). */
  get recordsInFile(): number {
    return this.records;
  }

  private parse(line: string): JournalEntry<T> | undefined {
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (typeof record.op === 'string') return record as unknown as JournalEntry<T>;
      return this.options.upgrade?.(record);
    } catch {
      return undefined;
    }
  }

  /** Rewrites the file with the pending entries only, then the latest time. */
  private compact(): void {
    this.close();
    const lines = [...this.pending].map(([id, item]) => JSON.stringify({ op: 'add', id, item } satisfies JournalEntry<T>));
    if (this.latest !== undefined) lines.push(JSON.stringify({ op: 'clock', at: this.latest } satisfies JournalEntry<T>));
    rewriteLines(this.file, lines);
    this.records = lines.length;
  }

  // One write(2) per entry on a descriptor kept open: durable across a kill, no open/close per entry.
  private append(entry: JournalEntry<T>): void {
    this.fd ??= openSync(this.file, 'a');
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.records++;
    this.noteTime(entry.at);
  }

  private noteTime(at: number | undefined): void {
    if (at !== undefined) this.latest = Math.max(this.latest ?? at, at);
  }
}
