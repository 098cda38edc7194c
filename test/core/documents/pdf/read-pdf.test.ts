import { bodyText, type ReadContext } from '../../../../core/documents/document';
import { readPdf } from '../../../../core/documents/pdf/read-pdf';
import { type BuiltPaper, buildPaper } from '../../../support/documents/pdf-paper';
import {
  asRead,
  SAMPLE_ABSTRACT,
  SAMPLE_ACKNOWLEDGEMENTS,
  SAMPLE_CAPTION,
  SAMPLE_FOOTNOTE,
  SAMPLE_KEYWORDS,
  SAMPLE_REFERENCES,
  SAMPLE_RUNNING_HEADER,
  SAMPLE_SECTIONS,
  SAMPLE_TITLE,
  samplePaper,
} from '../../../support/documents/pdf-sample';

const context = (overrides: Partial<ReadContext> = {}): ReadContext => ({
  key: 'input/papers/glacial-lakes.pdf',
  maxExpandedBytes: 64 * 1024 * 1024,
  deadline: Date.now() + 60_000,
  now: Date.now,
  ...overrides,
});

const allParagraphs = SAMPLE_SECTIONS.flatMap((section) => section.paragraphs.map(asRead));

describe('reading a two-column paper', () => {
  let paper: BuiltPaper;

  beforeAll(async () => {
    paper = await buildPaper(samplePaper({ columns: 2 }));
  });

  it('was typeset on two pages, with words broken at line ends (the premise of the tests below)', () => {
    expect(paper.pages).toBe(2);
    expect(paper.brokenWords).toEqual(expect.arrayContaining(['state-of-the-art', 'representation', 'low-cost']));
  });

  it('takes the title from the largest lines at the top of page 1 when the PDF has no Title', async () => {
    const document = await readPdf(paper.bytes, context());

    expect(document.title).toBe(SAMPLE_TITLE);
  });

  it("gives the author's abstract after its label, and keeps it out of the body", async () => {
    const document = await readPdf(paper.bytes, context());

    expect(document.abstract).toBe(asRead(SAMPLE_ABSTRACT));
    expect(bodyText(document)).not.toContain('Glacial lakes grow as mountain glaciers retreat');
  });

  it('gives the keywords of the Keywords line', async () => {
    const document = await readPdf(paper.bytes, context());

    expect(document.keywords).toEqual(SAMPLE_KEYWORDS);
  });

  it('gives the section headings in order, without the acknowledgements and references', async () => {
    const document = await readPdf(paper.bytes, context());

    expect(document.sections.map((section) => section.heading)).toEqual(SAMPLE_SECTIONS.map((section) => section.heading));
  });

  it('reads each column top to bottom, left column first: every paragraph comes out whole and in order', async () => {
    const document = await readPdf(paper.bytes, context());

    const paragraphs = document.sections.flatMap((section) => section.text.split('\n\n'));
    expect(paragraphs).toEqual(allParagraphs);
  });

  it('leaves out the running header and the page numbers', async () => {
    const document = await readPdf(paper.bytes, context());

    const body = bodyText(document);
    expect(body).not.toContain(SAMPLE_RUNNING_HEADER);
    expect(body.split('\n\n')).not.toContain('1');
    expect(body.split('\n\n')).not.toContain('2');
  });

  it('leaves the footnote, its marker and the figure caption out of the body', async () => {
    const document = await readPdf(paper.bytes, context());

    const body = bodyText(document);
    expect(body).not.toContain(SAMPLE_FOOTNOTE.slice(2, 40));
    expect(body).not.toContain(SAMPLE_CAPTION.slice(0, 40));
    expect(body).toContain('tens of kilometres down the valley. Early warning');
  });

  it('joins words broken at line ends, and keeps the hyphens of compounds', async () => {
    const document = await readPdf(paper.bytes, context());

    const body = bodyText(document);
    expect(body).toContain('The representation of a measurement');
    expect(body).toContain('with a state-of-the-art design');
    expect(body).toContain('built from low-cost parts');
    expect(body).not.toMatch(/repre- ?sentation|state-of- the|low- cost/);
  });

  it('spells out the ligatures the fonts draw as one glyph', async () => {
    const document = await readPdf(paper.bytes, context());

    const body = bodyText(document);
    expect(body).toContain('can fill the gap between these two approaches');
    expect(body).toContain('with a floating echo sounder');
    expect(`${document.abstract}\n${body}`).not.toMatch(/[\ufb00-\ufb06]/);
  });

  it("leaves publisher boilerplate out of the body, even at the body's size (the ACM permission block)", async () => {
    const permission =
      'Permission to make digital or hard copies of all or part of this work for personal or classroom use is granted without fee provided that copies are not made or distributed for profit.';
    const withPermission = await buildPaper(samplePaper({ columns: 2, permission }));

    const document = await readPdf(withPermission.bytes, context());

    expect(bodyText(document)).not.toContain('classroom use');
    expect(document.sections.flatMap((section) => section.text.split('\n\n'))).toEqual(allParagraphs);
  });

  it('leaves out the acknowledgements, the reference list and everything after it', async () => {
    const document = await readPdf(paper.bytes, context());

    const body = bodyText(document);
    expect(body).not.toContain(SAMPLE_ACKNOWLEDGEMENTS.slice(0, 30));
    for (const reference of SAMPLE_REFERENCES) expect(body).not.toContain(reference.slice(4, 40));
    expect(body).not.toContain('References');
  });

  it('counts the pages and dates the document from its CreationDate, approximately', async () => {
    const document = await readPdf(paper.bytes, context());

    expect(document).toMatchObject({
      format: 'pdf',
      pages: 2,
      unusablePages: [],
      published: { day: '2024-03-05', source: 'document-approximate', from: 'PDF CreationDate' },
    });
  });

  it('leaves the bytes it was given as they were', async () => {
    const bytes = paper.bytes.slice();

    await readPdf(bytes, context());

    expect(Buffer.from(bytes).equals(Buffer.from(paper.bytes))).toBe(true);
  });
});

describe('reading a single-column paper', () => {
  it('gives every paragraph whole and in order, and the title from the layout when the PDF Title is junk', async () => {
    const paper = await buildPaper(samplePaper({ columns: 1, metadata: { title: 'Microsoft Word - draft-3.docx' } }));

    const document = await readPdf(paper.bytes, context());

    expect(document.title).toBe(SAMPLE_TITLE);
    expect(document.sections.flatMap((section) => section.text.split('\n\n'))).toEqual(allParagraphs);
  });

  it('takes an unlabelled abstract (ACM style) from the prose before the first numbered section', async () => {
    const paper = await buildPaper(samplePaper({ columns: 1, abstractStyle: 'none', keywords: undefined }));

    const document = await readPdf(paper.bytes, context());

    expect(document.abstract).toBe(asRead(SAMPLE_ABSTRACT));
    expect(document.sections[0]?.heading).toBe('1 Introduction');
  });

  it('reads an IEEE-style front page: "Abstract—" before the abstract, "Index Terms—" before the keywords', async () => {
    const paper = await buildPaper(samplePaper({ columns: 1, abstractStyle: 'run-in', keywordsLabel: 'Index Terms—' }));

    const document = await readPdf(paper.bytes, context());

    expect(document.abstract).toBe(asRead(SAMPLE_ABSTRACT));
    expect(document.keywords).toEqual(SAMPLE_KEYWORDS);
  });

  it('uses the PDF Title when page 1 shows it', async () => {
    const paper = await buildPaper(samplePaper({ columns: 1, metadata: { title: SAMPLE_TITLE } }));

    const document = await readPdf(paper.bytes, context());

    expect(document.title).toBe(SAMPLE_TITLE);
  });

  it('dates a preprint from the arXiv stamp in its margin, and keeps the stamp out of the text', async () => {
    const paper = await buildPaper(samplePaper({ columns: 1, arxivStamp: 'arXiv:2004.14974v2 [cs.CL] 30 Apr 2020' }));

    const document = await readPdf(paper.bytes, context());

    expect(document.published).toEqual({
      day: '2020-04-30',
      source: 'document-approximate',
      from: 'arXiv stamp "arXiv:2004.14974v2 [cs.CL] 30 Apr 2020"',
    });
    expect(bodyText(document)).not.toContain('arXiv');
    expect(document.abstract).not.toContain('arXiv');
  });
});
