/**
 * The endpoint queue's journal format before it moved to the local cloud's one journal
 * (support/journal.ts): `accepted` / `done` / `clock` records keyed by `type`. A state folder written
 * in it still restarts: each old record is read as the journal's entry, and the first open rewrites
 * the file in the journal's format.
 */

import type { JournalEntry } from '../support/journal';
import type { QueuedRequest, TerminalStatus } from './queue';

type QueueRecordV1 =
  | { type: 'accepted'; at: number; request: QueuedRequest }
  | { type: 'done'; at: number; id: string; status: TerminalStatus }
  | { type: 'clock'; at: number };

export const fromQueueJournalV1 = (record: Record<string, unknown>): JournalEntry<QueuedRequest> | undefined => {
  const old = record as unknown as QueueRecordV1;
  switch (old.type) {
    case 'accepted':
      return { op: 'add', id: old.request.id, item: old.request, at: old.at };
    case 'done':
      return { op: 'done', id: old.id, status: old.status, at: old.at };
    case 'clock':
      return { op: 'clock', at: old.at };
    default:
      return undefined;
  }
};
