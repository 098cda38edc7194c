import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistentQueue, type QueuedRequest } from '../../../local/sagemaker-async/queue';

const request = (id: string, at: number, extra: Partial<QueuedRequest> = {}): QueuedRequest => ({
  id,
  inferenceId: `inference-${id}`,
  inputLocation: `s3://articles/requests/${id}.json`,
  invocationTimeoutSeconds: 900,
  requestTtlSeconds: 21_600,
  outputLocation: `s3://articles/outputs/${id}.out`,
  receivedTime: new Date(at).toISOString(),
  receivedAt: at,
  expiresAt: at + 21_600_000,
  ...extra,
});

describe('the persistent request queue (journal in stateDir)', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'sm-queue-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('hands out requests first in, first out, and puts a retried one back at the head', () => {
    const { queue } = PersistentQueue.open(stateDir);
    for (const id of ['a', 'b', 'c']) queue.enqueue(request(id, 1_000));

    const first = queue.take();
    queue.putBack(first as QueuedRequest);

    expect([queue.take()?.id, queue.take()?.id, queue.take()?.id, queue.take()]).toEqual(['a', 'b', 'c', undefined]);
  });

  it('after a restart, queues again what was queued or in flight, in order, and never what finished', () => {
    // Prepare: a finished, an in-flight and a waiting request, with an inline body, then the process "dies".
    const { queue } = PersistentQueue.open(stateDir);
    queue.enqueue(request('done', 1_000));
    queue.enqueue(request('flying', 2_000), Buffer.from('inline payload'));
    queue.enqueue(request('waiting', 3_000));
    queue.finish(queue.take() as QueuedRequest, 'Completed', 4_000);
    queue.take();

    // Act
    const reopened = PersistentQueue.open(stateDir);

    // Assess
    expect(reopened.replay.pending.map((r) => r.id)).toEqual(['flying', 'waiting']);
    expect(reopened.replay.lastAt).toBe(4_000);
    const flying = reopened.queue.take() as QueuedRequest;
    expect(reopened.queue.readInlineBody(flying).toString()).toBe('inline payload');
  });

  it('ignores a journal line torn by a kill during the write, and compacts the journal', () => {
    const { queue } = PersistentQueue.open(stateDir);
    queue.enqueue(request('kept', 1_000));
    queue.enqueue(request('finished', 1_500));
    queue.finish(request('finished', 1_500), 'Failed', 2_000);
    appendFileSync(join(stateDir, 'journal.jsonl'), '{"type":"accepted","at":3000,"request":{"id":"torn"');

    const reopened = PersistentQueue.open(stateDir);

    expect(reopened.replay.skippedLines).toBe(1);
    expect(reopened.replay.pending.map((r) => r.id)).toEqual(['kept']);
    const lines = readFileSync(join(stateDir, 'journal.jsonl'), 'utf-8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { op: string; at: number });
    expect(lines.map((l) => l.op)).toEqual(['add', 'clock']);
    expect(lines[1]?.at).toBe(2_000);
  });

  it('restarts from a state folder written in the earlier journal format, and rewrites it in the journal format', () => {
    // Prepare: the fixture, copied (the open rewrites it).
    cpSync(join(__dirname, 'fixtures', 'queue-journal-v1'), stateDir, { recursive: true });

    // Act
    const { queue, replay } = PersistentQueue.open(stateDir);

    // Assess: the unfinished requests in order, the clock, the inline body; the file in the journal's format.
    expect(replay.pending.map((r) => r.id)).toEqual(['in-flight', 'waiting']);
    expect(replay.lastAt).toBe(5_000);
    expect(replay.skippedLines).toBe(0);
    const inFlight = queue.take() as QueuedRequest;
    expect(inFlight.failureLocation).toBe('s3://articles/failures/in-flight-error.out');
    expect(queue.readInlineBody(inFlight).toString()).toBe('an inline payload');
    queue.close();
    const lines = readFileSync(join(stateDir, 'journal.jsonl'), 'utf-8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { op: string; id?: string });
    expect(lines.map((l) => [l.op, l.id])).toEqual([
      ['add', 'in-flight'],
      ['add', 'waiting'],
      ['clock', undefined],
    ]);
    expect(PersistentQueue.open(stateDir).replay.pending.map((r) => r.id)).toEqual(['in-flight', 'waiting']);
  });

  it('compacts its journal while running, keeping unfinished requests in order and the clock', () => {
    const { queue } = PersistentQueue.open(stateDir, { compactFloor: 100 });
    queue.enqueue(request('in-flight', 500));
    queue.take();

    let largest = 0;
    for (let n = 0; n < 1_000; n++) {
      const r = request(`r-${n}`, 1_000 + n);
      queue.enqueue(r);
      queue.take();
      queue.finish(r, 'Completed', 2_000 + n);
      largest = Math.max(largest, readFileSync(join(stateDir, 'journal.jsonl'), 'utf-8').split('\n').length);
    }
    queue.enqueue(request('waiting', 5_000));

    expect(largest).toBeLessThanOrEqual(102);
    const reopened = PersistentQueue.open(stateDir);
    expect(reopened.replay.pending.map((r) => r.id)).toEqual(['in-flight', 'waiting']);
    expect(reopened.replay.lastAt).toBe(5_000);
  });

  it('drops inline bodies nobody references any more, and deletes a body once its request finished', () => {
    writeFileSync(join(stateDir, 'stray.bin'), '');
    const { queue } = PersistentQueue.open(stateDir);
    writeFileSync(join(stateDir, 'bodies', 'orphan.bin'), 'left by a crash');
    queue.enqueue(request('inline', 1_000), Buffer.from('x'));
    queue.finish(queue.take() as QueuedRequest, 'Completed', 2_000);

    PersistentQueue.open(stateDir);

    expect(readdirSync(join(stateDir, 'bodies'))).toEqual([]);
    expect(existsSync(join(stateDir, 'stray.bin'))).toBe(true);
  });

  it('takes out expired waiting requests only, leaving the rest in order', () => {
    const { queue } = PersistentQueue.open(stateDir);
    queue.enqueue(request('long', 0));
    queue.enqueue(request('short', 0, { expiresAt: 60_000 }));
    queue.enqueue(request('later', 0, { expiresAt: 120_000 }));

    const expired = queue.takeExpired(60_000);

    expect(expired.map((r) => r.id)).toEqual(['short']);
    expect(queue.earliestExpiry()).toBe(120_000);
    expect([queue.take()?.id, queue.take()?.id]).toEqual(['long', 'later']);
  });
});
