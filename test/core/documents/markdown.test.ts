import { bodyText } from '../../../core/documents/document';
import { readMarkdown } from '../../../core/documents/markdown';
import { RejectedArticleError } from '../../../core/errors';
import { pastDeadline, readContext, singleByte, utf8 } from '../../support/documents/context';

const read = (markdown: string) => readMarkdown(utf8(markdown), readContext());

const lines = (...text: string[]): string => text.join('\n');

describe('readMarkdown: front matter', () => {
  it('takes the title, date, keywords, tags and abstract from YAML front matter', async () => {
    const document = await read(
      lines(
        '---',
        'title: "Glacial lakes: a *review*"',
        'date: 2021-03-04',
        'keywords: [glacial lake, outburst flood]',
        'tags:',
        '  - remote sensing',
        'author:',
        '  - name: Jane Doe',
        '    affiliation: Somewhere',
        'abstract: |',
        '  Glacial lakes grow',
        '  as glaciers retreat.',
        'lang: en-GB',
        '---',
        '',
        'Lakes grow fast.',
      ),
    );

    expect(document).toEqual({
      format: 'markdown',
      title: 'Glacial lakes: a review',
      abstract: 'Glacial lakes grow as glaciers retreat.',
      keywords: ['glacial lake', 'outburst flood', 'remote sensing'],
      published: { day: '2021-03-04', source: 'document', from: 'front matter date' },
      language: 'en-GB',
      sections: [{ text: 'Lakes grow fast.' }],
    });
  });

  it('takes the first level-1 heading as the title when there is no front matter, and not as a section', async () => {
    const document = await read(lines('# Glacial lakes', '', 'Jane Doe', '', '## Introduction', '', 'Lakes grow fast.'));

    expect(document.title).toBe('Glacial lakes');
    expect(document.sections).toEqual([{ text: 'Jane Doe' }, { heading: 'Introduction', text: 'Lakes grow fast.' }]);
  });
});

describe('readMarkdown: the body', () => {
  it('keeps ATX and Setext headings as section headings', async () => {
    const document = await read(
      lines('## 1. Methods ##', 'We sampled.', '', 'Results', '-------', 'It worked.', '', 'Discussion', '==========', 'It matters.'),
    );

    expect(document.sections).toEqual([
      { heading: '1. Methods', text: 'We sampled.' },
      { heading: 'Results', text: 'It worked.' },
      { heading: 'Discussion', text: 'It matters.' },
    ]);
  });

  it('strips emphasis, inline code ticks, links to their text, and images and HTML tags', async () => {
    const document = await read(
      'We **really** _mean_ it with `code` and snake_case_names, see [the data](https://example.org) ![a map](map.png) H<sub>2</sub>O &amp; ~~not~~ <span class="x">this</span>.',
    );

    expect(bodyText(document)).toBe('We really mean it with code and snake_case_names, see the data H2O & not this.');
  });

  it('reads lists as sentences', async () => {
    const document = await read(lines('We coded:', '', '- whether users disclose', '- whether they filter', '  by status', '1. and more!'));

    expect(document.sections).toEqual([{ text: 'We coded:\n\nwhether users disclose. whether they filter by status. and more!' }]);
  });

  it('leaves tables, fenced and indented code, math blocks and HTML comments out', async () => {
    const document = await read(
      lines(
        'Before.',
        '',
        '| a | b |',
        '|---|:-:|',
        '| table cell | 2 |',
        '',
        '```python',
        'print("fenced code")',
        '```',
        '',
        '    indented code',
        '',
        '$$',
        'E = mc^2',
        '$$',
        '',
        '<!-- a comment',
        'over lines -->',
        '',
        'After.',
      ),
    );

    expect(bodyText(document)).toBe('Before.\n\nAfter.');
  });

  it('leaves citations and footnotes out: Pandoc [@key], numbered [1], footnote references and definitions', async () => {
    const document = await read(
      lines(
        'Lakes grow [@smith2010; @jones2012] and drain [1, 2].[^note] They flood [3–5].',
        '',
        '[^note]: A footnote.',
        '[data]: https://example.org',
      ),
    );

    expect(bodyText(document)).toBe('Lakes grow and drain. They flood.');
  });

  it('makes an Abstract section the abstract, not body', async () => {
    const document = await read(
      lines(
        '# Glacial lakes',
        '',
        'Jane Doe',
        '',
        '## Abstract',
        '',
        'Lakes grow.',
        '',
        '**Keywords:** lakes; ice',
        '',
        '## Introduction',
        '',
        'Body text.',
      ),
    );

    expect(document).toMatchObject({ abstract: 'Lakes grow.', keywords: ['lakes', 'ice'] });
    expect(document.sections).toEqual([{ heading: 'Introduction', text: 'Body text.' }]);
  });

  it('leaves the references and everything after them out', async () => {
    const document = await read(
      lines('## Introduction', 'Body text.', '', '## References', '', '1. Smith J. Lakes. 2010.', '', '## Appendix A', 'More.'),
    );

    expect(bodyText(document)).toBe('Introduction\n\nBody text.');
  });

  it('leaves back matter sections out (acknowledgements)', async () => {
    const document = await read(
      lines('## Introduction', 'Body text.', '', '## Acknowledgements', 'Thanks.', '', '## Discussion', 'It matters.'),
    );

    expect(document.sections.map((section) => section.heading)).toEqual(['Introduction', 'Discussion']);
  });

  it('decodes a file that is not UTF-8 as windows-1252', async () => {
    const document = await readMarkdown(singleByte('Los ni\u00f1os de Azote\u0092y.'), readContext());

    expect(bodyText(document)).toBe('Los niños de Azote’y.');
  });
});

describe('readMarkdown: bad documents', () => {
  it('throws RejectedArticleError when there is no body text', async () => {
    await expect(read(lines('---', 'title: Only metadata', '---', '', '```', 'code only', '```'))).rejects.toThrow(
      new RejectedArticleError('the Markdown file has no body text outside its front matter, code, tables and references'),
    );
  });

  it('throws RejectedArticleError once the deadline has passed', async () => {
    const markdown = Array.from({ length: 600 }, (_, i) => `Line ${i}.`).join('\n');

    await expect(readMarkdown(utf8(markdown), pastDeadline())).rejects.toThrow(/took longer than the function's time allows/);
  });
});
