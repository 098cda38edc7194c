import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '../support/eventually';
import { projectRoot } from '../support/local-cloud';
import { awsCliV2 } from '../support/tools';

const run = promisify(execFile);

/**
 * The AWS CLI v2 (Debian's `awscli`, which npm test installs when missing), by the version it prints:
 * an older pip/pyenv `aws` v1 may come first on PATH.
 */
const AWS_CLI = awsCliV2();

describe("the running local cloud, driven by `npm start`'s CLI and the real AWS CLI v2", () => {
  let stateDir: string;
  let cloud: ChildProcess;
  let endpoints: { edgeUrl: string; bucket: string; inputPrefix: string; table: string; endpointName: string };
  let output = '';

  const aws = async (...args: string[]) =>
    run(AWS_CLI, ['--endpoint-url', endpoints.edgeUrl, '--output', 'json', ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: stateDir,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_PAGER: '',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
  const cli = (...args: string[]) => run(process.execPath, [join(projectRoot, 'dist', 'cli', 'main.js'), ...args, '--state-dir', stateDir]);

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'rs-e2e-'));
    cloud = spawn(
      process.execPath,
      [
        '--openssl-legacy-provider',
        join(projectRoot, 'dist', 'cli', 'main.js'),
        'start',
        '--port',
        '0',
        '--time-scale',
        '60',
        '--state-dir',
        stateDir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cloud.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cloud.stderr?.on('data', () => undefined);
    endpoints = await eventually(
      () =>
        existsSync(join(stateDir, 'endpoints.json')) && output.includes('local cloud is running')
          ? JSON.parse(readFileSync(join(stateDir, 'endpoints.json'), 'utf-8'))
          : undefined,
      { timeoutMs: 60_000, what: 'npm start to print its banner' },
    );
  }, 90_000);

  afterAll(async () => {
    if (cloud.exitCode === null) {
      cloud.kill('SIGKILL');
      await new Promise((resolve) => cloud.once('exit', resolve));
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('prints the edge URL, names and copy-paste commands, and writes them to endpoints.json', () => {
    expect(endpoints).toEqual({
      edgeUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      region: 'us-east-1',
      bucket: 'research-summarizer-dev-000000000000-us-east-1',
      inputPrefix: 'input/',
      table: 'research-summarizer-dev-LedgerTable',
      endpointName: 'research-summarizer-dev',
    });
    expect(output).toContain(`aws --endpoint-url ${endpoints.edgeUrl} s3 cp`);
  });

  it('takes `aws s3 cp` of an article to a summary that `aws dynamodb scan` and `query` show', async () => {
    const file = join(stateDir, 'my article.txt');
    writeFileSync(file, 'The city opened a new library on Monday. It holds forty thousand books. Residents queued for hours to get in.');

    await aws('s3', 'cp', file, `s3://${endpoints.bucket}/input/cli/my article.txt`);

    const item = await eventually(
      async () => {
        const { stdout } = await aws('dynamodb', 'scan', '--table-name', endpoints.table);
        const items = (JSON.parse(stdout) as { Items: Record<string, { S?: string }>[] }).Items;
        return items.find((i) => i.key?.S === 'input/cli/my article.txt' && i.state?.S === 'COMPLETED');
      },
      { timeoutMs: 60_000, everyMs: 500, what: 'the summary in the ledger' },
    );
    expect(item.summary?.S).toMatch(/library|books|Residents/);

    const { stdout } = await aws(
      'dynamodb',
      'query',
      '--table-name',
      endpoints.table,
      '--index-name',
      'byState',
      '--key-condition-expression',
      '#s = :s',
      '--expression-attribute-names',
      '{"#s":"state"}',
      '--expression-attribute-values',
      '{":s":{"S":"COMPLETED"}}',
    );
    expect((JSON.parse(stdout) as { Items: { key: { S: string } }[] }).Items.map((i) => i.key.S)).toContain('input/cli/my article.txt');
  }, 90_000);

  it('drops a folder with `npm run drop` and lists it with `npm run results`', async () => {
    // The folder's articles only: samples/README.md describes them and is not one.
    const articles = readdirSync(join(projectRoot, 'samples')).filter((name) => name.endsWith('.txt'));
    const dropped = await cli('drop', join(projectRoot, 'samples'), '--prefix', 'from-drop');
    expect(dropped.stdout).toMatch(new RegExp(`^uploaded ${articles.length} file\\(s\\)`));

    const rows = await eventually(
      async () => {
        const { stdout } = await cli('results', '--json');
        const all = JSON.parse(stdout) as { key: string; state: string }[];
        const mine = all.filter((r) => r.key.startsWith('input/from-drop/samples/'));
        return mine.length >= articles.length && mine.every((r) => r.state === 'COMPLETED') ? mine : undefined;
      },
      { timeoutMs: 90_000, everyMs: 1000, what: 'the dropped samples to complete' },
    );
    expect(rows.map((r) => r.key).sort()).toEqual(articles.map((name) => `input/from-drop/samples/${name}`).sort());
    const { stdout } = await cli('results', '--state', 'completed');
    expect(stdout).toMatch(/^\d+ articles: QUEUED 0 {2}COMPLETED \d+/);
  }, 120_000);

  it('answers `aws sagemaker-runtime invoke-endpoint-async` with a documented ValidationError', async () => {
    const call = aws(
      'sagemaker-runtime',
      'invoke-endpoint-async',
      '--endpoint-name',
      'missing',
      '--input-location',
      `s3://${endpoints.bucket}/requests/x.json`,
    );

    await expect(call).rejects.toMatchObject({
      code: 254,
      stderr: expect.stringContaining(
        'An error occurred (ValidationError) when calling the InvokeEndpointAsync operation: Endpoint missing of account 000000000000 not found.',
      ),
    });
  });

  it('stops cleanly on Ctrl-C, keeping its state', async () => {
    const exited = new Promise<number | null>((resolve) => cloud.once('exit', (code) => resolve(code)));
    cloud.kill('SIGINT');

    expect(await exited).toBe(0);
    expect(existsSync(join(stateDir, 's3'))).toBe(true);
  }, 60_000);
});
