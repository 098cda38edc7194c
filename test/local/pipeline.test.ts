import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SageMakerRuntimeClient, InvokeEndpointAsyncCommand } from '@aws-sdk/client-sagemaker-runtime';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { eventually } from '../support/eventually';
import { projectRoot, putArticle, startTestCloud, terminalRows, type TestCloud } from '../support/local-cloud';

const samples = readdirSync(join(projectRoot, 'samples')).filter((f) => f.endsWith('.txt'));
const sample = (name: string) => readFileSync(join(projectRoot, 'samples', name), 'utf-8');

describe('the local cloud, end to end through the real SDK', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
  }, 60_000);
  afterAll(async () => cloud.dispose());

  it('summarizes a batch of articles: every one COMPLETED with a summary drawn from its text', async () => {
    // Prepare
    const keys = samples.map((name) => `input/batch/${name}`);
    // Act
    await Promise.all(samples.map((name, i) => putArticle(cloud, keys[i] as string, sample(name))));
    // Assess
    const rows = await terminalRows(cloud, keys);
    for (const [i, name] of samples.entries()) {
      const row = rows.get(keys[i] as string);
      expect(row?.state).toBe('COMPLETED');
      const firstSentence = (row?.summary ?? '').split('\n')[0] as string;
      expect(firstSentence.length).toBeGreaterThan(20);
      expect(sample(name).replace(/\s+/g, ' ')).toContain(firstSentence.replace(/\s+/g, ' ').trim());
    }
  }, 90_000);

  it('rejects what cannot be summarized with a reason, and ignores writes outside input/', async () => {
    const keys = ['input/bad/empty.txt', 'input/bad/binary.bin', 'input/bad/latin1.txt'];
    await putArticle(cloud, keys[0] as string, Buffer.alloc(0));
    await putArticle(cloud, keys[1] as string, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a]));
    await putArticle(cloud, keys[2] as string, Buffer.from('caf\xe9', 'latin1'));
    await putArticle(cloud, 'outputs/not-an-article.txt', 'never summarized');

    const rows = await terminalRows(cloud, keys);

    expect(keys.map((k) => [k, rows.get(k)?.state])).toEqual(keys.map((k) => [k, 'REJECTED']));
    expect(rows.get('input/bad/empty.txt')?.reason).toMatch(/^empty article/);
    expect(rows.get('input/bad/binary.bin')?.reason).toMatch(/binary content/);
    expect(rows.get('input/bad/latin1.txt')?.reason).toMatch(/not valid UTF-8/);
  }, 60_000);

  it('writes each summary to outputs/ and no object under outputs/ triggers anything', async () => {
    const listed = await cloud.s3.send(new ListObjectsV2Command({ Bucket: cloud.endpoints.bucket, Prefix: 'outputs/' }));
    const outputs = listed.Contents ?? [];

    expect(outputs.length).toBeGreaterThanOrEqual(samples.length);
    expect(outputs.every((o) => /^outputs\/[0-9a-f-]{36}\.out$/.test(o.Key ?? '') || o.Key === 'outputs/not-an-article.txt')).toBe(true);
  });

  it('answers InvokeEndpointAsync errors as SageMaker does, parsed by the SDK as named errors', async () => {
    const client = new SageMakerRuntimeClient({
      endpoint: cloud.endpoints.edgeUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'any', secretAccessKey: 'thing' },
      maxAttempts: 1,
    });
    await expect(
      client.send(
        new InvokeEndpointAsyncCommand({
          EndpointName: 'no-such-endpoint',
          InputLocation: `s3://${cloud.endpoints.bucket}/requests/x.json`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError', message: 'Endpoint no-such-endpoint of account 000000000000 not found.' });
    client.destroy();
  });
});

describe('the local cloud scales with the backlog', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    // A 400 ms stand-in model keeps the burst about scaling, not summarizing: one instance (2 slots)
    // answers 5 articles a second, far fewer than even a busy machine delivers, so a backlog builds
    // whatever the machine's speed (with 50 ms, a slow pipeline could feed one instance fast enough).
    cloud = await startTestCloud({ modelArgs: ['--mode', 'fixed', '--latency-ms', '400'], timeScale: 600 });
  }, 60_000);
  afterAll(async () => cloud.dispose());

  it('goes from 0 instances to several under a burst and back to 0 when idle, every article completed', async () => {
    // Prepare: the endpoint starts with one instance (InitialInstanceCount) and idles down to zero first.
    await eventually(() => cloud.endpoint.status().desiredInstanceCount === 0 && cloud.endpoint.status().instances.inService === 0, {
      timeoutMs: 30_000,
      what: 'the endpoint to scale in to zero before the burst',
    });
    const before = cloud.endpoint.scalingActivities().length;
    const keys = Array.from({ length: 120 }, (_, i) => `input/burst/article-${i}.txt`);

    // Act
    await Promise.all(keys.map((key, i) => putArticle(cloud, key, `Article ${i}. It reports one finding. It has a second sentence.`)));
    const rows = await terminalRows(cloud, keys, 120_000);
    await eventually(() => cloud.endpoint.status().instances.inService === 0 && cloud.endpoint.drained(), {
      timeoutMs: 60_000,
      what: 'the endpoint to scale back to zero',
    });

    // Assess
    expect([...rows.values()].filter((r) => r.state !== 'COMPLETED')).toEqual([]);
    const activities = cloud.endpoint.scalingActivities().slice(before);
    const peak = Math.max(...activities.map((a) => a.to));
    expect(activities[0]).toMatchObject({ from: 0, to: 1 });
    expect(peak).toBeGreaterThan(1);
    expect(activities.at(-1)).toMatchObject({ to: 0 });
    expect(cloud.endpoint.metrics().some((m) => m.HasBacklogWithoutCapacity === 1)).toBe(true);
  }, 240_000);
});
