/**
 * A small append-only JSON-lines journal of pending work: `add` before work is acknowledged, `done`
 * when it has reached its end. appendFileSync is durable across a kill of the process (the kernel
 * keeps the write), so a restart replays exactly what was pending. Compacted on open and, as work
 * finishes, while running (journal-lines.ts).
 */

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { readLines, rewriteLines, shouldCompact } from './journal-lines';

export class Journal<T> {
  private readonly pending = new Map<string, T>();
  private fd: number | undefined;
  private records = 0;

  constructor(
    private readonly file: string,
    private readonly compactFloor?: number,
  ) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    for (const line of readLines(file)) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as { op: 'add'; id: string; item: T } | { op: 'done'; id: string };
        if (entry.op === 'add') this.pending.set(entry.id, entry.item);
        else this.pending.delete(entry.id);
      } catch {
        // A line cut short by a kill mid-write: everything before it is intact.
      }
    }
    this.compact();
  }

  /** Rewrites the file with the pending entries only. */
  private compact(): void {
    this.close();
    rewriteLines(this.file, [...this.pending].map(([id, item]) => JSON.stringify({ op: 'add', id, item })));
    this.records = this.pending.size;
  }

  /** How many records the file holds now (for tests and the compaction rule). */
  get recordsInFile(): number {
    return this.records;
  }

  add(id: string, item: T): void {
    this.pending.set(id, item);
    this.append({ op: 'add', id, item });
  }

  done(id: string): void {
    if (!this.pending.delete(id)) return;
    this.append({ op: 'done', id });
    if (shouldCompact(this.records, this.pending.size, this.compactFloor)) this.compact();
  }

  /** Releases the descriptor; a later add or done reopens it. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  // One write(2) per entry on a descriptor kept open: durable across a kill, no open/close per entry.
  private append(entry: object): void {
    this.fd ??= openSync(this.file, 'a');
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.records++;
  }

  get(id: string): T | undefined {
    return this.pending.get(id);
  }

  entries(): [string, T][] {
    return [...this.pending];
  }

  get size(): number {
    return this.pending.size;
  }
}
