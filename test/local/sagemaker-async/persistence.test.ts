import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../../local/sagemaker-async/clock';
import { until } from './deadline';
import { echo, FakeModels } from './fake-models';
import { endpointsOnRealS3, putInput, type Published } from './harness';

describe('an async endpoint across restarts and the request TTL', () => {
  const endpoints = endpointsOnRealS3();
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'sm-restart-'));
  });

  /** Endpoints of one test share its stateDir, as one process would after another. */
  const start = (setup: Parameters<typeof endpoints.start>[0]) => endpoints.start({ stateDir, ...setup });
  const terminalCounts = (published: Published[]) => {
    const counts = new Map<string, number>();
    for (const p of published) counts.set(p.message.inferenceId as string, (counts.get(p.message.inferenceId as string) ?? 0) + 1);
    return counts;
  };

  it('loses nothing when closed mid-queue: after a restart every request ends once, only an in-flight one may repeat', async () => {
    // Prepare: one slot and a 40 ms model, so most of the 16 requests are still queued at close.
    const published: Published[] = [];
    const first = await start({ published, models: new FakeModels((call) => ({ ...echo(call), delayMs: 40 })) });
    const ids = Array.from({ length: 16 }, (_, i) => `restart-${i}`);
    for (const [i, id] of ids.entries()) {
      if (i % 4 === 0) {
        await first.invoke({ Body: Buffer.from(`{"inline":${i}}`), InferenceId: id });
      } else {
        await putInput(endpoints.s3(), `requests/${id}.json`, `{"n":${i}}`);
        await first.invoke({ InputLocation: `s3://articles/requests/${id}.json`, InferenceId: id });
      }
    }
    await until(() => published.length >= 3, 'a few requests to finish before the close');

    // Act
    await first.stop();
    const finishedBeforeRestart = published.length;
    const second = await start({ published, models: new FakeModels(echo) });
    await until(
      () => second.endpoint.drained() && terminalCounts(published).size === ids.length,
      'every request to finish after the restart',
    );

    // Assess
    expect(finishedBeforeRestart).toBeLessThan(ids.length);
    const counts = terminalCounts(published);
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    expect([...counts.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(1);
    expect(published.every((p) => p.message.invocationStatus === 'Completed')).toBe(true);
    expect(second.models.calls.map((c) => c.body.toString())).toContain('{"inline":12}');
    expect(second.endpoint.status().totals.accepted).toBe(0);
  });

  it('starts again from the journal alone, as after a kill -9: nothing accepted is lost', async () => {
    // Prepare: an endpoint with no capacity accepts requests; its memory is then simply abandoned.
    const published: Published[] = [];
    const crashed = await start({ published, scaling: { minCapacity: 0, maxCapacity: 0 }, endpoint: { initialInstanceCount: 0 } });
    for (let i = 0; i < 3; i++) await crashed.invoke({ Body: Buffer.from(`{"n":${i}}`), InferenceId: `orphan-${i}` });

    // Act: a new endpoint on the same stateDir while the old one still holds its in-memory queue.
    const successor = await start({ published });
    await until(() => successor.endpoint.drained() && published.length === 3, 'the orphaned requests to finish');

    // Assess: the model sees the journal's order; notifications may overtake one another, as SageMaker
    // promises no order for them (a slot is free again before its output upload and publish end).
    expect(published.map((p) => p.message.inferenceId).sort()).toEqual(['orphan-0', 'orphan-1', 'orphan-2']);
    expect(successor.models.calls.map((c) => c.body.toString())).toEqual(['{"n":0}', '{"n":1}', '{"n":2}']);
  });

  it('expires a request still queued after RequestTTLSeconds of simulated time, with an "expired" reason', async () => {
    // Prepare: no capacity, and a clock that moves only when told.
    const clock = manualClock();
    const published: Published[] = [];
    const sut = await start({ published, clock, scaling: { minCapacity: 0, maxCapacity: 0 }, endpoint: { initialInstanceCount: 0 } });
    const accepted = await sut.invoke({
      InputLocation: 's3://articles/requests/never.json',
      RequestTTLSeconds: 60,
      InferenceId: 'inference-ttl',
    });

    // Act
    clock.advance(59_999);
    const beforeTtl = published.length;
    clock.advance(1);
    const { message } = await sut.notification('inference-ttl');
    await until(() => sut.endpoint.drained(), 'the expired request to leave the journal');
    clock.advance(60_000);

    // Assess
    expect(beforeTtl).toBe(0);
    expect(message).toMatchObject({ invocationStatus: 'Failed', failureReason: expect.stringMatching(/expired/) });
    expect(message.responseParameters).toBeUndefined();
    expect(sut.endpoint.metrics().reduce((n, d) => n + d.ExpiredRequests, 0)).toBe(1);
    expect(sut.endpoint.status().totals.expired).toBe(1);
    expect(readFileSync(join(stateDir, 'journal.jsonl'), 'utf-8')).toMatch(
      new RegExp(`"id":"${/([0-9a-f-]{36})\.out$/.exec(accepted.OutputLocation ?? '')?.[1]}","status":"Expired"`),
    );
  });
});
