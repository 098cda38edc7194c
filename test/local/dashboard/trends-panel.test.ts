import type { Browser, Page } from 'playwright-core';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { eventually } from '../../support/eventually';
import { startTestCloud, terminalRows, type TestCloud } from '../../support/local-cloud';
import { launchChromium } from '../../support/browser';

const SCREENSHOT = '/tmp/dashboard-trends.png';

const dayBefore = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

// Written for this test: steady topics on earlier days, heat pumps on the last; one title is markup.
const STEADY = [
  'Cover crops store more carbon in farm soils\n\nFarmers who plant rye between harvests raised the carbon stocks of their soils. Soil samples showed most of the extra carbon below the plough layer.',
  'Regional ports win container traffic\n\nShipping lines moved container traffic to regional ports after congestion at the big hubs. Port operators added cranes for the extra containers.',
  'Glacial lakes grow as glaciers retreat\n\nSatellite images show glacial lakes in mountain valleys have grown by a third. Villages below the glacial lakes installed sirens.',
];
const HEAT = (i: number) =>
  `${i === 0 ? '<img src=x onerror="window.__pwned = 1"> Heat pumps' : 'Heat pumps cut heating bills'}\n\nHouseholds that replaced gas boilers with heat pumps paid less for heating (${i}). Installers fitted heat pumps in older houses after adding insulation.`;

describe("the dashboard's Trends panel, in headless Chromium", () => {
  let cloud: TestCloud;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    cloud = await startTestCloud();
    const keys: string[] = [];
    const put = async (key: string, body: string, published: string) => {
      await cloud.s3.send(
        new PutObjectCommand({ Bucket: cloud.endpoints.bucket, Key: key, Body: body, ContentType: 'text/plain', Metadata: { published } }),
      );
      keys.push(key);
    };
    for (let d = 1; d <= 4; d++) for (const [i, text] of STEADY.entries()) await put(`input/panel/d${d}-${i}.txt`, text, dayBefore(d));
    for (let i = 0; i < 3; i++) await put(`input/panel/heat-${i}.txt`, HEAT(i), dayBefore(0));
    await put('input/panel/today-soil.txt', STEADY[0] as string, dayBefore(0));
    await terminalRows(cloud, keys, 120_000);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1400 } });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await cloud?.dispose();
  });

  it("charts articles per published day and shows the latest day's top and rising phrases", async () => {
    await page.goto(`${cloud.endpoints.edgeUrl}/_dashboard`);
    await eventually(async () => Number(await page.getAttribute('#trends', 'data-loads')) >= 1, {
      timeoutMs: 15_000,
      what: 'the Trends panel to load',
    });

    const bars = await page
      .locator('#trend-bars .trend-bar')
      .evaluateAll((nodes) => nodes.map((n) => [n.getAttribute('data-day'), Number(n.getAttribute('data-articles'))]));
    const rising = await page.locator('#trend-rising li').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-phrase')));
    const top = await page.locator('#trend-top li').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-phrase')));

    expect(bars).toHaveLength(14);
    expect(bars.slice(-5)).toEqual([4, 3, 2, 1, 0].map((d) => [dayBefore(d), d === 0 ? 4 : 3]));
    expect(await page.locator('#trend-period').textContent()).toBe(`${dayBefore(0)} · 4 article(s)`);
    expect(top[0]).toBe('heat pump');
    expect(rising[0]).toBe('heat pump');
  });

  it("lists a clicked phrase's articles with their summaries, user strings as text", async () => {
    await page.locator('#trend-rising li[data-phrase="heat pump"] button').click();

    const items = await eventually(
      async () => {
        const found = await page.locator('#trend-articles li').count();
        return found === 3 ? page.locator('#trend-articles li') : undefined;
      },
      { timeoutMs: 10_000, what: 'the three heat pump articles' },
    );
    const keys = await items.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-key')).sort());
    const summaries = await page.locator('#trend-articles .summary').allTextContents();
    const heads = await page.locator('#trend-articles .head strong').allTextContents();

    expect(keys).toEqual(['input/panel/heat-0.txt', 'input/panel/heat-1.txt', 'input/panel/heat-2.txt']);
    expect(summaries.every((s) => /heat pumps/i.test(s))).toBe(true);
    expect(heads).toContain('<img src=x onerror="window.__pwned = 1"> Heat pumps');
    expect(await page.locator('#trends img, #trends script').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();

    await page.locator('#trends').screenshot({ path: SCREENSHOT });
    expect(problems).toEqual([]);
  });

  it('answers a bad range with 400 and the reason', async () => {
    const res = await fetch(`${cloud.endpoints.edgeUrl}/_dashboard/trends.json?from=2026-13-01`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^from must be a date/);
  });
});
