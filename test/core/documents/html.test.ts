import { bodyText } from '../../../core/documents/document';
import { MAX_PAGE_CHARS, readHtml } from '../../../core/documents/html';
import { RejectedArticleError } from '../../../core/errors';
import { pastDeadline, prose, readContext, singleByte, utf8 } from '../../support/documents/context';
import { furniture, htmlPage, meta, type PageParts } from '../../support/documents/html';
import { startRecordingServer } from '../../support/documents/no-fetch-server';

const read = (parts: PageParts) => readHtml(utf8(htmlPage(parts)), readContext());

/** A publisher's article page: citation_* tags, furniture all round, an abstract, sections and references. */
const publisherPage = (): PageParts => ({
  lang: 'en',
  title: 'Yolk antibodies | PLOS ONE',
  head:
    meta('citation_title', 'Assessment of REV infection based on yolk antibody') +
    meta('citation_abstract', 'Reticuloendotheliosis virus contaminates vaccines.') +
    meta('citation_date', 'Apr 22, 2019') +
    meta('citation_keywords', 'vaccines; poultry') +
    meta('citation_reference', 'citation_title=Occurrence of reticuloendotheliosis in Chinese partridge'),
  body: `${furniture.header}${furniture.nav}${furniture.cookieBanner}
    <main><article>
      <h1>Assessment of REV infection based on yolk antibody</h1>
      <div class="abstract"><h2>Abstract</h2><p>Reticuloendotheliosis virus contaminates vaccines.</p></div>
      <p class="articleinfo"><strong>Citation:</strong> Li Y (2019) Assessment. PLoS ONE 14(4).</p>
      <h2>Introduction</h2>
      <p>${prose('reticuloendotheliosis')} Infection is common [<a href="#pone.0213978.ref001" class="ref-tip">1</a>–<a href="#pone.0213978.ref003" class="ref-tip">3</a>].</p>
      <div class="figure"><img src="f1.png"><div class="figcaption">Fig 1. Caption words.</div></div>
      <figure><img src="f2.png"><figcaption>Figure 2. More caption words.</figcaption></figure>
      <table><tr><td>Table cell words</td></tr></table>
      ${furniture.share}
      <h2>Acknowledgments</h2><p>We thank the staff.</p>
      <h2>References</h2><ol class="references"><li id="ref1">Cheng Z. (2007) Occurrence of reticuloendotheliosis in Chinese partridge.</li></ol>
      <h2>Comments</h2><p>Reader comment after the references.</p>
    </article>${furniture.aside}</main>${furniture.script}${furniture.footer}`,
});

describe('readHtml: what the page states about itself', () => {
  it('takes the title, abstract and keywords from citation_* meta tags', async () => {
    const document = await read(publisherPage());

    expect(document).toMatchObject({
      format: 'html',
      title: 'Assessment of REV infection based on yolk antibody',
      abstract: 'Reticuloendotheliosis virus contaminates vaccines.',
      keywords: ['vaccines', 'poultry'],
      language: 'en',
    });
  });

  it('normalises citation_date "Apr 22, 2019" to 2019-04-22', async () => {
    const document = await read(publisherPage());

    expect(document.published).toEqual({ day: '2019-04-22', source: 'document', from: 'citation_date' });
  });

  it.each([
    ['2019/04/22', '2019-04-22'],
    ['2019-04-22T08:00:00-05:00', '2019-04-22'],
    ['22 April 2019', '2019-04-22'],
    ['2019 Apr 22', '2019-04-22'],
  ])('reads citation_publication_date written as %s', async (written, day) => {
    const document = await read({ ...publisherPage(), head: meta('citation_publication_date', written) });

    expect(document.published?.day).toBe(day);
  });

  it('prefers citation_publication_date to citation_online_date', async () => {
    const document = await read({
      ...publisherPage(),
      head: meta('citation_online_date', '2019/03/01') + meta('citation_publication_date', '2019/04/22'),
    });

    expect(document.published).toEqual({ day: '2019-04-22', source: 'document', from: 'citation_publication_date' });
  });

  it('reads Dublin Core tags (DC.title, DC.date, DC.subject) when there are no citation_* tags', async () => {
    const document = await read({
      title: 'Site name',
      head:
        meta('DC.title', 'Counting crows') +
        meta('DC.date', '2018-12-08') +
        meta('DC.subject', 'crows') +
        meta('DC.subject', 'fission-fusion'),
      body: `<article><h2>Introduction</h2><p>${prose('crows')}</p></article>`,
    });

    expect(document).toMatchObject({
      title: 'Counting crows',
      published: { day: '2018-12-08', source: 'document', from: 'dc.date' },
      keywords: ['crows', 'fission-fusion'],
    });
  });

  it('dates a page that gives only a month as approximate', async () => {
    const document = await read({ ...publisherPage(), head: meta('citation_publication_date', 'April 2019') });

    expect(document.published).toEqual({ day: '2019-04-01', source: 'document-approximate', from: 'citation_publication_date' });
  });
});

describe('readHtml: the body', () => {
  it('leaves navigation, header, cookie banner, sharing, aside, scripts, styles, forms and footer out', async () => {
    const document = await read(publisherPage());

    expect(bodyText(document)).not.toMatch(/furniture|cookie|newsletter|tracking/i);
  });

  it('keeps the article sections with their headings, and the abstract and its metadata out', async () => {
    const document = await read(publisherPage());

    expect(document.sections.map((section) => section.heading)).toEqual(['Introduction']);
    expect(bodyText(document)).not.toMatch(/contaminates vaccines|Citation:/);
  });

  it('leaves figures, captions and tables out', async () => {
    const document = await read(publisherPage());

    expect(bodyText(document)).not.toMatch(/caption|Table cell/i);
  });

  it('leaves the reference list and everything after it out, and inline citations with their brackets', async () => {
    const document = await read(publisherPage());

    expect(bodyText(document)).not.toMatch(/partridge|Reader comment|We thank/);
    expect(document.sections[0]?.text).toMatch(/Infection is common\.$/);
  });

  it('reads only the article when the page marks one, not the prose beside it', async () => {
    const document = await read({
      body: `<div class="column"><p>${prose('another story')}</p></div><article><h2>Introduction</h2><p>${prose('crows')}</p></article>`,
    });

    expect(bodyText(document)).not.toContain('another story');
    expect(document.sections.map((section) => section.heading)).toEqual(['Introduction']);
  });

  it('takes the abstract from an Abstract section when the page has no meta tags', async () => {
    const document = await read({
      body: `<article><h1>Crows</h1><section><h2>Abstract</h2><p>Crows live in groups.</p><p>Keywords: crows; groups</p></section><section><h2>Introduction</h2><p>${prose('crows')}</p></section></article>`,
    });

    expect(document).toMatchObject({ abstract: 'Crows live in groups.', keywords: ['crows', 'groups'] });
    expect(document.sections.map((section) => section.heading)).toEqual(['Introduction']);
  });

  it('reads a page without meta tags or article markup with Readability, taking bold paragraphs as headings (First Monday)', async () => {
    const document = await read({
      title: 'Surveillance, stigma and sociotechnical design for HIV',
      body: `<blockquote>
        <p><img src="abstract.gif" alt="Abstract"><br>Online dating platforms have changed practices of sex and love.</p>
        <p><strong>Contents</strong></p><p><a href="#p1">Introduction</a><br><a href="#p2">Methods</a></p>
        <p><strong><a name="p1"></a>Introduction</strong></p><p>${prose('platforms')}<sup><a name="1a"></a><a href="#1">1</a></sup></p>
        <p><strong><a name="p2"></a>Methods</strong></p><p>${prose('content analysis')}</p>
        <p><strong>Notes</strong></p><p><a name="1"></a><a href="#1a">1.</a> Halperin and Hoppe, 2017, p. 349.</p>
        <p><strong>References</strong></p><p>Barry D. Adam, 2014. Impacts of criminalization.</p>
      </blockquote>`,
    });

    expect(document.title).toBe('Surveillance, stigma and sociotechnical design for HIV');
    expect(document.abstract).toBe('Online dating platforms have changed practices of sex and love.');
    expect(document.sections.map((section) => section.heading)).toEqual(['Introduction', 'Methods']);
    expect(bodyText(document)).not.toMatch(/Halperin|criminalization/);
    expect(document.sections[0]?.text).toMatch(/follow\.$/);
  });

  it('reads bold paragraphs as headings only when every word is bold and they are not sentences', async () => {
    const document = await read({
      body: `<article><p><b>Results</b></p><p><b>Note:</b> ${prose('results')}</p><p><strong>This whole sentence is emphasised.</strong></p></article>`,
    });

    expect(document.sections.map((section) => section.heading)).toEqual(['Results']);
    expect(document.sections[0]?.text).toMatch(/^Note: .*\n\nThis whole sentence is emphasised\.$/s);
  });

  it('reads list items as sentences', async () => {
    const document = await read({ body: `<article><p>${prose('lists')}</p><ul><li>first item</li><li>second item!</li></ul></article>` });

    expect(bodyText(document)).toMatch(/\n\nfirst item\.\n\nsecond item!$/);
  });
});

describe('readHtml: charsets', () => {
  const body = `<article><h2>Introducción</h2><p>Los niños de Azote\u0092y. ${prose('nutrición')}</p></article>`;

  it('decodes a page declaring ISO-8859-1 as windows-1252, as browsers do', async () => {
    const page = htmlPage({ charset: '<meta charset="iso-8859-1">', body });

    const document = await readHtml(singleByte(page), readContext());

    expect(document.sections[0]).toMatchObject({ heading: 'Introducción' });
    expect(document.sections[0]?.text).toMatch(/^Los niños de Azote’y\./);
  });

  it('reads the charset of an http-equiv Content-Type meta tag', async () => {
    const page = htmlPage({ charset: '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', body });

    const document = await readHtml(singleByte(page), readContext());

    expect(document.sections[0]?.text).toMatch(/^Los niños de Azote’y\./);
  });

  it('lets a byte order mark win over the declared charset', async () => {
    const page = htmlPage({ charset: '<meta charset="iso-8859-1">', body: body.replace('\u0092', '’') });

    const document = await readHtml(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(page)]), readContext());

    expect(document.sections[0]?.text).toMatch(/^Los niños de Azote’y\./);
  });

  it('reads an undeclared page that is not UTF-8 as windows-1252', async () => {
    const document = await readHtml(singleByte(htmlPage({ charset: '', body })), readContext());

    expect(document.sections[0]?.text).toMatch(/^Los niños de Azote’y\./);
  });
});

describe('readHtml: safety and bad pages', () => {
  it('fetches nothing the page points at (stylesheets, scripts, images, frames)', async () => {
    const server = await startRecordingServer();
    try {
      const page = publisherPage();
      const head = `<link rel="stylesheet" href="${server.url}/style.css"><script src="${server.url}/app.js"></script>`;
      const body = `<img src="${server.url}/figure.png"><iframe src="${server.url}/frame.html"></iframe><object data="${server.url}/object.swf"></object>${page.body}`;

      await read({ ...page, head: `${page.head}${head}`, body });

      expect(await server.barrier()).toEqual(['/barrier']);
    } finally {
      await server.close();
    }
  });

  it('throws RejectedArticleError for a page with no readable body', async () => {
    const page = { body: `${furniture.nav}${furniture.cookieBanner}<main><p>Sign in to read.</p></main>${furniture.footer}` };

    await expect(read(page)).rejects.toThrow(/^the page has no readable body \(\d+ words outside navigation/);
  });

  it('throws RejectedArticleError for a page over the size it reads', async () => {
    const page = htmlPage({ body: `<p>${'x'.repeat(MAX_PAGE_CHARS)}</p>` });

    await expect(readHtml(utf8(page), readContext())).rejects.toThrow(RejectedArticleError);
  });

  it('throws RejectedArticleError once the deadline has passed', async () => {
    await expect(readHtml(utf8(htmlPage(publisherPage())), pastDeadline())).rejects.toThrow(/took longer than the function's time allows/);
  });

  it('throws RejectedArticleError for elements nested deeper than any page', async () => {
    const page = htmlPage({ body: `<article>${'<div>'.repeat(600)}${prose('depth')}${'</div>'.repeat(600)}</article>` });

    await expect(readHtml(utf8(page), readContext())).rejects.toThrow(/nests elements more than 400 deep/);
  });
});
