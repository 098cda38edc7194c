import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import type { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { articleIdFor } from '../../core/ids';
import type { LedgerRow } from '../../core/ledger';
import { buildDocx } from '../support/documents/docx-builder';
import { jatsArticle, p, sec } from '../support/documents/jats';
import { prose } from '../support/documents/context';
import { paper, tarGzOf } from '../support/documents/latex-builder';
import { startEmulators, type Emulators } from '../support/emulators';
import { s3PutEvent } from '../support/events';
import { type RecordingInferenceQueue } from '../support/fakes';
import { testSettings, uploadHandlerOn } from '../support/upload-handler';

/** Documents are bounded by maxDocumentBytes, text by maxArticleBytes (core/documents/read-article.ts). */
const settings = { ...testSettings, maxArticleBytes: 20_000, maxDocumentBytes: 200_000 };

const ABSTRACT = 'Glacial lakes grow as glaciers retreat, and their outburst floods threaten the valleys below.';
const REFERENCE = 'Richardson SD, Reynolds JM. An overview of glacial hazards in the Himalayas. Quaternary International 2000.';

describe('submit-article on research documents (s3rver + dynalite)', () => {
  let emu: Emulators;
  let queue: RecordingInferenceQueue;
  let ledger: DynamoDbSummaryLedger;
  let onUpload: (event: unknown, awsRequestId?: string) => Promise<void>;

  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(async () => emu.stop());

  beforeEach(() => {
    ({ queue, ledger, onUpload } = uploadHandlerOn(emu, undefined, { settings }));
  });

  const upload = async (
    key: string,
    body: string | Uint8Array,
    contentType = 'application/octet-stream',
    metadata?: Record<string, string>,
  ) => {
    const reply = await emu.s3.send(
      new PutObjectCommand({
        Bucket: emu.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ...(metadata ? { Metadata: metadata } : {}),
      }),
    );
    await onUpload(s3PutEvent({ bucket: emu.bucket, key, size: Buffer.byteLength(body), eTag: (reply.ETag ?? '').replace(/"/g, '') }));
    const row = await ledger.get(articleIdFor(emu.bucket, key));
    if (!row) throw new Error(`no row for ${key}`);
    return row;
  };
  const read = async (location: string | undefined): Promise<string> => {
    const key = (location ?? '').replace(`s3://${emu.bucket}/`, '');
    return (await emu.s3.send(new GetObjectCommand({ Bucket: emu.bucket, Key: key }))).Body!.transformToString();
  };
  const modelInput = async (row: LedgerRow): Promise<string> => (JSON.parse(await read(row.requestLocation)) as { inputs: string }).inputs;

  const crowsArticle = () =>
    jatsArticle({
      title: 'Counting crows near glacial lakes',
      dates: '<pub-date pub-type="epub"><day>8</day><month>12</month><year>2018</year></pub-date>',
      abstracts: `<abstract><p>${ABSTRACT}</p></abstract>`,
      keywords: '<kwd-group><kwd>Glacial Lake Outburst</kwd><kwd>corvid behaviour</kwd></kwd-group>',
      body: sec('Introduction', p(prose('glacial lakes'))) + sec('Methods', p(prose('counting crows'))),
      back: `<ref-list><ref id="r1"><mixed-citation>${REFERENCE}</mixed-citation></ref></ref-list>`,
    });

  it('summarizes a JATS article sent as octet-stream from its body, with its own title, abstract, date and keywords', async () => {
    // Act
    const row = await upload('input/papers/crows.nxml', crowsArticle());
    // Assess
    expect(row).toMatchObject({
      state: 'QUEUED',
      format: 'jats',
      title: 'Counting crows near glacial lakes',
      abstract: ABSTRACT,
      publishedDay: '2018-12-08',
      publishedAt: '2018-12-08',
      publishedSource: 'document',
    });
    expect(row.keyphrases?.slice(0, 2)).toEqual(['glacial lake outburst', 'corvid behaviour']);
    const input = await modelInput(row);
    expect(input).toContain('Introduction');
    expect(input).toContain('Sentence 1 about counting crows');
    expect(input).not.toContain('outburst floods threaten');
    expect(input).not.toContain('Richardson');
    expect(row.extractedLocation).toBe(`s3://${emu.bucket}/extracted/${row.articleId}/${row.inferenceId}.txt`);
    expect(await read(row.extractedLocation)).toBe(input);
  });

  it('takes the published metadata over the date the document states', async () => {
    const row = await upload('input/papers/crows-dated.nxml', crowsArticle(), 'application/xml', { published: '2019-01-15' });

    expect(row).toMatchObject({ format: 'jats', publishedDay: '2019-01-15', publishedSource: 'metadata' });
  });

  it('reads a .docx manuscript uploaded as application/pdf by its bytes', async () => {
    const docx = buildDocx({
      core: { title: 'Ten quick tips for glacier monitoring' },
      body: [
        { style: 'Title', text: 'Ten quick tips for glacier monitoring' },
        { style: 'heading 1', text: 'Introduction' },
        { text: prose('monitoring glaciers') },
        { style: 'heading 1', text: 'References' },
        { text: REFERENCE },
      ],
    });

    const row = await upload('input/papers/tips.docx', docx, 'application/pdf');

    expect(row).toMatchObject({
      state: 'QUEUED',
      format: 'docx',
      title: 'Ten quick tips for glacier monitoring',
      publishedSource: 'upload',
    });
    const input = await modelInput(row);
    expect(input).toContain('Sentence 3 about monitoring glaciers');
    expect(input).not.toContain('Richardson');
  });

  it('reads an arXiv source tarball and dates it by its arXiv id, approximately', async () => {
    const source = tarGzOf({
      'main.tex': paper({
        preamble: '\\title{Verifying claims about glaciers}',
        body: `\\maketitle\\begin{abstract}${ABSTRACT}\\end{abstract}\\section{Introduction}\\input{intro}`,
      }),
      'intro.tex': prose('scientific claims'),
    });

    const row = await upload('input/arxiv/1810.04805.tar.gz', source);

    expect(row).toMatchObject({
      format: 'latex',
      title: 'Verifying claims about glaciers',
      abstract: ABSTRACT,
      publishedDay: '2018-10-01',
      publishedSource: 'document-approximate',
    });
    expect(await modelInput(row)).toContain('Sentence 2 about scientific claims');
  });

  it('reads Markdown by its extension, headings kept and syntax stripped', async () => {
    const markdown = `---\ntitle: Lakes and floods\n---\n\n# Introduction\n\n${prose('**flood** [warnings](https://example.org)')}\n`;

    const row = await upload('input/notes/lakes.md', markdown, 'text/plain');

    expect(row).toMatchObject({ format: 'markdown', title: 'Lakes and floods' });
    const input = await modelInput(row);
    expect(input).toContain('Introduction');
    expect(input).toContain('about flood warnings');
    expect(input).not.toContain('**');
  });

  it('keeps a plain-text article as it always was: no extracted copy, format text', async () => {
    const row = await upload('input/notes/plain.txt', `Council approves budget\n\n${prose('the budget')}`, 'text/plain');

    expect(row).toMatchObject({ state: 'QUEUED', format: 'text', title: 'Council approves budget', publishedSource: 'upload' });
    expect(row.extractedLocation).toBeUndefined();
  });

  it.each([
    ['an image', 'input/scans/page.png', Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 7)]), /image/i],
    ['a Word 97-2003 file', 'input/old/paper.doc', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(600)]), /\.docx/],
    ['a gzip of a gzip', 'input/odd/twice.gz', gzipSync(gzipSync('hello')), /gzip/i],
  ])('rejects %s with a reason that says what to upload instead', async (_case, key, bytes, reason) => {
    const row = await upload(key, bytes);

    expect(row.state).toBe('REJECTED');
    expect(row.reason).toMatch(reason);
    expect(queue.requests).toHaveLength(0);
  });

  it('reads a document larger than the text limit, but rejects text that large from its first bytes', async () => {
    const long = jatsArticle({ body: sec('Introduction', p(prose('lakes', 300))) });
    const text = `A long note\n\n${prose('notes', 400)}`;
    expect(Buffer.byteLength(long)).toBeGreaterThan(settings.maxArticleBytes);
    expect(Buffer.byteLength(text)).toBeGreaterThan(settings.maxArticleBytes);

    const document = await upload('input/big/long.nxml', long);
    const note = await upload('input/big/long.txt', text, 'text/plain');

    expect(document).toMatchObject({ state: 'QUEUED', format: 'jats' });
    expect(note.state).toBe('REJECTED');
    expect(note.reason).toBe(`too large: ${Buffer.byteLength(text)} bytes is over the 20000-byte limit (MAX_ARTICLE_BYTES)`);
  });

  it('rejects a document whose body is over the word limit, saying how many words it has', async () => {
    ({ queue, ledger, onUpload } = uploadHandlerOn(emu, undefined, { settings: { ...settings, maxDocumentWords: 50 } }));

    const row = await upload('input/big/wordy.nxml', crowsArticle());

    expect(row.state).toBe('REJECTED');
    expect(row.format).toBe('jats');
    expect(row.reason).toMatch(/^the jats document's body has \d+ words, over the 50-word limit \(MAX_DOCUMENT_WORDS\)/);
    expect(queue.requests).toHaveLength(0);
  });
});
