import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { printable } from '../../local/commands/printable';
import { isForeignOrigin, isLoopbackHost } from '../../local/edge';
import { keyRefusal } from '../../local/s3-key-guard';

const root = join(__dirname, '..', '..');

describe('keys the local S3 store refuses', () => {
  it('refuses ".." and "." segments however they are escaped, before s3rver decodes them', () => {
    for (const url of ['/bkt/input/../../etc/x', '/bkt/input/%2E%2E/%2e%2e/x', '/bkt/input%2F..%2F..%2Fx', '/bkt/input/./x?x-id=PutObject']) {
      expect(keyRefusal(url)).toMatchObject({ status: 400, code: 'InvalidArgument' });
    }
  });

  it('refuses empty segments, NUL and segments over 200 bytes, and keys over S3\'s 1,024 bytes', () => {
    expect(keyRefusal('/bkt/input//x')?.message).toContain('an empty segment (//)');
    expect(keyRefusal('/bkt/input/a%00b')?.message).toContain('a NUL character');
    expect(keyRefusal(`/bkt/input/${'%C3%A9'.repeat(101)}`)?.message).toContain('a segment of 202 bytes');
    expect(keyRefusal(`/bkt/${'a/'.repeat(512)}x`)).toMatchObject({ code: 'KeyTooLongError' });
  });

  it('lets ordinary odd keys, folder markers and bucket requests through', () => {
    for (const url of ['/bkt', '/bkt/', '/bkt?list-type=2&prefix=input/', '/bkt/input/', '/bkt/input/Q3%20report%20%2B%20notes%20%C3%BC%25.txt', '/bkt/input/...txt', '/bkt/input/a%zz']) {
      expect(keyRefusal(url)).toBeUndefined();
    }
    expect(keyRefusal(`/bkt/input/${'x'.repeat(200)}`)).toBeUndefined();
  });
});

describe('bucket names the local S3 store refuses', () => {
  it('refuses a bucket part that is not a bucket name, however escaped, as s3rver would join it to a path', () => {
    for (const url of ['/../tmp/x', '/..%2F..%2Ftmp/x', '/%2E%2E/x', '/a..b/x', '/UPPER/x', '/ab', '/..']) {
      expect(keyRefusal(url)).toMatchObject({ status: 400, code: 'InvalidBucketName' });
    }
    expect(keyRefusal('/research-summarizer-dev-000000000000-us-east-1/input/a.txt')).toBeUndefined();
    expect(keyRefusal('/')).toBeUndefined();
  });
});

describe('the edge origin check', () => {
  it('lets SDK requests (no Origin) and the local pages through, and refuses pages of other sites', () => {
    for (const origin of [undefined, 'http://127.0.0.1:4566', 'http://localhost:4566']) expect(isForeignOrigin(origin)).toBe(false);
    for (const origin of ['https://attacker.example', 'http://attacker.example', 'null', 'https://127.0.0.1:4566', 'file://']) {
      expect(isForeignOrigin(origin)).toBe(true);
    }
  });
});

describe('the edge host check', () => {
  it('answers loopback names only', () => {
    for (const host of ['127.0.0.1:4566', 'localhost:4566', 'LOCALHOST', 'bucket.localhost:4566', '[::1]:4566', '127.1.2.3', undefined]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ['attacker.example', 'attacker.example:4566', '127.0.0.1.nip.io', 'localhost.attacker.example', '10.0.0.1:4566']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});

describe('terminal output of user input', () => {
  it('shows control characters and bidi overrides as escapes and leaves other text alone', () => {
    expect(printable('a\nb\r\u001b[31m\u0007\u009b\u202e\u2066c')).toBe('a\\u{a}b\\u{d}\\u{1b}[31m\\u{7}\\u{9b}\\u{202e}\\u{2066}c');
    expect(printable('Über 50 % — "naïve" 東京 🙂')).toBe('Über 50 % — "naïve" 東京 🙂');
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
      return [/(?<![.\w])exec(Sync)?\(|\bshell:\s*true|(?<![.\w])eval\(|new Function\(/g, /require\(['"]child_process['"]\)/g]
        .flatMap((pattern) => [...text.matchAll(pattern)].map((m) => `${file}: ${m[0]}`));
    });

    expect(found).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
  });
});
