import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { printable } from '../../cli/printable';
import { isForeignOrigin, isLoopbackHost } from '../../local/edge/router';
import { EventEmitter } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsChunkedDecoder, decodedS3Request, MAX_LINE_BYTES } from '../../local/s3/aws-chunked';
import { number, port, timeScale } from '../../cli/options';
import { keepServingOnUncaughtErrors } from '../../local/start';
import { formUploadRefusal, keyRefusal, queryRefusal } from '../../local/s3/key-guard';
import { carriesXml, xmlBodyRefusal } from '../../local/s3/xml-guard';
import { insideRoot, PathOutsideStoreError, writeWithMd5 } from '../../local/s3/store-guard';

const root = join(__dirname, '..', '..');

describe('keys the local S3 store refuses', () => {
  it('refuses ".." and "." segments however they are escaped, before s3rver decodes them', () => {
    for (const url of [
      '/bkt/input/../../etc/x',
      '/bkt/input/%2E%2E/%2e%2e/x',
      '/bkt/input%2F..%2F..%2Fx',
      '/bkt/input/./x?x-id=PutObject',
    ]) {
      expect(keyRefusal(url)).toMatchObject({ status: 400, code: 'InvalidArgument' });
    }
  });

  it("refuses empty segments, NUL and segments over 200 bytes, and keys over S3's 1,024 bytes", () => {
    expect(keyRefusal('/bkt/input//x')?.message).toContain('an empty segment (//)');
    expect(keyRefusal('/bkt/input/a%00b')?.message).toContain('a NUL character');
    expect(keyRefusal(`/bkt/input/${'%C3%A9'.repeat(101)}`)?.message).toContain('a segment of 202 bytes');
    expect(keyRefusal(`/bkt/${'a/'.repeat(512)}x`)).toMatchObject({ code: 'KeyTooLongError' });
  });

  it('lets ordinary odd keys, folder markers and bucket requests through', () => {
    for (const url of [
      '/bkt',
      '/bkt/',
      '/bkt?list-type=2&prefix=input/',
      '/bkt/input/',
      '/bkt/input/Q3%20report%20%2B%20notes%20%C3%BC%25.txt',
      '/bkt/input/...txt',
      '/bkt/input/a%zz',
    ]) {
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
    for (const host of ['127.0.0.1:4566', 'localhost:4566', 'LOCALHOST', '[::1]:4566', undefined]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    // Not even other loopback names: s3rver would take them for virtual-host bucket names.
    for (const host of [
      'attacker.example',
      'attacker.example:4566',
      '127.0.0.1.nip.io',
      'localhost.attacker.example',
      '10.0.0.1:4566',
      'bucket.localhost:4566',
      '/../../tmp/.localhost',
      '127.1.2.3',
    ]) {
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
      return [/(?<![.\w])exec(Sync)?\(|\bshell:\s*true|(?<![.\w])eval\(|new Function\(/g, /require\(['"]child_process['"]\)/g].flatMap(
        (pattern) => [...text.matchAll(pattern)].map((m) => `${file}: ${m[0]}`),
      );
    });

    expect(found).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
  });
});

describe('multipart query parameters the local S3 store refuses', () => {
  const id = '0123456789abcdef0123456789abcdef';

  it('refuses upload ids s3rver did not issue and part numbers outside 1-10000', () => {
    for (const query of ['uploadId=../../x', `uploadId=${id}/..`, 'uploadId=', `uploadId=${id}&uploadId=${id}`, 'uploadId=%2E%2E%2Fx']) {
      expect(queryRefusal(`/bkt/k?partNumber=1&${query}`)).toMatchObject({ status: 404, code: 'NoSuchUpload' });
    }
    for (const part of ['0', '10001', '-1', '1.5', '01', '../1', '1e3', '']) {
      expect(queryRefusal(`/bkt/k?partNumber=${encodeURIComponent(part)}&uploadId=${id}`)).toMatchObject({
        status: 400,
        code: 'InvalidArgument',
      });
    }
  });

  it('lets the uploads an SDK makes through', () => {
    for (const url of [
      `/bkt/k?uploads`,
      `/bkt/k?partNumber=1&uploadId=${id}`,
      `/bkt/k?partNumber=10000&uploadId=${id}`,
      `/bkt/k?uploadId=${id}`,
      '/bkt/k',
      '/bkt?list-type=2',
    ]) {
      expect(queryRefusal(url)).toBeUndefined();
    }
  });
});

describe('browser form uploads', () => {
  it('refuses a POST to a bucket unless it is DeleteObjects', () => {
    for (const url of ['/bkt', '/bkt/', '/bkt?x=1'])
      expect(formUploadRefusal('POST', url)).toMatchObject({ status: 405, code: 'MethodNotAllowed' });
    for (const [method, url] of [
      ['POST', '/bkt?delete'],
      ['POST', '/bkt?delete='],
      ['POST', '/bkt/k?uploads'],
      ['PUT', '/bkt'],
      ['GET', '/bkt'],
    ]) {
      expect(formUploadRefusal(method, url ?? '')).toBeUndefined();
    }
  });
});

describe("the S3 store's last check", () => {
  it('accepts paths inside its folder only', () => {
    expect(insideRoot('/state/s3', '/state/s3/bkt/k._S3rver_object')).toBe('/state/s3/bkt/k._S3rver_object');
    for (const path of ['/state/s3', '/state/s3/../x', '/state/s3-other/x', '/etc/passwd', 'relative/x']) {
      expect(() => insideRoot('/state/s3', path)).toThrow(PathOutsideStoreError);
    }
  });

  it('rejects a write that fails (a full disk) instead of leaving the error unhandled', async () => {
    const full = () =>
      new PassThrough({
        write(_chunk, _encoding, done) {
          done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
        },
      });

    await expect(writeWithMd5('/unused', Readable.from([Buffer.from('abc')]), full)).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(writeWithMd5('/unused', Buffer.from('abc'), full)).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});

describe('the aws-chunked decoder', () => {
  it('refuses a size line longer than any aws-chunked frame, without buffering it all', async () => {
    const decoder = new AwsChunkedDecoder();

    const decoding = pipeline(
      Readable.from([Buffer.alloc(MAX_LINE_BYTES, 'f'), Buffer.alloc(MAX_LINE_BYTES, 'f')]),
      decoder,
      new PassThrough().resume(),
    );

    await expect(decoding).rejects.toThrow(`a line longer than ${MAX_LINE_BYTES} bytes`);
  });

  it('releases the decoded body when the client goes away mid-upload', () => {
    const req = Object.assign(new PassThrough(), {
      headers: { 'content-encoding': 'aws-chunked' },
      complete: false,
      socket: undefined,
      setTimeout: () => undefined,
    });
    const res = { headersSent: false, writeHead: jest.fn(), end: jest.fn() };
    const body = decodedS3Request(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    req.write('5\r\nhel');

    req.emit('close');

    expect(body.destroyed).toBe(true);
    expect(res.writeHead).not.toHaveBeenCalled();
  });
});

describe("the command line's numbers", () => {
  it('refuses a time scale of 0, negative or absurd, and nonsense ports and numbers, naming the option', () => {
    for (const value of ['0', '-1', '3601'])
      expect(() => timeScale(value, 10)).toThrow(/^--time-scale is simulated seconds per real second, more than 0/);
    for (const value of ['fast', '', '1e999']) expect(() => timeScale(value, 10)).toThrow(/^--time-scale must be a number/);
    for (const value of ['65536', '-1', '4566.5']) expect(() => port(value, 4566)).toThrow(/^--port must be a whole number/);
    expect(() => port('http', 4566)).toThrow('--port must be a number; got "http"');
    expect(() => number('NaN', 'ttl', 1)).toThrow('--ttl must be a number; got "NaN"');
    expect(() => number(' ', 'ttl', 1)).toThrow('--ttl must be a number');
  });

  it('takes sensible values and defaults', () => {
    expect([
      timeScale(undefined, 10),
      timeScale('600', 10),
      timeScale('0.5', 10),
      port('0', 4566),
      port(undefined, 4566),
      number('0', 'grace', 300),
    ]).toEqual([10, 600, 0.5, 0, 4566, 0]);
  });
});

describe("the local cloud's last-resort handler", () => {
  it('logs an uncaught exception or rejection and lets the process keep serving', () => {
    const proc = new EventEmitter();
    const logged: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      keepServingOnUncaughtErrors(proc as unknown as NodeJS.Process, (message, fields) =>
        logged.push(`${message} ${String(fields?.error).split('\n')[0]}`),
      );

      proc.emit('uncaughtException', new URIError('URI malformed'));
      proc.emit('unhandledRejection', 'a reason');

      expect(logged).toEqual([
        'uncaught exception: the local cloud keeps serving URIError: URI malformed',
        'unhandled rejection: the local cloud keeps serving a reason',
      ]);
      expect(stderr).toHaveBeenCalledTimes(2);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('XML bodies the edge reads before s3rver', () => {
  it('reads the bodies of XML operations only, never an object upload', () => {
    for (const [method, url] of [
      ['POST', '/b?delete'],
      ['POST', '/b/k?uploadId=x'],
      ['PUT', '/b?cors'],
      ['PUT', '/b/k?tagging'],
    ])
      expect(carriesXml(method, url ?? '')).toBe(true);
    for (const [method, url] of [
      ['PUT', '/b/k?x-id=PutObject'],
      ['PUT', '/b/k?partNumber=1&uploadId=x'],
      ['POST', '/b/k?uploads'],
      ['GET', '/b?cors'],
      ['PUT', '/b/k'],
    ]) {
      expect(carriesXml(method, url ?? '')).toBe(false);
    }
  });

  it("refuses DOCTYPE and ENTITY declarations and prototype names, and lets S3's documents through", () => {
    for (const body of ['<!DOCTYPE x>', '<! ENTITY a "b">', '<__proto__>', '</constructor>', '<prototype/>', '<Part prototype="1">'])
      expect(xmlBodyRefusal(body)).toBeDefined();
    expect(
      xmlBodyRefusal(
        '<?xml version="1.0"?><CompleteMultipartUpload><Part><ETag>"abc"</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>',
      ),
    ).toBeUndefined();
    expect(xmlBodyRefusal('<Delete><Object><Key>input/constructor-notes.txt</Key></Object></Delete>')).toBeUndefined();
  });
});
