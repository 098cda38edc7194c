import { buildDocx } from '../support/documents/docx-builder';
import { prose } from '../support/documents/context';
import { htmlPage, meta } from '../support/documents/html';
import { jatsArticle, p, sec } from '../support/documents/jats';
import { paper, tarGzOf } from '../support/documents/latex-builder';
import { buildPaper } from '../support/documents/pdf-paper';
import { samplePaper, SAMPLE_TITLE } from '../support/documents/pdf-sample';
import { putArticle, startTestCloud, terminalRows, type TestCloud } from '../support/local-cloud';

/**
 * Every format through the local cloud: the packaged submit-article bundle in the local Lambda
 * runtime's worker thread, whose readers are files of their own beside the handler
 * (`handler.lazy/*.js`, deploy/esbuild-plugins.js), required on each format's first document.
 */
describe('the local cloud reads each document format with its on-demand reader', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    // What is tested is the reading: the stand-in model answers at once, and at a time scale of 60
    // the request TTL and invocation timeout (6 h and 15 min simulated) are minutes and seconds of
    // real time, out of reach of a loaded machine.
    cloud = await startTestCloud({ timeScale: 60, modelArgs: ['--mode', 'fixed', '--latency-ms', '10'] });
  }, 60_000);
  afterAll(async () => cloud.dispose());

  it('summarizes a PDF, a .docx, JATS, a web page, a LaTeX tarball, Markdown and text, each with its own title', async () => {
    // Prepare
    const articles: [key: string, body: string | Buffer, format: string, title: string | undefined][] = [
      ['input/formats/paper.pdf', Buffer.from((await buildPaper(samplePaper())).bytes), 'pdf', SAMPLE_TITLE],
      [
        'input/formats/tips.docx',
        Buffer.from(
          buildDocx({
            core: { title: 'Ten quick tips for glacier monitoring' },
            body: [
              { style: 'Title', text: 'Ten quick tips for glacier monitoring' },
              { style: 'heading 1', text: 'Introduction' },
              { text: prose('monitoring glaciers') },
            ],
          }),
        ),
        'docx',
        'Ten quick tips for glacier monitoring',
      ],
      [
        'input/formats/crows.nxml',
        jatsArticle({ title: 'Counting crows near glacial lakes', body: sec('Introduction', p(prose('counting crows'))) }),
        'jats',
        'Counting crows near glacial lakes',
      ],
      [
        'input/formats/page.html',
        htmlPage({
          head: meta('citation_title', 'Lakes that drain overnight'),
          body: `<article><h1>Lakes that drain overnight</h1><p>${prose('draining lakes')}</p></article>`,
        }),
        'html',
        'Lakes that drain overnight',
      ],
      [
        'input/formats/claims.tar.gz',
        Buffer.from(
          tarGzOf({
            'main.tex': paper({
              preamble: '\\title{Verifying claims about glaciers}',
              body: `\\maketitle\\section{Introduction}${prose('scientific claims')}`,
            }),
          }),
        ),
        'latex',
        'Verifying claims about glaciers',
      ],
      [
        'input/formats/notes.md',
        `---\ntitle: Lakes and floods\n---\n\n# Introduction\n\n${prose('flood warnings')}\n`,
        'markdown',
        'Lakes and floods',
      ],
      ['input/formats/plain.txt', `Glacial lakes\n\n${prose('glacial lakes')}`, 'text', undefined],
    ];

    // Act
    for (const [key, body] of articles) await putArticle(cloud, key, body, 'application/octet-stream');
    const rows = await terminalRows(
      cloud,
      articles.map(([key]) => key),
      90_000,
    );

    // Assess
    const outcome = (key: string) => {
      const row = rows.get(key);
      return row?.state === 'COMPLETED' ? row.state : `${row?.state}: ${row?.reason}`;
    };
    expect(articles.map(([key]) => [key, outcome(key), rows.get(key)?.format])).toEqual(
      articles.map(([key, , format]) => [key, 'COMPLETED', format]),
    );
    for (const [key, , , title] of articles) if (title) expect(rows.get(key)?.title).toBe(title);
  }, 120_000);
});
