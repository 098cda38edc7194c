import { zipSync } from 'fflate';
import { bodyText, type ExtractedDocument } from '../../../core/documents/document';
import { MAX_DOCX_XML_BYTES, readDocx } from '../../../core/documents/docx';
import { RejectedArticleError } from '../../../core/errors';
import { buildDocx, type DocxOptions } from '../../support/documents/docx-builder';
import { testContext } from '../../support/documents/context';
import { patchZipEntry } from '../../support/documents/zip-entries';

const read = (options: DocxOptions, context = testContext({ key: 'input/manuscript.docx' })): Promise<ExtractedDocument> =>
  readDocx(buildDocx(options), context);
const paragraph = (text: string) => ({ text });
const heading = (text: string, level = 1) => ({ style: `heading ${level}`, text });

describe('readDocx: structure from paragraph styles', () => {
  it('reads headings by style-name prefix, custom styles such as "Heading 11" included', async () => {
    const document = await read({
      body: [heading('Introduction'), paragraph('Why.'), { style: 'Heading 11', text: 'Custom' }, paragraph('How.')],
    });

    expect(document.sections).toEqual([
      { heading: 'Introduction', text: 'Why.' },
      { heading: 'Custom', text: 'How.' },
    ]);
  });

  it('takes the title from the paragraph in the Title style', async () => {
    const document = await read({
      body: [{ style: 'Title', text: 'Deep Rules' }, heading('Introduction'), paragraph('Text.')],
      core: { title: 'Other' },
    });

    expect(document.title).toBe('Deep Rules');
  });

  it("takes the title from the package's dc:title when no paragraph has the Title style", async () => {
    const document = await read({ body: [heading('Introduction'), paragraph('Text.')], core: { title: 'Ten Quick Tips' } });

    expect(document.title).toBe('Ten Quick Tips');
  });

  it('ignores a dc:title that Word made from a file name', async () => {
    const document = await read({ body: [paragraph('Text.')], core: { title: 'Microsoft Word - draft3.doc' } });

    expect(document.title).toBeUndefined();
  });

  it("takes the abstract from an Abstract heading's section and keeps it out of the body", async () => {
    const document = await read({
      body: [heading('Abstract'), paragraph('We show a thing.'), paragraph('It matters.'), heading('Introduction'), paragraph('Body.')],
    });

    expect(document.abstract).toBe('We show a thing.\n\nIt matters.');
    expect(bodyText(document)).toBe('Introduction\n\nBody.');
  });

  it('takes the abstract from paragraphs in the Abstract style', async () => {
    const document = await read({ body: [{ style: 'Abstract', text: 'We show a thing.' }, heading('Introduction'), paragraph('Body.')] });

    expect(document.abstract).toBe('We show a thing.');
  });

  it('takes the keywords from cp:keywords', async () => {
    const document = await read({ body: [paragraph('Text.')], core: { keywords: 'deep learning; biology, tips' } });

    expect(document.keywords).toEqual(['deep learning', 'biology', 'tips']);
  });

  it('takes the keywords from a "Keywords:" paragraph and keeps it out of the body', async () => {
    const document = await read({
      body: [paragraph('Keywords: machine learning, ethics.'), paragraph('Text.')],
      core: { keywords: 'other' },
    });

    expect(document.keywords).toEqual(['machine learning', 'ethics']);
    expect(bodyText(document)).toBe('Text.');
  });

  it('dates the document from a Date paragraph that holds a real date', async () => {
    const document = await read({ body: [{ style: 'Date', text: 'November 30, 2021' }, paragraph('Text.')] });

    expect(document.published).toEqual({ day: '2021-11-30', source: 'document', from: 'docx Date paragraph' });
  });

  it("takes the language from the package's dc:language", async () => {
    const document = await read({ body: [paragraph('Texto.')], core: { language: 'es-PY' } });

    expect(document.language).toBe('es-PY');
  });

  it("does not date the document from the package's created and modified times", async () => {
    const document = await read({ body: [paragraph('Text.')], core: { created: '2021-11-30T02:00:00Z' } });

    expect(document.published).toBeUndefined();
  });
});

describe('readDocx: the body the model reads', () => {
  it('ends the body at the references heading', async () => {
    const document = await read({
      body: [
        heading('Results'),
        paragraph('Found.'),
        heading('References'),
        paragraph('1. Smith J. A paper. 2020.'),
        heading('Appendix A'),
        paragraph('More.'),
      ],
    });

    expect(bodyText(document)).toBe('Results\n\nFound.');
  });

  it('leaves acknowledgements out with their sub-sections, and reads on after them', async () => {
    const document = await read({
      body: [
        heading('Methods'),
        paragraph('Done.'),
        heading('Acknowledgements'),
        paragraph('Thanks.'),
        heading('Funding details', 2),
        paragraph('Grant 1.'),
        heading('Discussion'),
        paragraph('Meaning.'),
      ],
    });

    expect(document.sections.map((section) => section.heading)).toEqual(['Methods', 'Discussion']);
  });

  it('leaves the title page before the first heading out of a headed manuscript', async () => {
    const document = await read({
      body: [{ style: 'Title', text: 'T' }, paragraph('Jane Doe, University of Somewhere'), heading('Introduction'), paragraph('Body.')],
    });

    expect(bodyText(document)).toBe('Introduction\n\nBody.');
  });

  it('reads every paragraph of a manuscript without headings', async () => {
    const document = await read({ body: [{ style: 'Title', text: 'A Letter' }, paragraph('First.'), paragraph('Second.')] });

    expect(document.sections).toEqual([{ text: 'First.\n\nSecond.' }]);
  });

  it('reads a short paragraph that is bold throughout as a heading', async () => {
    const document = await read({
      body: [{ text: 'Introduction', bold: true }, paragraph('Body.'), { text: 'Acknowledgments', bold: true }, paragraph('Thanks.')],
    });

    expect(document.sections).toEqual([{ heading: 'Introduction', text: 'Body.' }]);
  });

  it('leaves tables out of the body', async () => {
    const document = await read({ body: [paragraph('Before.'), { table: [['cell one', 'cell two']] }, paragraph('After.')] });

    expect(bodyText(document)).toBe('Before.\n\nAfter.');
  });

  it('leaves footnotes and their reference marks out of the body', async () => {
    const document = await read({ body: [{ text: 'A claim.', footnote: 'A footnote that is not body.' }, paragraph('More.')] });

    expect(bodyText(document)).toBe('A claim.\n\nMore.');
  });

  it('leaves comments out of the body', async () => {
    const document = await read({ body: [{ text: 'A claim.', comment: 'Reviewer: cite this' }] });

    expect(bodyText(document)).toBe('A claim.');
  });

  it('leaves captions out of the body', async () => {
    const document = await read({
      body: [paragraph('Text.'), { style: 'Image Caption', text: 'Figure 1: A plot.' }, { style: 'caption', text: 'Table 1: Data.' }],
    });

    expect(bodyText(document)).toBe('Text.');
  });

  it('leaves numeric citations out of the text', async () => {
    const document = await read({
      body: [paragraph('Deep learning has risen [12–14], as shown [3, 5].'), { text: 'Also here', superscript: '7,8' }],
    });

    expect(bodyText(document)).toBe('Deep learning has risen, as shown.\n\nAlso here');
  });
});

describe('readDocx: bad documents end with a reason', () => {
  it('rejects a zip bomb in word/document.xml before mammoth inflates it', async () => {
    const bomb = buildDocx({ body: Array.from({ length: 20_000 }, () => paragraph('all work and no play makes a large document')) });

    await expect(readDocx(bomb, testContext({ maxExpandedBytes: 1024 * 1024 }))).rejects.toThrow(
      'the .docx file unpacks to more than 1048576 bytes, the limit for',
    );
  });

  it(`reads at most MAX_DOCX_XML_BYTES of XML, whatever maxExpandedBytes allows`, async () => {
    const large = buildDocx({ body: [paragraph('x'.repeat(MAX_DOCX_XML_BYTES))], level: 0 });

    await expect(readDocx(large, testContext({ maxExpandedBytes: 4 * MAX_DOCX_XML_BYTES }))).rejects.toThrow(
      `the .docx file unpacks to more than ${MAX_DOCX_XML_BYTES} bytes`,
    );
  });

  it('rejects word/document.xml when it inflates past the size its central directory declares', async () => {
    const lying = patchZipEntry(buildDocx({ body: [paragraph('Text. '.repeat(1000))] }), 'word/document.xml', { size: 200 });

    await expect(readDocx(lying, testContext())).rejects.toThrow('entry word/document.xml inflates to more than the 200 bytes it declares');
  });

  it('reads a .docx whose images declare any size, since images are never unpacked', async () => {
    const withImage = buildDocx({ body: [paragraph('Text.')], extra: { 'word/media/image1.png': new Uint8Array(1000) } });

    const document = await readDocx(patchZipEntry(withImage, 'word/media/image1.png', { size: 0xfffffff0 }), testContext());

    expect(bodyText(document)).toBe('Text.');
  });

  it('rejects a truncated .docx', async () => {
    const whole = buildDocx({ body: [paragraph('Text. '.repeat(1000))] });

    await expect(readDocx(whole.subarray(0, whole.length - 100), testContext())).rejects.toThrow(
      'the .docx file is truncated or not a complete zip archive',
    );
  });

  it('rejects a password-protected .docx, saying it is an OLE2 file', async () => {
    const encrypted = new Uint8Array([
      0xd0,
      0xcf,
      0x11,
      0xe0,
      0xa1,
      0xb1,
      0x1a,
      0xe1,
      ...new Uint8Array(504),
      ...Buffer.from('EncryptedPackage', 'utf16le'),
    ]);

    await expect(readDocx(encrypted, testContext())).rejects.toThrow(
      new RejectedArticleError(
        'A password-protected Office document (an encrypted .docx is stored as an OLE2 file) is not read: remove the password in Word (File > Info > Protect Document) and upload the .docx again',
      ),
    );
  });

  it('rejects a zip package without a Word document in it', async () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    const notWord = zipSync({ '[Content_Types].xml': encode('<Types/>'), 'word/styles.xml': encode('<w:styles/>') });

    await expect(readDocx(notWord, testContext())).rejects.toThrow(
      'the .docx file could not be read as a Word document: Could not find main document part. Are you sure this is a valid .docx file?',
    );
  });

  it('rejects a part that declares a DOCTYPE, never expanding its entities', async () => {
    const doctype = buildDocx({
      body: [paragraph('Text.')],
      extra: { 'word/settings.xml': new TextEncoder().encode('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>') },
    });

    await expect(readDocx(doctype, testContext())).rejects.toThrow('its part word/settings.xml declares a DOCTYPE');
  });

  it('finds a DOCTYPE however far a padded prolog pushes it', async () => {
    const padded = `<?xml version="1.0"?>${' '.repeat(10_000)}<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>`;
    const doctype = buildDocx({ body: [paragraph('Text.')], extra: { 'word/settings.xml': new TextEncoder().encode(padded) } });

    await expect(readDocx(doctype, testContext())).rejects.toThrow('its part word/settings.xml declares a DOCTYPE');
  });

  it('rejects a document with no body text', async () => {
    await expect(read({ body: [{ style: 'Title', text: 'Only a title' }] })).rejects.toThrow(
      'the .docx file has no body text to summarize',
    );
  });

  it('stops when the deadline has passed', async () => {
    const context = testContext();
    context.expire();

    await expect(readDocx(buildDocx({ body: [paragraph('Text.')] }), context)).rejects.toThrow(
      "took longer than the function's time allows",
    );
  });
});
