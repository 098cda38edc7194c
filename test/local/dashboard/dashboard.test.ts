import type { Browser, Page } from 'playwright-core';
import { eventually } from '../../support/eventually';
import { putArticle, startTestCloud, type TestCloud } from '../../support/local-cloud';
import { launchChromium } from '../../support/browser';

const SCREENSHOT = '/tmp/dashboard.png';

const CHART_IDS = [
  'backlog',
  'backlogPerInstance',
  'oldestRequest',
  'backlogWithoutCapacity',
  'instances',
  'invocations',
  'processingTime',
  'deliveryFailures',
];

// Keys and summaries are user input: this one would run script if the page ever parsed it as markup.
const HOSTILE_KEY = 'input/dashboard/<script>window.__pwned = "key"</script>.txt';
const HOSTILE_TEXT =
  '<img src=x onerror="window.__pwned = \'title\'"> A heading in markup\n' +
  '<img src=x onerror="window.__pwned = \'summary\'"> An article whose first words are markup. It has a second sentence.';

/** What the page shows, read through the DOM and the uPlot instances it exposes as window.dashboard. */
interface PageView {
  polls: number;
  counts: Record<string, number>;
  pointsByChart: Record<string, number>;
  canvases: number;
  maxProcessedPerMinute: number;
  sawBacklogWithoutCapacity: boolean;
  latestKeys: string[];
  latestSummaries: string[];
  /** Each latest row's title line: its format, then the document's title. */
  latestTitles: string[];
  /** The latest article events (ArticleEventsTopic messages): keys and summaries. */
  eventKeys: string[];
  eventTexts: string[];
  activityChanges: string[];
  batches: string[][];
  markupInTables: number;
  pwned: unknown;
}

const STATES = ['QUEUED', 'COMPLETED', 'FAILED', 'REJECTED', 'EXPIRED', 'TOTAL'];

// Browser-side expressions are strings: the project compiles without the DOM library.
const seriesOf = (page: Page, chart: string, index: number): Promise<number[]> =>
  page.evaluate(`window.dashboard.charts[${JSON.stringify(chart)}].data[${index}].map((v) => v ?? 0)`);

const readView = async (page: Page): Promise<PageView> => {
  const numberAttr = async (selector: string, name: string) => Number((await page.getAttribute(selector, name)) ?? Number.NaN);
  const processed = await seriesOf(page, 'invocations', 1);
  return {
    polls: await numberAttr('body', 'data-polls'),
    counts: Object.fromEntries(await Promise.all(STATES.map(async (s) => [s, await numberAttr(`#count-${s}`, 'data-count')]))),
    pointsByChart: Object.fromEntries(
      await Promise.all(CHART_IDS.map(async (id) => [id, await numberAttr(`#chart-${id}`, 'data-points')])),
    ),
    canvases: await page.locator('figure.chart canvas').count(),
    maxProcessedPerMinute: Math.max(0, ...processed),
    sawBacklogWithoutCapacity: (await seriesOf(page, 'backlogWithoutCapacity', 1)).includes(1),
    latestKeys: await page.locator('#latest tbody td.key').allTextContents(),
    latestSummaries: await page.locator('#latest tbody td.summary').allTextContents(),
    latestTitles: await page
      .locator('#latest tbody td.summary')
      .evaluateAll((cells) =>
        cells.map(
          (cell) => (cell as { querySelector(s: string): { textContent: string } | null }).querySelector('.title')?.textContent ?? '',
        ),
      ),
    eventKeys: await page.locator('#events tbody td.key').allTextContents(),
    eventTexts: await page.locator('#events tbody td.summary').allTextContents(),
    activityChanges: await page.locator('#activities tbody td.change').allTextContents(),
    batches: await Promise.all(
      (await page.locator('#batches tbody tr[data-batch]').all()).map((row) => row.locator('td').allTextContents()),
    ),
    markupInTables: await page.locator('table script, table img').count(),
    pwned: await page.evaluate('window.__pwned'),
  };
};

describe('the live dashboard at /_dashboard, in headless Chromium', () => {
  let cloud: TestCloud;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    // A 50 ms stand-in model and 600× time: one simulated minute (one datapoint) every 0.1 s.
    cloud = await startTestCloud({ modelArgs: ['--mode', 'fixed', '--latency-ms', '50'], timeScale: 600 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Script errors, failed requests and CSP violations all land here.
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await cloud?.dispose();
  });

  it('opens with its charting library served locally and starts polling', async () => {
    const response = await page.goto(`${cloud.endpoints.edgeUrl}/_dashboard`);

    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(await page.title()).toBe('research-summarizer · local cloud dashboard');
    await eventually(async () => (await readView(page)).polls >= 2, { timeoutMs: 10_000, everyMs: 100, what: 'two polls of data.json' });
    expect(await page.evaluate('typeof window.uPlot')).toBe('function');
    expect((await readView(page)).canvases).toBe(CHART_IDS.length);
  });

  it('updates in place while articles are dropped: counts, charts, summaries as text, scaling', async () => {
    // Prepare: keep 24 simulated hours (144 real seconds at 600×) so the burst stays on the charts,
    // and start from zero instances so the scale-from-zero path is drawn too.
    await page.selectOption('#window', '1440');
    await eventually(() => cloud.endpoint.status().desiredInstanceCount === 0 && cloud.endpoint.status().instances.inService === 0, {
      timeoutMs: 30_000,
      what: 'the endpoint to scale in to zero first',
    });
    const keys = Array.from({ length: 12 }, (_, i) => `input/dashboard/article-${i}.txt`);
    const pollsBefore = (await readView(page)).polls;

    // Act: the page stays open; nothing reloads it.
    await Promise.all(keys.map((key, i) => putArticle(cloud, key, `Article ${i} reports a finding. It has a second sentence.`)));
    await putArticle(cloud, HOSTILE_KEY, HOSTILE_TEXT);
    const dropped = keys.length + 1;

    // Assess
    let last: PageView | undefined;
    const view = await eventually(
      async () => {
        const v = await readView(page);
        last = v;
        const done =
          v.counts.COMPLETED === dropped &&
          v.counts.TOTAL === dropped &&
          // Each article's event is on the panel (it keeps the latest 20), whatever order they ended in.
          v.latestKeys.includes(HOSTILE_KEY) &&
          keys.every((key) => v.eventKeys.includes(key)) &&
          v.eventKeys.includes(HOSTILE_KEY) &&
          v.sawBacklogWithoutCapacity &&
          v.maxProcessedPerMinute > 0 &&
          // Out of zero: to 1 by the step policy, or further when another alarm fired in the same evaluation.
          v.activityChanges.some((change) => /^0 → [1-9]\d*$/.test(change)) &&
          v.batches.some(([batch, , done, , eta]) => batch === 'dashboard' && done === '13 / 13' && eta === 'done');
        return done ? v : undefined;
      },
      {
        timeoutMs: 60_000,
        everyMs: 200,
        what: `the page to show ${dropped} COMPLETED articles, the burst on the charts and the scale-out`,
      },
    ).catch((error: Error) => {
      // Say what the page showed last, so a failure names the condition that did not hold.
      const { counts, sawBacklogWithoutCapacity, maxProcessedPerMinute, activityChanges, batches, latestKeys, eventKeys } =
        last ?? ({} as PageView);
      const seen = {
        counts,
        sawBacklogWithoutCapacity,
        maxProcessedPerMinute,
        activityChanges,
        batches,
        hostileShown: latestKeys?.includes(HOSTILE_KEY),
        events: eventKeys?.length,
        hostileEventShown: eventKeys?.includes(HOSTILE_KEY),
      };
      throw new Error(`${error.message}; the page showed ${JSON.stringify(seen)}`);
    });
    expect(view.polls).toBeGreaterThan(pollsBefore);
    for (const id of CHART_IDS) expect([id, view.pointsByChart[id]]).toEqual([id, expect.any(Number)]);
    expect(CHART_IDS.filter((id) => !((view.pointsByChart[id] ?? 0) > 0))).toEqual([]);
    expect(view.counts).toMatchObject({ QUEUED: 0, FAILED: 0, REJECTED: 0, EXPIRED: 0 });
    // The hostile key and summary are shown as the text they are, and nothing ran.
    const hostileRow = view.latestKeys.indexOf(HOSTILE_KEY);
    // Its title line (format, then the title) and its summary below it, both as text.
    expect(view.latestTitles[hostileRow]).toBe('text<img src=x onerror="window.__pwned = \'title\'"> A heading in markup');
    expect(view.latestSummaries[hostileRow]?.replace(view.latestTitles[hostileRow] ?? '', '')).toContain('<img src=x onerror=');
    // Its article event too (the latest events panel), as text.
    expect(view.eventTexts[view.eventKeys.indexOf(HOSTILE_KEY)]).toContain('<img src=x onerror=');
    expect(view.markupInTables).toBe(0);
    // The batch of the 13 articles (their first folder under input/), finished, with its cost so far.
    const batch = view.batches.find(([name]) => name === 'dashboard');
    expect(batch?.[1]).toMatch(/100%$/);
    expect(batch?.[5]).toMatch(/^\$0\.\d{4}$/);
    expect(view.pwned).toBeUndefined();
    expect(await page.locator('#count-COMPLETED .value').textContent()).toBe(String(dropped));
    // The supervised processes: DynamoDB and the model servers, none restarted.
    expect(await page.locator('#tile-processes .value').textContent()).toBe('all running');
    expect(await page.locator('#tile-processes .detail').textContent()).toBe('DynamoDB (dynalite): 0 restarts · model servers: 0 restarts');

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  }, 120_000);
});
