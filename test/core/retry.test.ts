import { attemptInferenceIdFor, inferenceIdFor } from '../../core/ids';
import { MAX_HISTORY, type LedgerRow } from '../../core/ledger';
import { reopenedRow } from '../../core/retry';

const row: LedgerRow = {
  articleId: 'a'.repeat(32),
  bucket: 'bucket',
  key: 'input/x.txt',
  etag: 'etag-1',
  bytes: 10,
  state: 'EXPIRED',
  inferenceId: inferenceIdFor('bucket', 'input/x.txt', 'etag-1'),
  requestCount: 1,
  modelId: 'm',
  reason: 'x'.repeat(5000),
  uploadedAt: '2026-11-26T09:00:00.000Z',
  receivedAt: '2026-11-26T09:00:01.000Z',
  completedAt: '2026-11-26T15:00:01.000Z',
  day: '2026-11-26',
};

describe('reopenedRow: the next attempt of a failed or expired article', () => {
  it('numbers the attempt, derives its own inference id and records the old outcome with a bounded reason', () => {
    const next = reopenedRow(row, new Date('2026-11-27T08:00:00.000Z'), 'retry-1');

    expect(next).toMatchObject({ attempt: 2, claimedBy: 'retry-1', receivedAt: '2026-11-27T08:00:00.000Z', day: '2026-11-27' });
    expect(next.inferenceId).toBe(attemptInferenceIdFor('bucket', 'input/x.txt', 'etag-1', 2));
    expect(next.inferenceId).not.toBe(row.inferenceId);
    expect(next.inferenceId).toMatch(/^[0-9a-f]{32}$/);
    expect(next.history).toHaveLength(1);
    expect(next.history[0]).toMatchObject({
      attempt: 1,
      state: 'EXPIRED',
      inferenceId: row.inferenceId,
      retriedAt: '2026-11-27T08:00:00.000Z',
    });
    expect(next.history[0]?.reason).toHaveLength(500);
  });

  it('keeps the last MAX_HISTORY attempts only', () => {
    let current = row;
    for (let i = 0; i < MAX_HISTORY + 5; i++)
      current = { ...current, ...reopenedRow(current, new Date(Date.UTC(2026, 10, 27, 0, i)), 'r'), state: 'FAILED' };

    expect(current.attempt).toBe(MAX_HISTORY + 6);
    expect(current.history).toHaveLength(MAX_HISTORY);
    expect(current.history?.[0]?.attempt).toBe(6);
    expect(current.history?.at(-1)?.attempt).toBe(MAX_HISTORY + 5);
  });

  it('keeps the endpoint time of every attempt for the cost, folding attempts dropped from the history into the oldest kept', () => {
    let current: LedgerRow = { ...row, endpointMs: 100 };
    for (let i = 0; i < MAX_HISTORY + 5; i++)
      current = { ...current, ...reopenedRow(current, new Date(Date.UTC(2026, 10, 27, 0, i)), 'r'), state: 'FAILED', endpointMs: 100 };

    expect(current.history).toHaveLength(MAX_HISTORY);
    expect(current.history?.reduce((sum, h) => sum + (h.endpointMs ?? 0), 0)).toBe((MAX_HISTORY + 5) * 100);
    expect(current.history?.[0]?.endpointMs).toBe(600);
  });

  it("gives attempt 1 the upload's own inference id", () => {
    expect(attemptInferenceIdFor('b', 'k', 'r', 1)).toBe(inferenceIdFor('b', 'k', 'r'));
  });
});
