import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { call, invoke, summariesOf } from './http-client';

/** main.ts as the build ships it: one bundled file, run by plain node. */
const outdir = mkdtempSync(join(tmpdir(), 'model-server-'));
const bundle = join(outdir, 'model-server.js');

interface Running {
  child: ChildProcessWithoutNullStreams;
  port: number;
  url: string;
  stdout: string[];
  stderr: string[];
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

const launch = async (...args: string[]): Promise<Running> => {
  const child = spawn(process.execPath, [bundle, ...args], { env: { PATH: process.env.PATH ?? '' } });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => stdout.push(line));
  const [first] = (await Promise.race([once(lines, 'line'), exited.then(() => [undefined])])) as [string | undefined];
  if (first === undefined) throw new Error(`model server exited before listening: ${stderr.join('\n')}`);
  const { port } = JSON.parse(first) as { port: number };
  return { child, port, url: `http://127.0.0.1:${port}`, stdout, stderr, exited };
};

beforeAll(async () => {
  await build({
    entryPoints: [join(__dirname, '..', '..', '..', 'local', 'model-server', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: bundle,
    logLevel: 'silent',
  });
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('model-server process (bundled main.ts)', () => {
  it('prints one listening line, answers /ping, and exits 0 on SIGTERM', async () => {
    // Prepare
    const server = await launch('--port', '0');

    // Act
    const ping = await call(`${server.url}/ping`);
    server.child.kill('SIGTERM');
    const [code] = await server.exited;

    // Assess
    expect(ping.status).toBe(200);
    expect(code).toBe(0);
    expect(server.stdout).toEqual([JSON.stringify({ event: 'listening', port: server.port })]);
  });

  it('summarizes in the default mode and logs requests to stderr only with --verbose', async () => {
    // Prepare
    const server = await launch('--port', '0', '--verbose');

    // Act
    const reply = await invoke(server.url, { inputs: 'The bridge opens next year. It cost 48 million.' });
    server.child.kill('SIGTERM');
    await server.exited;

    // Assess
    expect(summariesOf(reply)).toEqual(['The bridge opens next year.\nIt cost 48 million.']);
    expect(server.stdout).toHaveLength(1);
    expect(server.stderr.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ event: 'request', method: 'POST', path: '/invocations', status: 200 }),
    );
  });

  it('takes fixed mode and latency from flags', async () => {
    // Prepare
    const server = await launch('--port', '0', '--mode', 'fixed', '--latency-ms', '150');

    // Act
    const started = performance.now();
    const reply = await invoke(server.url, { inputs: 'one two three' });
    const elapsed = performance.now() - started;
    server.child.kill('SIGTERM');
    await server.exited;

    // Assess
    expect(summariesOf(reply)).toEqual(['one two three']);
    expect(elapsed).toBeGreaterThanOrEqual(150);
  });

  it('exits abruptly on the invocation after --crash-after', async () => {
    // Prepare
    const server = await launch('--port', '0', '--crash-after', '1');

    // Act
    const first = await invoke(server.url, { inputs: 'The first request is served.' });
    const second = invoke(server.url, { inputs: 'The second one is not.' });

    // Assess
    expect(first.status).toBe(200);
    await expect(second).rejects.toMatchObject({ code: 'ECONNRESET' });
    const [code] = await server.exited;
    expect(code).toBe(1);
  });

  it('exits with 1 before listening when --fail-start-rate says so', async () => {
    await expect(launch('--port', '0', '--fail-start-rate', '1')).rejects.toThrow(
      /^model server exited before listening: .*--fail-start-rate 1: failing at start-up/,
    );
  });

  it('rejects an unknown flag with exit code 2 and the usage on stderr', async () => {
    // Act
    const child = spawn(process.execPath, [bundle, '--colour', 'blue']);
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const [code] = (await once(child, 'exit')) as [number];

    // Assess
    expect(code).toBe(2);
    expect(Buffer.concat(stderr).toString()).toMatch(/Unknown option '--colour'[\s\S]*Usage: model-server/);
  });
});
