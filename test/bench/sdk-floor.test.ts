import type { ChildProcess } from 'node:child_process';
import { makeClients, type ClientBase, type Clients } from '../../adapters/clients';
import { ARTICLE_CALLS, base, inMemory, measureCalls, startServer } from '../../bench/sdk-floor-main';

// bench:sdk-floor's fixed replies must stay replies the SDK accepts: a reply it refused would make
// every call throw and the bench print nothing. Both ways of answering, each call of an article.
describe('bench:sdk-floor', () => {
  let server: { child: ChildProcess; url: string };
  const made: Clients[] = [];
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => {
    for (const c of made) [c.s3, c.rawDynamo, c.sagemaker, c.sns].forEach((client) => client.destroy());
    server.child.kill();
  });

  it('makes the nine calls of an article against the fixed-reply server, and measures the caller and the server', async () => {
    const clients = makeClients(base(server.url), { forcePathStyle: true });
    made.push(clients);
    const figures = await measureCalls(clients, 4, server.child);
    expect(ARTICLE_CALLS).toHaveLength(9);
    expect(figures).toHaveLength(9);
    for (const f of figures) {
      expect(f.caller).toBeGreaterThan(0);
      expect(f.server).toBeGreaterThanOrEqual(0);
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
});
