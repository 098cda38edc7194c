import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startChild } from '../../../local/support/child-process';
import { eventually } from '../../support/eventually';

const env = { PATH: process.env.PATH ?? '' };
const root = join(__dirname, '..', '..', '..');

describe('startChild: spawn a helper and read its first line', () => {
  it('resolves with the first line the child writes', async () => {
    // Act
    const started = await startChild(['-e', 'process.stdout.write("{\\"port\\":1234}\\n"); process.disconnect();'], {
      description: 'talker',
      env,
    });
    // Assess
    expect(JSON.parse(started.firstLine)).toEqual({ port: 1234 });
    await expect(started.exited).resolves.toBe(0);
  });

  it('fails, naming the child and its exit code, when the child exits before writing a line', async () => {
    // Prepare
    const exits: (number | null)[] = [];
    // Act
    const start = startChild(['-e', 'process.exit(3)'], { description: 'quitter', env, onExit: (code) => exits.push(code) });
    // Assess
    await expect(start).rejects.toThrow('quitter exited with 3 before listening');
    expect(exits).toEqual([3]);
  });

  it('kills a child that stays silent past the timeout and fails the start', async () => {
    // Prepare: a child that never writes, kept alive by a timer
    const exits: (number | null)[] = [];
    // Act
    const start = startChild(['-e', 'setInterval(() => undefined, 1000); process.on("disconnect", () => process.exit(0));'], {
      description: 'mute',
      env,
      timeoutMs: 500,
      onExit: (code) => exits.push(code),
    });
    // Assess
    await expect(start).rejects.toThrow('mute did not start within 500 ms');
    // The child is killed, not left running.
    await eventually(async () => (exits.length > 0 ? exits : undefined), { timeoutMs: 10_000, everyMs: 20 });
    expect(exits).toEqual([null]);
  });
});

describe('no input reaches a shell', () => {
  const sources = (dir: string): string[] =>
    readdirSync(join(root, dir)).flatMap((name) => {
      const path = join(dir, name);
      return statSync(join(root, path)).isDirectory() ? sources(path) : /\.(ts|js)$/.test(name) ? [path] : [];
    });

  it('starts child processes only with an argument array and no shell (spawn, execFile), and evaluates no strings', () => {
    const files = ['core', 'adapters', 'functions', 'local', 'bench', 'scripts'].flatMap(sources);
    const found = files.flatMap((file) => {
      const text = readFileSync(join(root, file), 'utf-8');
      return [/(?<![.\w])exec(Sync)?\(|\bshell:\s*true|(?<![.\w])eval\(|new Function\(/g, /require\(['"]child_process['"]\)/g].flatMap(
        (pattern) => [...text.matchAll(pattern)].map((m) => `${file}: ${m[0]}`),
      );
    });

    expect(found).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
  });
});
