import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startModelServer, type ModelServer } from '../../../local/model-server/server';
import { countWords } from '../../../local/model-server/tokens';
import { eventually } from '../../support/eventually';
import { call, invoke, summariesOf } from './http-client';

const article = readFileSync(join(__dirname, '..', '..', '..', 'samples', 'health-walking-blood-pressure.txt'), 'utf8');
const short = 'The library will open later on weekdays. A survey asked for it. The change starts next month.';

describe('model server (summarize mode)', () => {
  let server: ModelServer;

  beforeAll(async () => {
    server = await startModelServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('answers GET /ping with 200 and an empty body', async () => {
    // Act
    const reply = await call(`${server.url}/ping`);

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('');
    expect(reply.headers['content-length']).toBe('0');
  });

  it('summarizes {"inputs", "parameters"} into [{"summary_text"}] with a Content-Length', async () => {
    // Act
    const reply = await invoke(server.url, { inputs: article, parameters: { truncation: true, max_length: 128 } });

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(Number(reply.headers['content-length'])).toBe(Buffer.byteLength(reply.body));
    const [summary] = summariesOf(reply);
    expect(summary).toMatch(/^Adults over 65 who added a 30-minute brisk walk/);
  });

  it('returns one result per input, in order, for a list of inputs', async () => {
    // Act
    const reply = await invoke(server.url, { inputs: [article, short] });

    // Assess
    expect(reply.status).toBe(200);
    const summaries = summariesOf(reply);
    expect(summaries).toHaveLength(2);
    expect(summaries[0]).toMatch(/^Adults over 65/);
    expect(summaries[1]).toMatch(/^The library will open later/);
  });

  it('accepts a bare JSON string as the input', async () => {
    // Act
    const reply = await invoke(server.url, JSON.stringify(short));

    // Assess
    expect(reply.status).toBe(200);
    expect(summariesOf(reply)).toEqual([short.split('. ').join('.\n')]);
  });

  it('honours max_length and ignores generation settings it does not use', async () => {
    // Act
    const reply = await invoke(server.url, { inputs: article, parameters: { max_length: 30, num_beams: 4, do_sample: false } });

    // Assess
    expect(reply.status).toBe(200);
    expect(countWords(summariesOf(reply)[0] ?? '')).toBeLessThanOrEqual(30);
  });

  it.each([[undefined], ['*/*'], ['application/json']])('answers JSON when Accept is %s', async (accept) => {
    // Prepare
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (accept) headers.Accept = accept;

    // Act
    const reply = await invoke(server.url, { inputs: short }, headers);

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
  });

  it('ignores headers it does not know', async () => {
    // Act
    const reply = await invoke(
      server.url,
      { inputs: short },
      {
        'Content-Type': 'application/json',
        'X-Amzn-SageMaker-Custom-Attributes': 'trace=1',
        'X-Something-Else': 'yes',
      },
    );

    // Assess
    expect(reply.status).toBe(200);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['a charset parameter', 'application/json; charset=utf-8'],
    ['no content type', undefined],
  ])('rejects %s with 400 like the toolkit UnsupportedFormatError', async (_case, contentType) => {
    // Prepare
    const headers: Record<string, string> = contentType ? { 'Content-Type': contentType } : {};

    // Act
    const reply = await invoke(server.url, { inputs: short }, headers);

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(reply.body)).toEqual({
      code: 400,
      type: 'InternalServerException',
      message: expect.stringMatching(new RegExp(`^Content type ${contentType ?? 'None'} is not supported by this framework\\.`)),
    });
  });

  it('rejects an Accept type other than JSON with 400', async () => {
    // Act
    const reply = await invoke(server.url, { inputs: short }, { 'Content-Type': 'application/json', Accept: 'text/csv' });

    // Assess
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).message).toMatch(/^Content type text\/csv is not supported/);
  });

  it.each([
    ['malformed JSON', '{"inputs": "unterminated', /^request body is not valid JSON/],
    ['no inputs', { parameters: { max_length: 10 } }, /^invalid request: inputs must be a non-empty string/],
    ['empty inputs', { inputs: '   ' }, /^invalid request: inputs must not be empty$/],
    ['an empty list', { inputs: [] }, /^invalid request: inputs/],
    ['an empty string in a list', { inputs: [short, ''] }, /^invalid request: inputs\.1 must not be empty$/],
    ['a number', { inputs: 42 }, /^invalid request: inputs must be a non-empty string/],
    ['a JSON array body', [short], /^invalid request: body must be a JSON object/],
    ['an invalid max_length', { inputs: short, parameters: { max_length: 'long' } }, /^invalid request: parameters\.max_length/],
  ])('rejects %s with a 400 JSON error', async (_case, payload, message) => {
    // Act
    const reply = await invoke(server.url, payload);

    // Assess
    expect(reply.status).toBe(400);
    const error = JSON.parse(reply.body);
    expect(error).toMatchObject({ code: 400, type: 'InternalServerException' });
    expect(error.message).toMatch(message);
  });

  it('answers an unknown path with 404', async () => {
    // Act
    const reply = await call(`${server.url}/predictions/model`, { method: 'POST' });

    // Assess
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body)).toEqual({
      code: 404,
      type: 'ResourceNotFoundException',
      message: 'Requested resource is not found, please refer to API document.',
    });
  });

  it.each([
    ['GET', '/invocations'],
    ['POST', '/ping'],
  ])('answers %s %s with 405', async (method, path) => {
    // Act
    const reply = await call(`${server.url}${path}`, { method });

    // Assess
    expect(reply.status).toBe(405);
    expect(JSON.parse(reply.body)).toMatchObject({ code: 405, type: 'MethodNotAllowedException' });
  });
});

describe('model server input limit and generation lengths', () => {
  /** Numbered sentences on distinct topics, so which of them the model read shows in its summary. */
  const topics = ['harbour cranes', 'orchard frost', 'railway signals', 'library hours', 'river salmon', 'solar panels'];
  const longText = Array.from({ length: 60 }, (_, i) => {
    const topic = topics[i % topics.length] as string;
    return `Report ${i} says the ${topic} study found clear results about ${topic} in district ${i}.`;
  }).join('\n\n');
  const reportsIn = (summary: string): number[] => [...summary.matchAll(/Report (\d+)/g)].map((m) => Number(m[1]));

  it('reads only the first maxInputTokens tokens, as the pipeline with truncation: true drops the rest', async () => {
    // Prepare: about 20 tokens a sentence, so 200 tokens hold about the first ten sentences.
    const narrow = await startModelServer({ maxInputTokens: 200 });
    const wide = await startModelServer({ maxInputTokens: 4096 });
    try {
      // Act
      const parameters = { truncation: true, min_length: 2000, max_length: 3000 }; // room for every sentence read
      const [fromNarrow] = summariesOf(await invoke(narrow.url, { inputs: longText, parameters }));
      const [fromWide] = summariesOf(await invoke(wide.url, { inputs: longText, parameters }));

      // Assess
      expect(Math.max(...reportsIn(fromNarrow ?? ''))).toBeLessThan(12);
      expect(Math.max(...reportsIn(fromWide ?? ''))).toBe(59);
    } finally {
      await Promise.all([narrow.close(), wide.close()]);
    }
  });

  it('counts max_length and min_length in tokens (about 1.3 to a word), like the Hugging Face pipeline', async () => {
    // Prepare
    const server = await startModelServer({ maxInputTokens: 4096 });
    try {
      // Act
      const [capped] = summariesOf(await invoke(server.url, { inputs: longText, parameters: { max_length: 65 } }));
      const [stretched] = summariesOf(await invoke(server.url, { inputs: longText, parameters: { min_length: 260, max_length: 390 } }));

      // Assess: 65 tokens allow 50 words; 260 to 390 tokens ask for 200 to 300 words.
      expect(countWords(capped ?? '')).toBeLessThanOrEqual(50);
      expect(countWords(stretched ?? '')).toBeGreaterThanOrEqual(200);
      expect(countWords(stretched ?? '')).toBeLessThanOrEqual(300);
    } finally {
      await server.close();
    }
  });
});

describe('model server limits', () => {
  it('answers a body over maxBodyBytes with 413', async () => {
    // Prepare
    const server = await startModelServer({ maxBodyBytes: 1_000 });
    try {
      // Act
      const reply = await invoke(server.url, { inputs: 'word '.repeat(500) });

      // Assess
      expect(reply.status).toBe(413);
      expect(JSON.parse(reply.body)).toMatchObject({ code: 413, message: expect.stringMatching(/larger than 1000 bytes/) });
    } finally {
      await server.close();
    }
  });
});

describe('model server (fixed mode)', () => {
  it('answers after at least the configured latency, with the first words of the input', async () => {
    // Prepare
    const server = await startModelServer({ mode: 'fixed', latencyMs: 120 });
    try {
      // Act
      const started = performance.now();
      const reply = await invoke(server.url, { inputs: article });
      const elapsed = performance.now() - started;

      // Assess
      expect(reply.status).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(120);
      const [summary] = summariesOf(reply);
      expect(countWords(summary ?? '')).toBe(20);
      expect(article.replace(/\s+/g, ' ')).toContain(summary);
    } finally {
      await server.close();
    }
  });

  it('serves several requests at the same time', async () => {
    // Prepare
    // Long enough that all five arrive while the first is still being answered, even on a busy machine.
    const latencyMs = 2_000;
    const server = await startModelServer({ mode: 'fixed', latencyMs });
    try {
      // Act
      const replying = Promise.all(Array.from({ length: 5 }, (_, i) => invoke(server.url, { inputs: `Request ${i} text.` })));

      // Assess: all five in flight at once, counted by the server (not timed: a busy machine is slow).
      await eventually(() => server.inFlight() === 5, { everyMs: 10, what: 'five requests in flight at once' });
      const replies = await replying;
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(replies.map((r) => summariesOf(r)[0])).toEqual([
        'Request 0 text.',
        'Request 1 text.',
        'Request 2 text.',
        'Request 3 text.',
        'Request 4 text.',
      ]);
      expect(server.inFlight()).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('model server lifecycle', () => {
  it('answers 503 to /ping and /invocations until the startup delay has passed', async () => {
    // Prepare
    const server = await startModelServer({ startupDelayMs: 200 });
    try {
      // Act
      const pingWhileLoading = await call(`${server.url}/ping`);
      const invokeWhileLoading = await invoke(server.url, { inputs: short });
      await server.ready;
      const pingWhenReady = await call(`${server.url}/ping`);

      // Assess
      expect(pingWhileLoading.status).toBe(503);
      expect(JSON.parse(invokeWhileLoading.body)).toMatchObject({ code: 503, type: 'ServiceUnavailableException' });
      expect(pingWhenReady.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('finishes an in-flight request on close and then refuses connections', async () => {
    // Prepare
    const server = await startModelServer({ mode: 'fixed', latencyMs: 300 });
    const inFlight = invoke(server.url, { inputs: short });
    await eventually(() => server.inFlight() === 1, { everyMs: 5, what: 'the request to arrive' });

    // Act
    const closed = server.close();
    const reply = await inFlight;
    await closed;

    // Assess
    expect(reply.status).toBe(200);
    expect(summariesOf(reply)).toEqual([short]);
    await expect(call(`${server.url}/ping`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('model server fault injection', () => {
  it('answers the configured share of invocations with 500', async () => {
    // Prepare: the random source decides; 0.05 < 0.1 fails, 0.5 does not
    const draws = [0.05, 0.5];
    const server = await startModelServer({ errorRate: 0.1, random: () => draws.shift() ?? 1 });
    try {
      // Act
      const failed = await invoke(server.url, { inputs: short });
      const served = await invoke(server.url, { inputs: short });
      const ping = await call(`${server.url}/ping`);

      // Assess
      expect(failed.status).toBe(500);
      expect(JSON.parse(failed.body)).toMatchObject({ code: 500, type: 'InternalServerException' });
      expect(served.status).toBe(200);
      expect(ping.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('drops the connection on the invocation after --crash-after and stops serving', async () => {
    // Prepare
    const onCrash = jest.fn();
    const server = await startModelServer({ crashAfter: 2, onCrash });
    try {
      // Act
      const first = await invoke(server.url, { inputs: short });
      const ping = await call(`${server.url}/ping`);
      const second = await invoke(server.url, { inputs: short });
      const third = invoke(server.url, { inputs: short });

      // Assess: pings do not count towards the limit
      expect([first.status, ping.status, second.status]).toEqual([200, 200, 200]);
      await expect(third).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(onCrash).toHaveBeenCalledTimes(1);
      await expect(call(`${server.url}/ping`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await server.close();
    }
  });

  it('delays a --slow-rate share of invocations by --slow-ms', async () => {
    // Prepare: the first invocation is slow, the second is not.
    const draws = [0.1, 0.9];
    const server = await startModelServer({ mode: 'fixed', latencyMs: 0, slowRate: 0.5, slowMs: 400, random: () => draws.shift() ?? 0.9 });
    try {
      // Act
      const started = performance.now();
      const slow = await invoke(server.url, { inputs: short });
      const slowMs = performance.now() - started;
      const fast = await invoke(server.url, { inputs: short });

      // Assess
      expect([slow.status, fast.status]).toEqual([200, 200]);
      expect(slowMs).toBeGreaterThanOrEqual(400);
    } finally {
      await server.close();
    }
  });
});

describe('model server on loopback: requests meant for this machine only', () => {
  let server: ModelServer;
  beforeAll(async () => {
    server = await startModelServer({ mode: 'fixed', latencyMs: 1 });
  });
  afterAll(async () => server.close());

  it('refuses a request addressed to another host (DNS rebinding) and one sent by a page of another site, with 403', async () => {
    const rebound = await invoke(
      server.url,
      { inputs: short },
      { 'Content-Type': 'application/json', Host: `attacker.example:${server.port}` },
    );
    const fromPage = await invoke(
      server.url,
      { inputs: short },
      { 'Content-Type': 'application/json', Origin: 'https://attacker.example' },
    );
    const ping = await call(`${server.url}/ping`, { headers: { Host: `rebind.attacker.example:${server.port}` } });

    expect([rebound.status, fromPage.status, ping.status]).toEqual([403, 403, 403]);
    expect(JSON.parse(rebound.body)).toMatchObject({ code: 403, type: 'AccessDeniedException' });
  });

  it('answers requests addressed to 127.0.0.1 or localhost, as the endpoint sends them', async () => {
    const replies = await Promise.all(
      [`127.0.0.1:${server.port}`, `localhost:${server.port}`].map((Host) =>
        invoke(server.url, { inputs: short }, { 'Content-Type': 'application/json', Host }),
      ),
    );

    expect(replies.map((r) => r.status)).toEqual([200, 200]);
  });
});
