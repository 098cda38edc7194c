import { sectionsOfHtml } from '../../../core/documents/markup/html-sections';

/** HTML as mammoth writes it from a .docx manuscript: headings, paragraphs, footnote references and the footnotes list. */
const manuscript = `<h1>Ten quick tips</h1><p>Jane Doe, University of Somewhere</p>
<h1>Abstract</h1><p>Deep learning is everywhere.</p>
<h1>Introduction</h1><p>Models learn<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup> from data.</p>
<h2>Tip 1: know your data</h2><p>Look at it first.</p><table><tr><td>cell</td></tr></table>
<ol><li id="footnote-1"><p>A footnote. <a href="#footnote-ref-1">↑</a></p></li></ol>`;

describe('sectionsOfHtml: the HTML walker other readers share (the .docx reader reads mammoth HTML with it)', () => {
  it('returns the body sections with headings, the title page and abstract out', () => {
    const { sections } = sectionsOfHtml(manuscript, { title: 'Ten quick tips' });

    expect(sections).toEqual([
      { heading: 'Introduction', text: 'Models learn from data.' },
      { heading: 'Tip 1: know your data', text: 'Look at it first.' },
    ]);
  });

  it('returns the abstract section as the abstract', () => {
    const { abstract } = sectionsOfHtml(manuscript);

    expect(abstract).toBe('Deep learning is everywhere.');
  });
});
