import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CreateMultipartUploadCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { putArticle, startTestCloud, terminalRows, type TestCloud } from '../../support/local-cloud';
import { presignedQuery, raw as rawRequest, signedHeaders, type Reply as S3Reply } from '../s3/s3-edge';

/**
 * The hostile-input script of issue 11: malformed URLs, headers and bodies, traversal through every
 * S3 input, and cross-origin requests, sent at a running local cloud, which must still answer, have
 * written nothing outside its state folder, and complete a new article.
 */
const ARTICLE = 'The council approved the new budget on Tuesday after a long debate. Schools and parks get more money next year.';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('a running local cloud under hostile requests', () => {
  let cloud: TestCloud;
  let port: string;
  /** A folder next to the state folder, where a traversal would land; it must stay as it is. */
  let outside: string;
  const canary = () => readdirSync(outside).sort();

  beforeAll(async () => {
    // A state folder others can read, as an older local cloud left it: start-up makes it private.
    const stateDir = mkdtempSync(join(tmpdir(), 'rs-cloud-'));
    chmodSync(stateDir, 0o755);
    cloud = await startTestCloud({ stateDir });
    port = new URL(cloud.endpoints.edgeUrl).port;
    outside = mkdtempSync(join(tmpdir(), 'rs-outside-'));
    writeFileSync(join(outside, 'canary.txt'), 'still here');
    // What a completed multipart upload folder holds, so a traversal to it would be acted on.
    writeFileSync(join(outside, 'key'), 'input/stolen.txt');
    writeFileSync(join(outside, 'metadata'), '{}');
  }, 60_000);
  afterAll(async () => {
    await cloud.dispose();
    rmSync(outside, { recursive: true, force: true });
  });

  /** Climbs from s3rver's uploads folder (<state>/s3/<bucket>/._S3rver_uploads) to the temp folder. */
  const toOutside = (rest = '') => `../../../../${basename(outside)}${rest}`;

  const raw = (method: string, path: string, headers: Record<string, string> = {}, body: string | Buffer = '') =>
    new Promise<Reply>((done, fail) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', fail);
      req.end(body);
    });

  /** Bytes no HTTP client library would send: the status line of the answer, or '' if the socket closed. */
  const rawBytes = (bytes: string) =>
    new Promise<string>((done, fail) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      socket.on('close', () => done(text.split('\r\n')[0] ?? ''));
      socket.on('error', fail);
    });

  const bucket = () => cloud.endpoints.bucket;
  const health = async () => (await raw('GET', '/_localcloud/health')).status;

  it('answers malformed URLs with 400 and keeps serving', async () => {
    const urls = [
      '/x/%E0%A4%A',
      '/%',
      `/${'%'}E0?X-Amz-Credential=%E0%A4`,
      '/_localcloud/%',
      `/${bucket()}/input/%E0%A4%A`,
      '/endpoints/%/async-invocations',
    ];

    const statuses = [];
    for (const url of urls) statuses.push((await raw('GET', url)).status);

    expect(statuses.every((s) => s >= 400 && s < 500)).toBe(true);
    expect(statuses[0]).toBe(400);
    expect(await health()).toBe(200);
  });

  it('answers malformed headers and request lines, and keeps serving', async () => {
    const lines = await Promise.all([
      rawBytes('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n'),
      rawBytes('GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Credential=%/%/%/s3/aws4_request\r\n\r\n'),
      rawBytes('NOT-A-METHOD / HTTP/1.1\r\n\r\n'),
      rawBytes(`PUT /${bucket()}/input/x.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`),
      rawBytes('\u0000\u0001\u0002\r\n\r\n'),
    ]);

    for (const line of lines) expect(line === '' || /^HTTP\/1\.1 4\d\d/.test(line)).toBe(true);
    expect(await health()).toBe(200);
  });

  it('answers malformed bodies for every service with 4xx, never 5xx', async () => {
    const signed = (service: string) => ({
      authorization: `AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    });
    const replies = await Promise.all([
      raw(
        'PUT',
        `/${bucket()}/input/chunked.txt`,
        { ...signedHeaders(), 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' },
        'zz-not-hex\r\nabc\r\n',
      ),
      raw('PUT', `/${bucket()}/input/chunked-long.txt`, { ...signedHeaders(), 'content-encoding': 'aws-chunked' }, 'f'.repeat(100_000)),
      raw(
        'POST',
        '/',
        { 'x-amz-target': 'DynamoDB_20120810.PutItem', 'content-type': 'application/x-amz-json-1.0', ...signed('dynamodb') },
        '{not json',
      ),
      raw(
        'POST',
        `/endpoints/${cloud.endpoints.endpointName}/async-invocations`,
        { ...signed('sagemaker'), 'x-amzn-sagemaker-inputlocation': 's3://%E0%A4%A/../\u00ff' },
        '<',
      ),
      raw('POST', `/endpoints/${cloud.endpoints.endpointName}/async-invocations?X-Amz-Credential=%E0%A4%A`, {
        'x-amzn-sagemaker-inputlocation': 'not-an-s3-uri',
      }),
      raw('PUT', '/_localcloud/faults', { 'content-type': 'application/json' }, '{"s3": "lots"'),
      raw('POST', `/${bucket()}?delete`, { 'content-type': 'application/xml', ...signed('s3') }, '<Delete><Object><Key>'),
    ]);

    expect(replies.map((r) => r.status).filter((s) => s < 400 || s >= 500)).toEqual([]);
    expect(await health()).toBe(200);
  });

  it('refuses multipart upload ids and part numbers that are not ones S3 issues, and writes nothing outside', async () => {
    const key = 'input/parts.txt';
    const { UploadId } = await cloud.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket(), Key: key }));
    const attempts = [
      ['PUT', `?partNumber=1&uploadId=${encodeURIComponent(toOutside('/victim'))}`],
      ['PUT', `?partNumber=1&uploadId=${toOutside('/victim')}`],
      ['PUT', `?partNumber=..%2F..%2F..%2F..%2F${basename(outside)}%2Fpart&uploadId=${UploadId}`],
      ['PUT', `?partNumber=0&uploadId=${UploadId}`],
      ['PUT', `?partNumber=10001&uploadId=${UploadId}`],
      ['PUT', `?partNumber=1&partNumber=2&uploadId=${UploadId}`],
      ['POST', `?uploadId=${encodeURIComponent(toOutside())}`],
    ] as const;

    const replies = [];
    for (const [method, query] of attempts) {
      const body =
        method === 'POST'
          ? '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>'
          : ARTICLE;
      replies.push(await raw(method, `/${bucket()}/${key}${query}`, { 'content-type': 'text/plain' }, body));
    }

    expect(replies.map((r) => r.status)).toEqual([404, 404, 400, 400, 400, 400, 404]);
    expect(replies[0]?.body).toContain('<Code>NoSuchUpload</Code>');
    expect(replies[2]?.body).toContain('<Code>InvalidArgument</Code>');
    expect(canary()).toEqual(['canary.txt', 'key', 'metadata']);
  });

  it('refuses browser form uploads (POST Object), even from a local page, and writes nothing outside', async () => {
    const boundary = 'xYzZy';
    const form = (key: string) =>
      [
        `--${boundary}`,
        'Content-Disposition: form-data; name="key"',
        '',
        key,
        `--${boundary}`,
        'Content-Disposition: form-data; name="file"; filename="a.txt"',
        'Content-Type: text/plain',
        '',
        ARTICLE,
        `--${boundary}--`,
        '',
      ].join('\r\n');
    const headers = { origin: 'http://localhost:3000', 'content-type': `multipart/form-data; boundary=${boundary}` };

    const traversal = await raw('POST', `/${bucket()}`, headers, form(`../../${basename(outside)}/form.txt`));
    const truncated = await raw('POST', `/${bucket()}`, headers, `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n`);
    const malformed = await raw('POST', `/${bucket()}`, { 'content-type': 'multipart/form-data; boundary=' }, '--\r\n\r\n\u0000');

    expect([traversal.status, truncated.status, malformed.status]).toEqual([405, 405, 405]);
    expect(traversal.body).toContain('<Code>MethodNotAllowed</Code>');
    expect(canary()).toEqual(['canary.txt', 'key', 'metadata']);
    expect(existsSync(join(cloud.stateDir, 'form.txt'))).toBe(false);
    expect(await health()).toBe(200);
  });

  it("refuses XML bodies s3rver's old XML parser should not see, and still deletes objects with DeleteObjects", async () => {
    const signed = {
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
      'content-type': 'application/xml',
    };
    await putArticle(cloud, 'input/xml/a.txt', ARTICLE);
    const bodies = [
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><Delete><Object><Key>input/xml/a.txt</Key></Object></Delete>',
      '<Delete><__proto__><polluted>yes</polluted></__proto__><Object><Key>input/xml/a.txt</Key></Object></Delete>',
      '<Delete><Object constructor="x"><Key>input/xml/a.txt</Key></Object></Delete>',
      `<Delete>${'<Object><Key>k</Key></Object>'.repeat(200_000)}</Delete>`,
    ];

    const replies = [];
    // With the Content-MD5 DeleteObjects requires, so each body would reach s3rver's XML parser.
    for (const body of bodies)
      replies.push(
        await raw('POST', `/${bucket()}?delete`, { ...signed, 'content-md5': createHash('md5').update(body).digest('base64') }, body),
      );

    expect(replies.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(replies.map((r) => /<Code>(\w+)<\/Code>/.exec(r.body)?.[1])).toEqual([
      'MalformedXML',
      'MalformedXML',
      'MalformedXML',
      'MaxMessageLengthExceeded',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const { Deleted } = await cloud.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket(), Delete: { Objects: [{ Key: 'input/xml/a.txt' }] } }),
    );
    expect(Deleted?.map((d) => d.Key)).toEqual(['input/xml/a.txt']);
    expect(await health()).toBe(200);
  });

  it('answers only exact loopback host names: no virtual-host buckets from the Host header', async () => {
    const hosts = [`${bucket()}.localhost:${port}`, `/../../${basename(outside)}/.localhost:${port}`, `127.0.0.2:${port}`];

    const replies = await Promise.all(hosts.map((host) => raw('PUT', '/input/vhost.txt', { host, 'content-type': 'text/plain' }, ARTICLE)));

    expect(replies.map((r) => r.status)).toEqual([403, 403, 403]);
    expect(canary()).toEqual(['canary.txt', 'key', 'metadata']);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`])
      expect((await raw('GET', '/_localcloud/health', { host })).status).toBe(200);
  });

  it('sends no wildcard CORS header from any service, and refuses preflights from other sites', async () => {
    const fromPage = { origin: `http://localhost:${port}` };
    const signed = {
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'x-amz-date': '20261201T000000Z',
    };
    const replies = await Promise.all([
      raw(
        'POST',
        '/',
        { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0', ...signed, ...fromPage },
        '{}',
      ),
      raw('GET', `/${bucket()}?list-type=2`, fromPage),
      raw('GET', '/_localcloud/status', fromPage),
    ]);
    const preflight = await raw('OPTIONS', '/', { origin: 'https://attacker.example', 'access-control-request-method': 'POST' });

    expect(replies.map((r) => r.headers['access-control-allow-origin'])).toEqual([undefined, undefined, undefined]);
    expect(replies[0]?.body).toContain('TableNames');
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('runs DynamoDB on no TCP port of its own: only the edge reaches the ledger', () => {
    // Listening TCP sockets (state 0A) of this process's children, from /proc (Linux).
    const listening = new Set(
      ['/proc/net/tcp', '/proc/net/tcp6']
        .flatMap((f) => readFileSync(f, 'utf-8').split('\n').slice(1))
        .map((l) => l.trim().split(/\s+/))
        .filter((cols) => cols[3] === '0A')
        .map((cols) => cols[9]),
    );
    const children = readdirSync(`/proc/${process.pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf-8').trim().split(/\s+/).filter(Boolean),
    );
    const dynalite = children.filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf-8').includes('dynalite'));
    const sockets = (pid: string) =>
      readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
        try {
          return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]].filter(Boolean);
        } catch {
          return []; // closed meanwhile
        }
      });

    expect(dynalite).toHaveLength(1);
    expect(sockets(dynalite[0] ?? '').filter((inode) => listening.has(inode))).toEqual([]);
  });

  it('answers 500 InternalError when an object cannot be stored, and keeps serving', async () => {
    // The object's file cannot be replaced: its path is a folder (as the key `full/disk.txt._S3rver_object/x`
    // would make it). A full disk fails the write the same way (ENOSPC: test/local/s3/store-guard.test.ts).
    mkdirSync(join(cloud.stateDir, 's3', bucket(), 'full', 'disk.txt._S3rver_object', 'occupied'), { recursive: true });

    const reply = await raw('PUT', `/${bucket()}/full/disk.txt`, { ...signedHeaders(), 'content-type': 'text/plain' }, ARTICLE);

    expect(reply.status).toBe(500);
    expect(reply.body).toContain('<Code>InternalError</Code>');
    expect(await health()).toBe(200);
  });

  it('keeps its state folder private (mode 0700)', () => {
    expect(statSync(cloud.stateDir).mode & 0o777).toBe(0o700);
  });

  it('still answers, wrote nothing outside its state folder, and completes a new article', async () => {
    const key = 'input/after-the-barrage.txt';

    await putArticle(cloud, key, ARTICLE);
    const rows = await terminalRows(cloud, [key]);

    expect(rows.get(key)?.state).toBe('COMPLETED');
    const stored = await cloud.s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    expect(await stored.Body?.transformToString()).toBe(ARTICLE);
    expect(canary()).toEqual(['canary.txt', 'key', 'metadata']);
    expect(readFileSync(join(outside, 'canary.txt'), 'utf-8')).toBe('still here');
  });
});

/**
 * Issue 20, S3: a web page must not turn an article into a page that runs on the edge's origin, and a
 * copy source must not climb out of the store.
 */
describe('S3 on a running local cloud, against web pages and hostile copy sources', () => {
  let cloud: TestCloud;
  let port: number;
  beforeAll(async () => {
    cloud = await startTestCloud();
    port = Number(new URL(cloud.endpoints.edgeUrl).port);
  }, 60_000);
  afterAll(() => cloud.dispose());

  const bucket = () => cloud.endpoints.bucket;
  const PAGE = '<html><body><script>document.title = "ran"</script>An article.</body></html>';
  const inert = (reply: S3Reply) => [reply.headers['x-content-type-options'], reply.headers['content-security-policy']];
  const codeOf = (reply: S3Reply) => /<Code>(\w+)<\/Code>/.exec(reply.body)?.[1];

  it('serves every object and every S3 error inert: nosniff and a sandboxing Content-Security-Policy', async () => {
    await putArticle(cloud, 'other/page.html', PAGE, 'text/html');

    const replies = await Promise.all([
      rawRequest(port, 'GET', `/${bucket()}/other/page.html`),
      rawRequest(port, 'HEAD', `/${bucket()}/other/page.html`),
      rawRequest(port, 'GET', `/${bucket()}/other/page.html`, { range: 'bytes=0-5' }),
      rawRequest(port, 'GET', `/${bucket()}/other/missing.html`),
      rawRequest(port, 'GET', `/${bucket()}?list-type=2&prefix=other/`),
      rawRequest(port, 'GET', `/${bucket()}/other/${'..%2F'.repeat(3)}x`),
    ]);

    expect(replies.map((r) => r.status)).toEqual([200, 200, 206, 404, 200, 400]);
    expect(replies[0]?.headers['content-type']).toBe('text/html');
    for (const reply of replies) expect(inert(reply)).toEqual(['nosniff', "sandbox; default-src 'none'"]);
  });

  it('refuses response-* overrides on an unsigned or presigned request, and honours them on a signed one', async () => {
    await putArticle(cloud, 'other/plain.txt', PAGE, 'text/plain');
    const override = 'response-content-type=text%2Fhtml';

    const forged = await rawRequest(port, 'GET', `/${bucket()}/other/plain.txt?X-Amz-Signature=anything&${override}`);
    const presigned = await rawRequest(port, 'GET', `/${bucket()}/other/plain.txt?${presignedQuery()}&${override}`);
    const signed = await cloud.s3.send(new GetObjectCommand({ Bucket: bucket(), Key: 'other/plain.txt', ResponseContentType: 'text/csv' }));

    expect([forged.status, presigned.status]).toEqual([400, 400]);
    expect([codeOf(forged), codeOf(presigned)]).toEqual(['InvalidRequest', 'InvalidRequest']);
    expect(forged.headers['content-type']).toBe('application/xml');
    expect(signed.ContentType).toBe('text/csv');
  });

  it('refuses S3 requests a page of another site makes the browser send (Sec-Fetch-Site: cross-site)', async () => {
    const fetched = (site: string) =>
      rawRequest(port, 'GET', `/${bucket()}/other/page.html`, {
        'sec-fetch-site': site,
        'sec-fetch-mode': 'navigate',
        'sec-fetch-dest': 'document',
      });

    const replies = await Promise.all(['cross-site', 'same-site', 'same-origin', 'none'].map(fetched));

    expect(replies.map((r) => r.status)).toEqual([403, 200, 200, 200]);
    expect(codeOf(replies[0]!)).toBe('AccessDenied');
  });

  it('refuses unsigned requests that change S3, and takes signed and presigned ones', async () => {
    await putArticle(cloud, 'other/kept.txt', 'kept');
    const exists = (Key: string) =>
      cloud.s3.send(new HeadObjectCommand({ Bucket: bucket(), Key })).then(
        () => true,
        () => false,
      );

    const unsigned = await Promise.all([
      rawRequest(port, 'PUT', `/${bucket()}/other/unsigned.txt`, { 'content-type': 'text/plain' }, 'written'),
      rawRequest(port, 'DELETE', `/${bucket()}/other/kept.txt`),
      rawRequest(port, 'POST', `/${bucket()}/other/unsigned.txt?uploads`),
      rawRequest(port, 'PUT', `/${bucket()}/other/unsigned.txt?X-Amz-Signature=0`, { 'content-type': 'text/plain' }, 'written'),
    ]);
    const signed = await rawRequest(
      port,
      'PUT',
      `/${bucket()}/other/signed.txt`,
      { ...signedHeaders(), 'content-type': 'text/plain' },
      'signed',
    );
    const presigned = await rawRequest(
      port,
      'PUT',
      `/${bucket()}/other/presigned.txt?${presignedQuery()}`,
      { 'content-type': 'text/plain' },
      'p',
    );

    expect(unsigned.map((r) => [r.status, codeOf(r)])).toEqual(Array(4).fill([403, 'AccessDenied']));
    expect([signed.status, presigned.status]).toEqual([200, 200]);
    expect(await Promise.all(['other/unsigned.txt', 'other/kept.txt', 'other/signed.txt', 'other/presigned.txt'].map(exists))).toEqual([
      false,
      true,
      true,
      true,
    ]);
  });

  it('answers 400 to a copy source that climbs out of the store, however it is encoded, and keeps serving', async () => {
    await putArticle(cloud, 'other/source.txt', 'source');
    const sources = [
      '../../../../etc/hostname',
      `${bucket()}/../../../etc/hostname`,
      `/${bucket()}/other/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/hostname`,
      '%2E%2E%2F%2E%2E%2Fetc%2Fhostname',
      `${bucket()}%2F..%2F..%2Fetc%2Fhostname`,
      `${bucket()}/other/%E0%A4%A`,
      '/',
      `${bucket()}//source.txt`,
    ];
    const copy = (headers: Record<string, string>, query = '') =>
      rawRequest(port, 'PUT', `/${bucket()}/other/copy.txt${query}`, { ...signedHeaders(), ...headers });

    const replies = await Promise.all(sources.map((source) => copy({ 'x-amz-copy-source': source })));
    const fromQuery = await copy({}, `?x-amz-copy-source=${encodeURIComponent('../../etc/hostname')}`);
    const doubleEncoded = await copy({ 'x-amz-copy-source': `${bucket()}/..%252F..%252Fetc%252Fhostname` });
    const fine = await copy({ 'x-amz-copy-source': `${bucket()}/other%2Fsource.txt` });

    expect(replies.map((r) => [r.status, codeOf(r)])).toEqual(Array(sources.length).fill([400, 'InvalidArgument']));
    expect([fromQuery.status, codeOf(fromQuery)]).toEqual([400, 'InvalidArgument']);
    // A key that only names `%2F` literally is a key like any other, and does not exist.
    expect([doubleEncoded.status, codeOf(doubleEncoded)]).toEqual([404, 'NoSuchKey']);
    // S3 decodes the copy source: `other%2Fsource.txt` is the key `other/source.txt`.
    expect(fine.status).toBe(200);
    const copied = await cloud.s3.send(new GetObjectCommand({ Bucket: bucket(), Key: 'other/copy.txt' }));
    expect(await copied.Body?.transformToString()).toBe('source');
    expect((await rawRequest(port, 'GET', '/_localcloud/health')).status).toBe(200);
  });
});

describe('a running local cloud under requests that would end or bloat a process (issue 20)', () => {
  let cloud: TestCloud;
  let port: number;
  beforeAll(async () => {
    cloud = await startTestCloud();
    port = Number(new URL(cloud.endpoints.edgeUrl).port);
  }, 60_000);
  afterAll(async () => cloud.dispose());

  const dynamoHeaders = (operation: string) => ({
    'x-amz-target': `DynamoDB_20120810.${operation}`,
    'content-type': 'application/x-amz-json-1.0',
    authorization: 'AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    'x-amz-date': '20261201T000000Z',
  });
  /** One request on its own connection: the status and body of the answer. */
  const send = (method: string, path: string, headers: Record<string, string>, body: string) =>
    new Promise<{ status: number; body: string }>((done, fail) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', fail);
      req.end(body);
    });
  const dynamodb = () => cloud.processes().find((p) => p.name === 'DynamoDB (dynalite)');
  const nestedList = (levels: number) => `${'{"L":['.repeat(levels - 1)}{"S":"leaf"}${']}'.repeat(levels - 1)}`;
  const putItem = (value: string) =>
    `{"TableName":"${cloud.endpoints.table}","Item":{"articleId":{"S":"nested-${value.length}"},"doc":${value}}}`;

  it('refuses a PutItem nested 100,000 levels deep with a ValidationException, and DynamoDB keeps running', async () => {
    const before = dynamodb();

    const deep = await send('POST', '/', dynamoHeaders('PutItem'), putItem(nestedList(100_000)));
    const over = await send('POST', '/', dynamoHeaders('PutItem'), putItem(nestedList(33)));
    const atLimit = await send('POST', '/', dynamoHeaders('PutItem'), putItem(nestedList(32)));

    expect([deep.status, over.status, atLimit.status]).toEqual([400, 400, 200]);
    expect(JSON.parse(deep.body)).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#ValidationException',
      message: 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    });
    expect(dynamodb()).toMatchObject({ state: 'running', pid: before?.pid, restarts: 0 });
  });

  it('keeps answering DynamoDB after 300 clients went away mid-body, more than the edge keeps connections to it', async () => {
    for (let i = 0; i < 300; i++) {
      await new Promise<void>((resolve) => {
        const req = request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/',
          agent: false,
          headers: { ...dynamoHeaders('PutItem'), 'content-length': '1000' },
        });
        req.on('error', () => undefined);
        req.write('{"TableName":', () => {
          req.destroy();
          resolve();
        });
      });
    }

    const listed = await send('POST', '/', dynamoHeaders('ListTables'), '{}');

    expect(listed.status).toBe(200);
    expect(JSON.parse(listed.body)).toEqual({ TableNames: [cloud.endpoints.table] });
    expect(dynamodb()).toMatchObject({ state: 'running', restarts: 0 });
  }, 60_000);

  it('refuses a fault-settings body over its cap with 413 and a clear message, reading no more than the cap', async () => {
    // A declared length over the cap: refused before a byte is read.
    const declared = await rawReply(
      port,
      'PUT /_localcloud/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1610612736\r\n\r\n{"s3":',
    );
    // A chunked body that never ends on its own: the edge must answer while it is still arriving.
    const streamed = await streamUntilAnswered(
      port,
      'PUT /_localcloud/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const fine = await send('PUT', '/_localcloud/faults', { 'content-type': 'application/json' }, '{"s3":0,"dynamodb":0}');

    expect(declared.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(declared.body).toContain('fault settings are at most 16384 bytes of JSON');
    expect(streamed.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    // Answered while the body was still arriving: what was sent meanwhile is the cap, the 1 MiB the
    // edge drops before closing, and the sockets' buffers (a few MiB on loopback), not the 64 MiB.
    expect(streamed.bytesSent).toBeLessThan(16 * 1024 * 1024);
    expect(fine.status).toBe(200);
  });

  it('reports the supervised processes in /_localcloud/status', async () => {
    const status = JSON.parse((await send('GET', '/_localcloud/status', {}, '')).body) as {
      processes: Array<{ name: string; state: string }>;
    };

    expect(status.processes.map((p) => [p.name, p.state])).toEqual([
      ['DynamoDB (dynalite)', 'running'],
      ['model servers', 'running'],
    ]);
  });
});

/** Sends raw bytes and reads the answer (to its Content-Length, or until the edge closes): status line and body. */
const rawReply = (port: number, bytes: string) =>
  new Promise<{ statusLine: string; body: string }>((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    const answer = () => done({ statusLine: text.split('\r\n')[0] ?? '', body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      const length = Number(/\r\ncontent-length: (\d+)\r\n/i.exec(text)?.[1] ?? NaN);
      if (text.includes('\r\n\r\n') && text.length - text.indexOf('\r\n\r\n') - 4 >= length) {
        socket.destroy();
        answer();
      }
    });
    socket.on('close', answer);
    socket.on('error', (error) => (text ? answer() : fail(error)));
  });

/**
 * Sends a request head, then 64 KiB chunks until an answer arrives or 64 MiB have gone (then the
 * last chunk): the status line, and how many body bytes were sent before the answer.
 */
const streamUntilAnswered = (port: number, head: string) =>
  new Promise<{ statusLine: string; bytesSent: number }>((done, fail) => {
    const chunk = `10000\r\n${'x'.repeat(0x10000)}\r\n`;
    let bytesSent = 0;
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      const more = (): void => {
        if (answer) return;
        if (bytesSent >= 64 * 1024 * 1024) {
          socket.write('0\r\n\r\n');
          return;
        }
        bytesSent += 0x10000;
        if (socket.write(chunk)) setImmediate(more);
        else socket.once('drain', more);
      };
      more();
    });
    socket.on('data', (c: Buffer) => {
      answer += c.toString('latin1');
      if (answer.includes('\r\n\r\n')) socket.end(); // answered: stop, whether or not the edge closes
    });
    socket.on('close', () => done({ statusLine: answer.split('\r\n')[0] ?? '', bytesSent }));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (answer) done({ statusLine: answer.split('\r\n')[0] ?? '', bytesSent });
      else fail(error);
    });
  });
