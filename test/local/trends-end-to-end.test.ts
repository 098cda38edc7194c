import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { localClients } from '../../local/edge/clients';
import { runTrends } from '../../cli/read-trends';
import { generatedArticle } from '../support/long-text';
import { projectRoot, startTestCloud, terminalRows, type TestCloud } from '../support/local-cloud';

const run = promisify(execFile);

// Short news items written for this test, five steady topics and one that surges on the last day.
const TOPICS: Record<string, string[]> = {
  soil: [
    'Cover crops store more carbon in farm soils',
    'Farmers who plant rye between harvests raised the carbon stocks of their soils, a field trial on 40 farms found.',
    'Soil samples taken to one metre showed most of the extra carbon below the plough layer.',
    'Agronomists now want subsidies for cover crops that keep carbon in the soil.',
  ],
  ports: [
    'Regional ports win container traffic from the largest hubs',
    'Shipping lines moved container traffic to regional ports after congestion at the big hubs.',
    'Port operators added cranes and rail links to handle the extra containers.',
    'Freight forwarders say regional ports now clear containers two days faster.',
  ],
  lakes: [
    'Glacial lakes grow as mountain glaciers retreat',
    'Satellite images show glacial lakes in mountain valleys have grown by a third since 1990.',
    'Villages below the lakes installed sirens linked to water level sensors.',
    'Engineers warn that moraine dams holding the glacial lakes can fail without warning.',
  ],
  walking: [
    'Brisk walking lowers blood pressure in older adults',
    'Older adults who walked briskly for thirty minutes a day lowered their blood pressure in a randomised trial.',
    'Nurses measured blood pressure every month in the walking group and the control group.',
    'Doctors say walking programmes could delay blood pressure medication for many older adults.',
  ],
  microbes: [
    'Deep-sea microbes fix carbon at hydrothermal vents',
    'Microbes living around hydrothermal vents fix more carbon than ocean models assume.',
    'A submersible collected vent fluid and microbial mats from the sea floor.',
    'Oceanographers will add the vent microbes to models of the deep ocean carbon cycle.',
  ],
  heat: [
    'Heat pumps cut heating bills in a cold winter',
    'Households that replaced gas boilers with heat pumps paid less for heating during the coldest winter in a decade.',
    'Installers fitted heat pumps in older houses after adding insulation to the walls.',
    'Energy agencies say heat pumps now heat a fifth of new homes, and grid operators plan for more heat pump demand.',
  ],
};

/** One article of a topic; `n` varies the order of the body sentences so no two are the same text. */
const article = (topic: string, n: number): string => {
  const [title, ...body] = TOPICS[topic] as string[];
  const rotated = body.map((_, i) => body[(i + n) % body.length] as string);
  return `${title}\n\n${rotated.join(' ')}\n`;
};

const STEADY = ['soil', 'ports', 'lakes', 'walking', 'microbes'];
const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'];

describe('trends on the local cloud: published days from S3 metadata, key phrases, rising topics', () => {
  let cloud: TestCloud;
  const keys: string[] = [];
  const put = async (key: string, body: string, published?: string) => {
    await cloud.s3.send(
      new PutObjectCommand({
        Bucket: cloud.endpoints.bucket,
        Key: key,
        Body: body,
        ContentType: 'text/plain',
        ...(published !== undefined ? { Metadata: { published } } : {}),
      }),
    );
    keys.push(key);
  };

  beforeAll(async () => {
    cloud = await startTestCloud();
    // Four steady days of three articles each, then a day on which heat pumps surge.
    for (const [d, day] of DAYS.slice(0, 4).entries()) {
      for (let i = 0; i < 3; i++)
        await put(`input/archive/${day}-${i}.txt`, article(STEADY[(d * 3 + i) % STEADY.length] as string, d + i), day);
    }
    for (let i = 0; i < 4; i++) await put(`input/archive/2026-11-05-heat-${i}.txt`, article('heat', i), `2026-11-05T0${i}:15:00Z`);
    for (let i = 0; i < 2; i++) await put(`input/archive/2026-11-05-${i}.txt`, article(STEADY[i] as string, 7 + i), '2026-11-05');
    // Dates that cannot be used: summarized anyway, on the upload day.
    await put('input/undated/bad-1.txt', article('soil', 9), 'next tuesday');
    await put('input/undated/bad-2.txt', article('ports', 9), '2026-02-30');
    // A long article (split into parts) with a date.
    await put('input/archive/long.txt', `Enzyme kinetics in river basin samples\n\n${generatedArticle(2_500, 13)}`, '2026-11-03');
    await terminalRows(cloud, keys, 180_000);
  }, 240_000);
  afterAll(async () => cloud?.dispose());

  it('records the published day from metadata, a title and key phrases on every completed row', async () => {
    const rows = await terminalRows(cloud, keys);
    const heat = rows.get('input/archive/2026-11-05-heat-2.txt');

    expect([...rows.values()].every((r) => r.state === 'COMPLETED')).toBe(true);
    expect(heat).toMatchObject({
      publishedAt: '2026-11-05T02:15:00.000Z',
      publishedDay: '2026-11-05',
      title: 'Heat pumps cut heating bills in a cold winter',
    });
    expect(heat?.keyphrases).toContain('heat pump');
    expect(heat?.keyphrases?.length).toBeLessThanOrEqual(10);
    expect(rows.get('input/archive/2026-11-01-0.txt')).toMatchObject({ publishedAt: '2026-11-01', publishedDay: '2026-11-01' });
  });

  it('summarizes an article whose published value is not a date, on its upload day, saying why', async () => {
    const rows = await terminalRows(cloud, keys);
    for (const key of ['input/undated/bad-1.txt', 'input/undated/bad-2.txt']) {
      const row = rows.get(key);
      expect(row?.state).toBe('COMPLETED');
      expect(row?.publishedAt).toBeUndefined();
      expect(row?.publishedDay).toBe(row?.uploadedAt.slice(0, 10));
      expect(row?.publishedIgnored).toMatch(/^published metadata ".+" is not (an ISO 8601 date|a calendar date)/);
    }
  });

  it('gives a long article, summarized in parts, its key phrases too', async () => {
    const row = (await terminalRows(cloud, keys)).get('input/archive/long.txt');
    expect(row?.parts).toBeGreaterThan(1);
    expect(row).toMatchObject({ publishedDay: '2026-11-03', title: 'Enzyme kinetics in river basin samples' });
    expect(row?.keyphrases?.length).toBeGreaterThanOrEqual(3);
  });

  it("ranks the surging topic first among the last day's rising phrases, with Query only, never Scan", async () => {
    // Prepare: a client of its own that counts every DynamoDB operation it sends.
    const { dynamo } = localClients(cloud.endpoints.edgeUrl, cloud.config.region);
    const operations: string[] = [];
    dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        operations.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countOperations' },
    );
    // Act
    const periods = await runTrends(
      { dynamo, table: cloud.endpoints.table, inputPrefix: cloud.endpoints.inputPrefix },
      { from: '2026-11-01', to: '2026-11-05', by: 'day', top: 5 },
    );
    // Assess
    const last = periods[periods.length - 1];
    expect(last).toMatchObject({ start: '2026-11-05', articles: 6 });
    expect(last?.rising[0]).toMatchObject({ phrase: 'heat pump', count: 4 });
    expect(periods.map((p) => p.articles)).toEqual([3, 3, 4, 3, 6]);
    // One Query per day read: the 5 days asked for and the 4 before them (the reference of the first).
    expect(new Set(operations)).toEqual(new Set(['QueryCommand']));
    expect(operations).toHaveLength(9);
    dynamo.destroy();
  });

  it('prints the same through `npm run trends -- --json`, and one CSV row per period and phrase', async () => {
    const cli = (...args: string[]) =>
      run(process.execPath, [join(projectRoot, 'dist', 'cli', 'main.js'), 'trends', ...args, '--state-dir', cloud.stateDir]);

    const json = JSON.parse((await cli('--from', '2026-11-04', '--to', '2026-11-05', '--json')).stdout) as {
      periods: { start: string; articles: number; rising: { phrase: string; score: number }[] }[];
    };
    const csv = (await cli('--from', '2026-11-05', '--to', '2026-11-05', '--csv', '--top', '3')).stdout.trim().split('\n');
    const weekly = JSON.parse(
      (await cli('--from', '2026-11-02', '--to', '2026-11-08', '--by', 'week', '--prefix', 'archive/', '--json')).stdout,
    ) as { periods: { start: string; end: string; articles: number }[] };

    expect(json.periods.map((p) => [p.start, p.articles])).toEqual([
      ['2026-11-04', 3],
      ['2026-11-05', 6],
    ]);
    expect(json.periods[1]?.rising[0]?.phrase).toBe('heat pump');
    expect(csv[0]).toBe('start,end,articles,kind,rank,phrase,count,score');
    expect(csv).toContainEqual(expect.stringMatching(/^2026-11-05,2026-11-05,6,rising,1,"heat pump",4,\d+(\.\d+)?$/));
    expect(weekly.periods).toEqual([expect.objectContaining({ start: '2026-11-02', end: '2026-11-08', articles: 16 })]);
  });
});
