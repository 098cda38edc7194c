import { bodyText } from '../../../core/documents/document';
import { readJats } from '../../../core/documents/jats';
import { RejectedArticleError } from '../../../core/errors';
import { pastDeadline, prose, readContext, singleByte, utf8 } from '../../support/documents/context';
import { jatsArticle, type JatsParts, p, sec } from '../../support/documents/jats';
import { startRecordingServer } from '../../support/documents/no-fetch-server';

const read = (parts: JatsParts) => readJats(utf8(jatsArticle(parts)), readContext());

describe('readJats: title', () => {
  it('takes the article-title without its footnote and citation markers', async () => {
    const document = await read({
      title:
        'Factors influencing lysis time in bacteriophage &#x003bb;<xref ref-type="fn" rid="fn1">*</xref><sup><xref ref-type="bibr" rid="b1">1</xref></sup>',
    });

    expect(document.title).toBe('Factors influencing lysis time in bacteriophage λ');
  });
});

describe("readJats: the author's abstract", () => {
  it('takes the untyped abstract, never the eLife digest (abstract-type="executive-summary")', async () => {
    const document = await read({
      abstracts:
        '<abstract><object-id pub-id-type="doi">10.7554/eLife.00005.001</object-id><p>PRC2 is essential for gene silencing.</p></abstract>' +
        '<abstract abstract-type="executive-summary"><title>eLife digest</title><p>Genes are switched off by proteins.</p></abstract>',
    });

    expect(document.abstract).toBe('PRC2 is essential for gene silencing.');
  });

  it.each([
    ['a PLOS Author Summary', 'summary'],
    ['an OUP teaser', 'teaser'],
  ])('never takes %s (abstract-type="%s"), wherever it stands', async (_, type) => {
    const document = await read({
      abstracts: `<abstract abstract-type="${type}"><p>A shorter text for a wider audience.</p></abstract><abstract><p>The real abstract.</p></abstract>`,
    });

    expect(document.abstract).toBe('The real abstract.');
  });

  it('joins a structured abstract part by part, each with its heading', async () => {
    const document = await read({
      abstracts:
        '<abstract><sec><title>Background</title><p>Lysis timing varies.</p></sec><sec><title>Results</title><p>Holin sequence matters.</p><p>So does growth.</p></sec></abstract>',
    });

    expect(document.abstract).toBe('Background: Lysis timing varies.\nResults: Holin sequence matters. So does growth.');
  });

  it("takes the abstract in the article's language over a trans-abstract and other languages", async () => {
    const document = await read({
      lang: 'es',
      abstracts:
        '<abstract xml:lang="en"><p>Malnutrition in children.</p></abstract><abstract xml:lang="es"><p>Desnutrición en niños.</p></abstract>' +
        '<trans-abstract xml:lang="en"><p>Malnutrition again.</p></trans-abstract>',
    });

    expect(document.abstract).toBe('Desnutrición en niños.');
    expect(document.language).toBe('es');
  });

  it('reads the language from the first article-title when <article> has no xml:lang (SciELO)', async () => {
    const document = await read({
      title: '<![CDATA[Prevalencia de desnutrición]]></article-title><article-title xml:lang="en"><![CDATA[Prevalence of malnutrition]]>',
      abstracts:
        '<abstract abstract-type="short" xml:lang="es"><p><![CDATA[Resumen en español.]]></p></abstract><abstract abstract-type="short" xml:lang="en"><p><![CDATA[English summary.]]></p></abstract>',
    });

    expect(document.title).toBe('Prevalencia de desnutrición');
    expect(document.abstract).toBe('Resumen en español.');
  });
});

describe('readJats: encodings and entities', () => {
  it('decodes the bytes in the encoding the XML declaration names (ISO-8859-1, read as browsers read it)', async () => {
    const xml = jatsArticle({ prolog: '<?xml version="1.0" encoding="ISO-8859-1"?>', title: 'Ni\u00f1os de Azote\u0092y' });

    const document = await readJats(singleByte(xml), readContext());

    expect(document.title).toBe('Niños de Azote’y');
  });

  it('lets a byte order mark win over the declared encoding', async () => {
    const xml = jatsArticle({ prolog: '<?xml version="1.0" encoding="ISO-8859-1"?>', title: 'Niños' });

    const document = await readJats(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(xml)]), readContext());

    expect(document.title).toBe('Niños');
  });

  it('decodes the predefined entities and character references', async () => {
    const document = await read({ title: 'A &amp; B &lt;C&gt; &#955;&#x3bb; &quot;q&quot; &apos;s' });

    expect(document.title).toBe('A & B <C> λλ "q" \'s');
  });

  it('never expands the entities of an internal DOCTYPE subset (an entity bomb stays a few bytes)', async () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const doctype = `<!DOCTYPE article [<!ENTITY lol0 "lol">${levels}]>`;

    const document = await read({ doctype, body: `${plainSection()}<sec><title>Bomb</title><p>Before &lol9; after.</p></sec>` });

    const body = bodyText(document);
    expect(body).toContain('Before after.');
    expect(body).not.toContain('lol');
    expect(body.length).toBeLessThan(5_000);
  });

  it('fetches nothing a DOCTYPE points at (external DTD and entities)', async () => {
    const server = await startRecordingServer();
    try {
      const doctype = `<!DOCTYPE article SYSTEM "${server.url}/article.dtd" [<!ENTITY remote SYSTEM "${server.url}/remote.ent">]>`;

      const document = await read({ doctype, body: sec('Introduction', p(`${prose('lakes')} &remote;`)) });

      expect(bodyText(document)).not.toContain('FETCHED');
      expect(await server.barrier()).toEqual(['/barrier']);
    } finally {
      await server.close();
    }
  });
});

const plainSection = (): string => sec('Introduction', p(prose('lakes')));

describe('readJats: the body', () => {
  it('keeps nested section titles as headings, with their labels', async () => {
    const document = await read({
      body: `<sec><label>1</label><title>Methods</title>${p('Overview.')}<sec><label>1.1</label><title>Sampling</title>${p('We sampled.')}</sec></sec>`,
    });

    expect(document.sections).toEqual([
      { heading: '1 Methods', text: 'Overview.' },
      { heading: '1.1 Sampling', text: 'We sampled.' },
    ]);
  });

  it('leaves figures, tables, formulas and MathML out, and keeps the sentence around a formula whole', async () => {
    const document = await read({
      body: sec(
        'Results',
        p(
          'Rates follow <disp-formula id="e1"><mml:math><mml:mi>r</mml:mi><mml:mo>=</mml:mo><mml:mn>7</mml:mn></mml:math></disp-formula> where growth is <inline-formula><tex-math>\\alpha</tex-math></inline-formula> steady (<xref ref-type="fig" rid="f1">Figure 1A</xref>).',
        ),
        '<fig id="f1"><label>Figure 1</label><caption><p>Caption words.</p></caption><graphic xlink:href="f1.tif"/></fig>',
        '<table-wrap id="t1"><caption><p>Table caption.</p></caption><table><tr><td>cell value</td></tr></table></table-wrap>',
      ),
    });

    expect(document.sections).toEqual([{ heading: 'Results', text: 'Rates follow where growth is steady (Figure 1A).' }]);
  });

  it('leaves inline citations out with the brackets and parentheses around them', async () => {
    const cite = (id: string, text: string) => `<xref ref-type="bibr" rid="${id}">${text}</xref>`;
    const document = await read({
      body: sec(
        'Introduction',
        p(
          `Lakes grow [${cite('b1', '1')}–${cite('b3', '3')}]. They drain (${cite('b4', 'Smith et al., 2010')}; ${cite('b5', 'Jones, 2012')}).`,
        ),
        p(`Floods follow${cite('b6', '<sup>6</sup>')}, as ${cite('b7', 'Lee (2015)')} showed.`),
      ),
    });

    expect(document.sections[0]?.text).toBe('Lakes grow. They drain.\n\nFloods follow, as showed.');
  });

  it('leaves the reference list, footnotes, supplementary material and all of <back> out', async () => {
    const document = await read({
      body:
        sec('Introduction', p('Body words.'), '<fn-group><fn id="fn1"><p>Footnote words.</p></fn></fn-group>') +
        '<sec sec-type="supplementary-material"><title>Additional files</title><supplementary-material><caption><p>Supplement words.</p></caption></supplementary-material></sec>',
      back:
        '<ack><title>Acknowledgements</title><p>Thanks words.</p></ack><app-group><app><title>Appendix</title><p>Appendix words.</p></app></app-group>' +
        '<ref-list><ref id="b1"><mixed-citation>Smith J. Reference words. 2010.</mixed-citation></ref></ref-list>',
      after:
        '<sub-article article-type="reply"><front-stub><title-group><article-title>Author response</article-title></title-group></front-stub><body><p>Reply words.</p></body></sub-article>',
    });

    expect(bodyText(document)).toBe('Introduction\n\nBody words.');
  });

  it('reads HTML inside CDATA bodies (SciELO): bold paragraphs as headings, front matter and abstracts out, references end it', async () => {
    const html = (...parts: string[]) => `<body><![CDATA[${parts.join('')}]]></body>`;
    const bold = (text: string) => `<p><font size="3" face="Verdana"><b>${text}</b></font></p>`;
    const body = [
      html(bold('ART&Iacute;CULO ORIGINAL'), bold('Prevalencia de desnutrici&oacute;n'), '<p>Autores del Hospital.</p>'),
      html(
        bold('RESUMEN'),
        '<p><b>Introducci&oacute;n: </b>La infancia.</p>',
        '<p><b>Palabras clave</b>: desnutrición.</p>',
        bold('SUMMARY'),
        '<p>Childhood.</p>',
      ),
      html(bold('INTRODUCCI&Oacute;N'), `<p><font size="2">${prose('la nutrición')} (1).</font></p>`),
      html(
        `<p>La desnutrici&oacute;n sigue.</p>`,
        bold('AGRADECIMIENTOS'),
        '<p>Gracias.</p>',
        bold('REFERENCIAS'),
        '<p>1. Monteiro CA. Fome, desnutri&ccedil;&atilde;o.</p>',
      ),
    ].join('\n');
    const xml = jatsArticle({ body: 'X' }).replace('<body>X</body>', body);

    const document = await readJats(utf8(xml), readContext());

    expect(document.sections.map((section) => section.heading)).toEqual(['INTRODUCCIÓN']);
    expect(document.sections[0]?.text).toMatch(/^Sentence 1 about la nutrición .* \(1\)\.\n\nLa desnutrición sigue\.$/);
  });

  it('throws RejectedArticleError when the article has no body text', async () => {
    await expect(read({ body: null })).rejects.toThrow(
      new RejectedArticleError('the JATS article has no body text (front matter only); upload the full text'),
    );
  });
});

describe('readJats: keywords and date', () => {
  it("lists the keywords of the article's language first, and no abbreviation list", async () => {
    const document = await read({
      lang: 'es',
      keywords:
        '<kwd-group kwd-group-type="abbreviations"><kwd>RVF</kwd></kwd-group><kwd-group xml:lang="en"><kwd>malnutrition</kwd></kwd-group><kwd-group xml:lang="es"><kwd>desnutrición</kwd><kwd><italic>indígenas</italic></kwd></kwd-group>',
    });

    expect(document.keywords).toEqual(['desnutrición', 'indígenas', 'malnutrition']);
  });

  it('dates the article by its epub date, then ppub, then the issue (JATS 1.0 pub-type)', async () => {
    const document = await read({
      dates:
        '<pub-date pub-type="collection"><year>2011</year></pub-date><pub-date pub-type="ppub"><day>9</day><month>9</month><year>2011</year></pub-date><pub-date pub-type="epub"><day>2</day><month>8</month><year>2011</year></pub-date>',
    });

    expect(document.published).toEqual({ day: '2011-08-02', source: 'document', from: 'JATS pub-date (epub)' });
  });

  it('reads JATS 1.1 date-type and publication-format', async () => {
    const document = await read({
      dates:
        '<pub-date date-type="pub" publication-format="print"><day>9</day><month>9</month><year>2012</year></pub-date><pub-date date-type="pub" publication-format="electronic"><day>30</day><month>10</month><year>2012</year></pub-date>',
    });

    expect(document.published).toEqual({ day: '2012-10-30', source: 'document', from: 'JATS pub-date (electronic)' });
  });

  it('takes the ppub date when there is no epub, and the iso-8601-date attribute when given', async () => {
    const document = await read({
      dates:
        '<pub-date pub-type="ppub" iso-8601-date="2019-01-15"><season>Jan-Feb</season><year>2019</year></pub-date><pub-date pub-type="pmc-release"><day>8</day><month>12</month><year>2018</year></pub-date>',
    });

    expect(document.published).toEqual({ day: '2019-01-15', source: 'document', from: 'JATS pub-date (ppub)' });
  });

  it('dates by the issue when that is all there is: its month, approximate', async () => {
    const document = await read({ dates: '<pub-date pub-type="collection"><month>2</month><year>2013</year></pub-date>' });

    expect(document.published).toEqual({ day: '2013-02-01', source: 'document-approximate', from: 'JATS pub-date (collection)' });
  });

  it('has no date when the article gives only a year', async () => {
    const document = await read({ dates: '<pub-date pub-type="epub"><year>2013</year></pub-date>' });

    expect(document.published).toBeUndefined();
  });
});

describe('readJats: bad documents', () => {
  it('throws RejectedArticleError saying where malformed XML breaks', async () => {
    const xml = jatsArticle().replace('</title-group>', '');

    await expect(readJats(utf8(xml), readContext())).rejects.toThrow(/^the XML is malformed \(line \d+, column \d+: .+\)$/);
  });

  it('throws RejectedArticleError for XML that is not a JATS article', async () => {
    const rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>';

    await expect(readJats(utf8(rss), readContext())).rejects.toThrow(
      new RejectedArticleError(
        "the XML's root element is <rss>, not a JATS <article>; upload JATS (NLM) XML, or the article's page or PDF",
      ),
    );
  });

  it('reads the article inside a PMC article set', async () => {
    const xml = `<pmc-articleset>${jatsArticle({ prolog: '', doctype: '' })}</pmc-articleset>`;

    const document = await readJats(utf8(xml), readContext());

    expect(document.title).toBe('Glacial lakes in a warming climate');
  });

  it('throws RejectedArticleError for an encoding it cannot decode', async () => {
    const xml = jatsArticle({ prolog: '<?xml version="1.0" encoding="EBCDIC-CP-US"?>' });

    await expect(readJats(utf8(xml), readContext())).rejects.toThrow(/declares encoding "EBCDIC-CP-US", which is not supported/);
  });

  it('throws RejectedArticleError once the deadline has passed', async () => {
    await expect(readJats(utf8(jatsArticle()), pastDeadline())).rejects.toThrow(/took longer than the function's time allows/);
  });
});
