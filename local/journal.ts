import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A small append-only JSON-lines journal of pending work: `add` before work is acknowledged, `done`
 * when it has reached its end. appendFileSync is durable across a kill of the process (the kernel
 * keeps the write), so a restart replays exactly what was pending. Compacted on open.
 */
export class Journal<T> {
  private readonly pending = new Map<string, T>();
  private fd: number | undefined;

  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf-8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as { op: 'add'; id: string; item: T } | { op: 'done'; id: string };
          if (entry.op === 'add') this.pending.set(entry.id, entry.item);
          else this.pending.delete(entry.id);
        } catch {
          // A line cut short by a kill mid-write: everything before it is intact.
        }
      }
    }
    const compacted = [...this.pending].map(([id, item]) => JSON.stringify({ op: 'add', id, item })).join('\n');
    writeFileSync(`${file}.tmp`, compacted ? `${compacted}\n` : '');
    renameSync(`${file}.tmp`, file);
  }

  add(id: string, item: T): void {
    this.pending.set(id, item);
    this.append({ op: 'add', id, item });
  }

  done(id: string): void {
    if (!this.pending.delete(id)) return;
    this.append({ op: 'done', id });
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
