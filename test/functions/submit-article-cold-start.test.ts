import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { startLambdaEnvironment, type LambdaEnvironment } from '../../bench/lambda-environment';
import { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { articleIdFor } from '../../core/ids';
import { articleFacts } from '../../core/trends/article-facts';
import { buildPaper } from '../support/documents/pdf-paper';
import { encryptedPdf } from '../support/documents/pdf-hostile';
import { samplePaper, SAMPLE_TITLE } from '../support/documents/pdf-sample';
import { handlerEnvironment, startEmulators, type Emulators } from '../support/emulators';
import { s3PutEvent } from '../support/events';
import { accepted, scriptedEndpoint } from '../support/scripted-endpoint';

const projectRoot = join(__dirname, '..', '..');
const ARTICLE = readFileSync(join(projectRoot, 'samples', 'climate-glacial-lakes.txt'), 'utf-8');
const submitZip = join(projectRoot, '.serverless', 'submitArticle.zip');
/** Where the zip is unpacked, as Lambda unpacks it into /var/task: no node_modules above it, so only what the zip holds can load. */
const taskRoot = mkdtempSync(join(tmpdir(), 'rs-task-'));
const functionDir = join(taskRoot, 'functions', 'submit-article');
const bundle = join(functionDir, 'handler.js');

/** What every environment loads at its start: the handler and the key-phrase model's data (deploy/esbuild-plugins.js). */
const AT_START = ['handler.data/eng-core-web-model.json', 'handler.js'];

/** The function's files a process has loaded (`handler.js`, `handler.lazy/pdf.js`), from its require.cache. */
const functionFilesLoaded = (loaded: string[]): string[] =>
  loaded
    .filter((file) => file.startsWith(`${functionDir}/`))
    .map((file) => relative(functionDir, file))
    .sort();

/** The modules a reader brings in, as esbuild marks each file it bundles: a `// <path>` comment line. */
const READER_MODULES = [
  'node_modules/unpdf/',
  'node_modules/mammoth/',
  'node_modules/linkedom/',
  'node_modules/@mozilla/readability/',
  'node_modules/fast-xml-parser/',
  'core/documents/pdf/read-pdf.ts',
  'core/documents/docx.ts',
  'core/documents/html.ts',
  'core/documents/jats.ts',
  'core/documents/latex/read-latex.ts',
];
const bundledReaderModules = (file: string): string[] => {
  const code = readFileSync(file, 'utf-8');
  // `(.*/)?`: node_modules may be reached through a relative path (a linked install).
  return READER_MODULES.filter((module) => new RegExp(`^// (.*/)?${module.replace(/[.]/g, '\\.')}`, 'm').test(code));
};

const unzipInto = (zip: string, folder: string): void => {
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(zip)))) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), bytes);
  }
};

/** Entry names of a zip, read from its central directory (nothing inflated). */
const zipEntries = (path: string): string[] => {
  const names: string[] = [];
  unzipSync(readFileSync(path), {
    filter: (file) => {
      names.push(file.name);
      return false;
    },
  });
  return names;
};

/**
 * The submitArticle zip `serverless package` built (Jest's global setup), unpacked, in execution
 * environments of its own (bench/lambda-environment.ts), against s3rver, dynalite and a scripted
 * endpoint: a plain-text article never loads a document reader, and a document loads its own reader
 * only, on its first document (core/documents/extract.ts, deploy/esbuild-plugins.js).
 */
describe('submit-article cold start: document readers load on their first document', () => {
  let emu: Emulators;
  let endpoint: Awaited<ReturnType<typeof scriptedEndpoint>>;
  let ledger: DynamoDbSummaryLedger;
  let env: Record<string, string>;
  const environments: LambdaEnvironment[] = [];

  beforeAll(async () => {
    unzipInto(submitZip, taskRoot);
    emu = await startEmulators();
    endpoint = await scriptedEndpoint([accepted]);
    ledger = new DynamoDbSummaryLedger(emu.dynamo, emu.table);
    env = {
      PATH: process.env.PATH ?? '',
      ...handlerEnvironment(emu, endpoint.url),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  });
  afterAll(async () => {
    await Promise.all(environments.map((environment) => environment.close()));
    await endpoint.close();
    await emu.stop();
    rmSync(taskRoot, { recursive: true, force: true });
  });

  const freshEnvironment = async (): Promise<LambdaEnvironment> => {
    const environment = await startLambdaEnvironment(bundle, env);
    environments.push(environment);
    return environment;
  };

  /** Uploads an article, has `environment` handle its S3 event, and returns its row and what was loaded. */
  const submit = async (environment: LambdaEnvironment, key: string, body: string | Uint8Array) => {
    const put = await emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: body }));
    const event = s3PutEvent({ bucket: emu.bucket, key, size: Buffer.byteLength(body), eTag: (put.ETag ?? '').replace(/"/g, '') });
    const result = await environment.invoke(event, `request-${key}`);
    expect(result.error).toBeUndefined();
    return { row: await ledger.get(articleIdFor(emu.bucket, key)), files: functionFilesLoaded(result.loaded) };
  };

  it('handles plain-text and Markdown articles without loading any document reader or the HTML parser', async () => {
    // Prepare
    const environment = await freshEnvironment();

    // Act
    const text = await submit(environment, 'input/cold/plain.txt', ARTICLE);
    const markdown = await submit(
      environment,
      'input/cold/notes.md',
      '# Glacial lakes\n\nLakes grow as *glaciers* retreat.\n\n## Floods\n\nThey reach far.',
    );

    // Assess: the environment has loaded the handler's file alone, and it holds no reader.
    expect(text.row).toMatchObject({ state: 'QUEUED', keyphrases: articleFacts(ARTICLE, undefined, new Date().toISOString()).keyphrases });
    expect(text.row?.keyphrases?.length).toBeGreaterThan(0);
    expect(markdown.row).toMatchObject({ state: 'QUEUED', format: 'markdown', title: 'Glacial lakes' });
    expect(text.files).toEqual(AT_START);
    expect(markdown.files).toEqual(AT_START);
    expect(bundledReaderModules(bundle)).toEqual([]);
  });

  it('loads the PDF reader on the first PDF, and only it, and keeps it for the next one', async () => {
    // Prepare
    const environment = await freshEnvironment();
    const paper = (await buildPaper(samplePaper())).bytes;

    // Act
    const before = await submit(environment, 'input/cold/first.txt', 'A plain article comes first. It needs no reader.');
    const first = await submit(environment, 'input/cold/first.pdf', paper);
    const second = await submit(environment, 'input/cold/second.pdf', paper);

    // Assess
    expect(before.files).toEqual(AT_START);
    expect(first.row).toMatchObject({ state: 'QUEUED', format: 'pdf', title: SAMPLE_TITLE });
    expect(first.files).toEqual([...AT_START, 'handler.lazy/pdf.js']);
    expect(second.row).toMatchObject({ state: 'QUEUED', format: 'pdf', title: SAMPLE_TITLE });
    expect(second.files).toEqual([...AT_START, 'handler.lazy/pdf.js']);
  });

  it("ends a document its on-demand reader refuses REJECTED with the reader's reason", async () => {
    // Prepare
    const environment = await freshEnvironment();

    // Act
    const { row, files } = await submit(environment, 'input/cold/locked.pdf', encryptedPdf('secret'));

    // Assess: the reader's RejectedArticleError, from its own bundle, is still a rejection.
    expect(files).toEqual([...AT_START, 'handler.lazy/pdf.js']);
    expect(row).toMatchObject({
      state: 'REJECTED',
      format: 'pdf',
      reason: expect.stringContaining('the PDF is encrypted and needs a password to open'),
    });
  });

  it("ships the readers and the model's data in the submitArticle zip, and in no other function's", () => {
    // Prepare
    const readers = ['docx.js', 'html.js', 'jats.js', 'latex.js', 'linkedom.js', 'pdf.js'].map((file) => `handler.lazy/${file}`);

    // Act
    const submitEntries = zipEntries(submitZip);
    const otherZips = ['recordResult.zip', 'reconcile.zip'].flatMap((zip) => zipEntries(join(projectRoot, '.serverless', zip)));

    // Assess
    expect(submitEntries).toEqual(expect.arrayContaining([...AT_START, ...readers].map((file) => `functions/submit-article/${file}`)));
    expect(otherZips.filter((name) => /handler\.(lazy|data)\//.test(name))).toEqual([]);
  });
});
