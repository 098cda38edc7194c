import type { ChildProcess } from 'node:child_process';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { makeClients, type ClientBase, type Clients } from '../../adapters/clients';
import { DynamoItems } from '../../adapters/dynamo-items';
import {
  ARTICLE_CALLS,
  base,
  destroyAll,
  inMemory,
  LOCAL_CLOUD_CALLS,
  localTarget,
  measureCalls,
  startServer,
} from '../../bench/sdk-floor-main';
import { startTestCloud, type TestCloud } from '../support/local-cloud';

// bench:sdk-floor's fixed replies must stay replies the SDK accepts: a reply it refused would make
// every call throw and the bench print nothing. Both ways of answering, each call of an article; and
// the same calls against a local cloud, where each conditional write must find the row it expects.
describe('bench:sdk-floor', () => {
  let server: { child: ChildProcess; url: string };
  const made: Clients[] = [];
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => {
    made.forEach(destroyAll);
    server.child.kill();
  });

  it('makes the nine calls of an article against the fixed-reply server, and measures the caller and the server', async () => {
    const clients = makeClients(base(server.url), { forcePathStyle: true });
    made.push(clients);
    let reads = 0;
    const figures = await measureCalls(clients, 4, { parts: () => ({ server: 1000 * ++reads }) });
    expect(ARTICLE_CALLS).toHaveLength(9);
    expect(figures).toHaveLength(9);
    for (const f of figures) {
      expect(f.caller).toBeGreaterThan(0);
      // Two readings per kind of call, 1000 µs apart, over 4 calls.
      expect(f.parts).toEqual({ server: 250 });
      expect(f.wallMs).toBeGreaterThan(0);
    }
  });

  it('makes them with the in-memory handler, with no socket, and the SDK takes every reply', async () => {
    const clients = makeClients({ ...base('http://127.0.0.1:9'), requestHandler: inMemory } as ClientBase, { forcePathStyle: true });
    made.push(clients);
    // Port 9 (discard) has nothing listening here: a call that reached a socket would fail.
    const replies = await Promise.all(ARTICLE_CALLS.map((call) => call.make(clients)));
    expect(replies[0]).toMatch(/^An article of a few paragraphs/);
    expect(replies[3]).toMatchObject({ OutputLocation: expect.stringMatching(/^s3:\/\/bucket\/output\//) });
    expect(replies[7]).toMatchObject({ MessageId: expect.any(String) });
  });

  it('sends each fixed reply after the delay the server was started with', async () => {
    const slow = await startServer(40);
    const clients = makeClients(base(slow.url), { forcePathStyle: true });
    made.push(clients);
    try {
      const began = performance.now();
      await ARTICLE_CALLS[1]!.make(clients);
      // A timer never fires before its delay; a millisecond of slack for the clocks' rounding.
      expect(performance.now() - began).toBeGreaterThanOrEqual(39);
    } finally {
      slow.child.kill();
    }
  });

  describe('against a local cloud', () => {
    let cloud: TestCloud;
    beforeAll(async () => {
      cloud = await startTestCloud();
    });
    afterAll(async () => {
      await cloud.dispose();
    });

    it("makes every call but InvokeEndpointAsync, each article's writes in turn on its own row", async () => {
      const clients = makeClients(base(cloud.endpoints.edgeUrl), { forcePathStyle: true });
      made.push(clients);
      const at = localTarget(cloud.endpoints);
      await clients.s3.send(new PutObjectCommand({ Bucket: at.bucket, Key: at.articleKey, Body: 'An article.' }));

      const figures = await measureCalls(clients, 4, { at, list: LOCAL_CLOUD_CALLS, first: 1 });

      expect(LOCAL_CLOUD_CALLS.map((c) => c.name)).toEqual(ARTICLE_CALLS.map((c) => c.name).filter((n) => !/InvokeEndpointAsync/.test(n)));
      expect(figures).toHaveLength(8);
      // Articles 1-4 measured, 5 the warm-up: each row claimed, submitted, finished and its event sent.
      const items = DynamoItems.for(clients.dynamo);
      for (const i of [1, 4, 5]) {
        const item = await items.get({
          TableName: at.table,
          Key: { articleId: `bench/input/article-00000${i}.txt` },
          ConsistentRead: true,
        });
        expect(item).toMatchObject({
          state: 'COMPLETED',
          inferenceId: expect.stringMatching(new RegExp(`0000${i}$`)),
          finishId: 'finish-1',
        });
        expect(item).not.toHaveProperty('eventPendingSince');
      }
    });
  });
});
