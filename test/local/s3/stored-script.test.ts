import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Browser, Page, Request } from 'playwright-core';
import { launchChromium } from '../../support/browser';
import { startTestCloud, type TestCloud } from '../../support/local-cloud';

/**
 * Issue 20: an article is third-party text, and the edge serves it on the origin the dashboard and every
 * service answer on. Opened in a real browser (headless Chromium), an uploaded HTML article must not run
 * script that writes to S3 or lists the DynamoDB tables, however the browser gets there.
 */
const WRITTEN = 'other/written-by-a-page.txt';

/** An article that, if it ran, would write an object and list the tables from the edge's origin. */
const attack = (bucket: string) => `<!doctype html><title>An article</title>
<script>
  const date = new Date().toISOString().replace(/[-:]|\\.\\d+/g, '');
  const scope = (service) => 'AWS4-HMAC-SHA256 Credential=a/' + date.slice(0, 8) + '/us-east-1/' + service + '/aws4_request, SignedHeaders=host, Signature=0';
  const send = (method, path, headers, body) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path, false); // synchronous: done before the page's load event
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.send(body);
    return xhr.status;
  };
  const wrote = send('PUT', '/${bucket}/${WRITTEN}', { authorization: scope('s3'), 'x-amz-date': date, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, 'pwned');
  const listed = send('POST', '/', { authorization: scope('dynamodb'), 'x-amz-date': date, 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' }, '{}');
  document.title = 'ran: ' + wrote + ' ' + listed;
</script>
<p>The council approved the new budget on Tuesday.</p>`;

describe('an uploaded HTML article, opened in a browser', () => {
  let cloud: TestCloud;
  let browser: Browser;
  let page: Page;
  /** What the page asked for other than plain reads: the attack's writes and table listing. */
  let sent: Request[];
  beforeAll(async () => {
    cloud = await startTestCloud();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser.close();
    await cloud.dispose();
  });
  beforeEach(async () => {
    page = await browser.newPage();
    sent = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET') sent.push(request);
    });
  });
  afterEach(() => page.close());

  const objectUrl = (key: string) => `${cloud.endpoints.edgeUrl}/${cloud.endpoints.bucket}/${key}`;
  const upload = (key: string, contentType: string) =>
    cloud.s3.send(
      new PutObjectCommand({ Bucket: cloud.endpoints.bucket, Key: key, Body: attack(cloud.endpoints.bucket), ContentType: contentType }),
    );
  const written = () =>
    cloud.s3.send(new HeadObjectCommand({ Bucket: cloud.endpoints.bucket, Key: WRITTEN })).then(
      () => true,
      () => false,
    );

  it('runs none of its script when opened directly (as aws s3 cp uploads it: text/html)', async () => {
    await upload('other/article.html', 'text/html');

    const response = await page.goto(objectUrl('other/article.html'));

    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toBe('text/html');
    expect(sent.map((r) => `${r.method()} ${r.url()}`)).toEqual([]);
    expect(await written()).toBe(false);
  });

  it('runs none of its script when a plain-text article is asked for as HTML with a forged signature', async () => {
    await upload('other/article.txt', 'text/plain');

    const response = await page.goto(`${objectUrl('other/article.txt')}?X-Amz-Signature=anything&response-content-type=text/html`);

    expect(response?.status()).toBe(400);
    expect(sent.map((r) => `${r.method()} ${r.url()}`)).toEqual([]);
    expect(await written()).toBe(false);
  });

  it('is not served at all to a navigation started by a page of another site', async () => {
    // Prepare: a page on another site (localhost is not 127.0.0.1's site) that sends the browser to the article.
    await upload('other/linked.html', 'text/html');
    const target = objectUrl('other/linked.html');
    const elsewhere: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<script>location.href = ${JSON.stringify(target)};</script>`);
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      // Act
      const arrived = page.waitForResponse(target);
      await page.goto(`http://localhost:${(elsewhere.address() as AddressInfo).port}/`);
      const response = await arrived;
      await page.waitForLoadState('load');

      // Assess
      expect(response.status()).toBe(403);
      expect(await response.request().headerValue('sec-fetch-site')).toBe('cross-site');
      expect(sent.map((r) => `${r.method()} ${r.url()}`)).toEqual([]);
      expect(await written()).toBe(false);
    } finally {
      elsewhere.closeAllConnections();
      await new Promise((resolve) => elsewhere.close(resolve));
    }
  });
});
