import { zipSync } from 'fflate';
import { bodyText, type ExtractedDocument } from '../../../core/documents/document';
import { MAX_INCLUDE_DEPTH } from '../../../core/documents/latex/includes';
import { readLatex } from '../../../core/documents/latex/read-latex';
import { gzipOf, paper, tarGzOf, tarOf } from '../../support/documents/latex-builder';
import { testContext } from '../../support/documents/context';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const readTex = (source: string, key = 'input/paper.tex'): Promise<ExtractedDocument> => readLatex(encode(source), testContext({ key }));
const readBody = async (body: string, preamble = ''): Promise<string> => bodyText(await readTex(paper({ preamble, body })));

describe('readLatex: what a paper is made of', () => {
  it('reads a single .tex: its title, abstract and sections', async () => {
    const document = await readTex(
      paper({
        body: '\\begin{abstract}\nWe verify claims.\n\\end{abstract}\n\\section{Introduction}\nClaims matter.\n\\subsection{Scope}\nSome.',
      }),
    );

    expect(document).toMatchObject({
      format: 'latex',
      title: 'A Small Paper',
      abstract: 'We verify claims.',
      sections: [
        { heading: 'Introduction', text: 'Claims matter.' },
        { heading: 'Scope', text: 'Some.' },
      ],
    });
  });

  it('reads a gzipped single .tex', async () => {
    const document = await readLatex(gzipOf(paper({ body: '\\section{Intro}\nText.' })), testContext({ key: 'input/paper.tex.gz' }));

    expect(bodyText(document)).toBe('Intro\n\nText.');
  });

  it('takes the abstract from \\abstract{} where a class spells it so', async () => {
    const document = await readTex(paper({ preamble: '\\abstract{We show it.}', body: 'Body.' }));

    expect(document.abstract).toBe('We show it.');
  });

  it('takes the keywords from \\keywords{}', async () => {
    const document = await readTex(paper({ body: '\\keywords{fact checking; claims, \\emph{NLP}}\nBody.' }));

    expect(document.keywords).toEqual(['fact checking', 'claims', 'NLP']);
  });

  it("takes the keywords from elsarticle's keyword environment", async () => {
    const document = await readTex(paper({ body: '\\begin{keyword}\nclaims \\sep evidence\n\\end{keyword}\nBody.' }));

    expect(document.keywords).toEqual(['claims', 'evidence']);
  });

  it('reads \\paragraph headings as sections', async () => {
    const document = await readTex(paper({ body: '\\section{Data}\nIntro.\n\\paragraph{Annotation.} Annotators wrote claims.' }));

    expect(document.sections).toEqual([
      { heading: 'Data', text: 'Intro.' },
      { heading: 'Annotation.', text: 'Annotators wrote claims.' },
    ]);
  });
});

describe('readLatex: packages of sources', () => {
  const main = paper({ preamble: '\\input{commands}', body: '\\input{sections/intro}\n\\input{sections/method.tex}\n\\include{results}' });
  const sources = {
    'commands.tex': '\\newcommand{\\ours}{\\textsc{SciFact}\\xspace}',
    'sections/intro.tex': '\\section{Introduction}\nWe present \\ours.',
    'sections/method.tex': '\\section{Method}\nA pipeline.',
    'results.tex': '\\section{Results}\nIt works.',
  };
  const expected = 'Introduction\n\nWe present SciFact.\n\nMethod\n\nA pipeline.\n\nResults\n\nIt works.';

  it('reads an arXiv source tarball: the main file with the files it \\input s and \\include s', async () => {
    const document = await readLatex(tarGzOf({ 'ms.tex': main, ...sources }), testContext({ key: 'input/paper.tar.gz' }));

    expect(bodyText(document)).toBe(expected);
  });

  it("reads arXiv's bare gzip of a tar, whatever its name", async () => {
    const document = await readLatex(tarGzOf({ 'ms.tex': main, ...sources }), testContext({ key: 'input/2004.14974' }));

    expect(bodyText(document)).toBe(expected);
  });

  it('reads an uncompressed tar', async () => {
    const document = await readLatex(tarOf({ 'ms.tex': main, ...sources }), testContext({ key: 'input/paper.tar' }));

    expect(bodyText(document)).toBe(expected);
  });

  it('reads an Overleaf project zip', async () => {
    const files = Object.fromEntries(
      Object.entries({ 'ms.tex': main, ...sources }).map(([name, text]) => [`project/${name}`, encode(text)]),
    );

    const document = await readLatex(zipSync(files), testContext({ key: 'input/project.zip' }));

    expect(bodyText(document)).toBe(expected);
  });

  it('picks the main file by \\documentclass and \\begin{document}, ignoring old copies and AppleDouble files', async () => {
    const document = await readLatex(
      tarGzOf({
        '._main.tex': '\u0000\u0005\u0016\u0007Mac OS X',
        '_old-main.tex': paper({ body: 'The old draft, which is longer than the paper itself, by a good many words.' }),
        'figure.tex': '\\documentclass{standalone}\\begin{document}A figure.\\end{document}',
        'main.tex': paper({ body: 'The paper.' }),
      }),
      testContext(),
    );

    expect(bodyText(document)).toBe('The paper.');
  });

  it("follows arXiv's 00README.json where it names the top-level file", async () => {
    const document = await readLatex(
      tarGzOf({
        '00README.json': JSON.stringify({ sources: [{ filename: 'b.tex', usage: 'toplevel' }] }),
        'a.tex': paper({ body: 'Paper A, the longer one of the two candidates.' }),
        'b.tex': paper({ body: 'Paper B.' }),
      }),
      testContext(),
    );

    expect(bodyText(document)).toBe('Paper B.');
  });

  it('does not follow an \\input that leaves the archive', async () => {
    const document = await readLatex(
      tarGzOf({ 'paper/main.tex': paper({ body: 'Kept.\n\\input{../../secret}\n\\input{/etc/passwd}' }), 'secret.tex': 'Outside.' }),
      testContext(),
    );

    expect(bodyText(document)).toBe('Kept.');
  });

  it('leaves out an \\input whose file is not in the archive', async () => {
    expect(await readBody('Kept.\n\\input{tables/missing}')).toBe('Kept.');
  });

  it('honours \\includeonly', async () => {
    const document = await readLatex(
      tarGzOf({
        'main.tex': paper({ preamble: '\\includeonly{a}', body: '\\include{a}\\include{b}' }),
        'a.tex': 'Chapter A.',
        'b.tex': 'Chapter B.',
      }),
      testContext(),
    );

    expect(bodyText(document)).toBe('Chapter A.');
  });
});

describe('readLatex: what LaTeX does not typeset is not read', () => {
  it('leaves out % comments, and keeps an escaped \\%', async () => {
    expect(await readBody('Claims % an old claim\nmatter to 63\\% of readers.\n% A whole line.')).toBe('Claims matter to 63% of readers.');
  });

  it('still ends a paragraph at a blank line that follows a comment', async () => {
    const document = await readTex(paper({ body: 'First paragraph. % a note\n%another note\n\nSecond paragraph.' }));

    expect(document.sections).toEqual([{ text: 'First paragraph.\n\nSecond paragraph.' }]);
  });

  it('leaves out a commented-out abstract and reads the real one', async () => {
    const document = await readTex(paper({ body: '% \\begin{abstract}Old.\\end{abstract}\n\\begin{abstract}New.\\end{abstract}\nBody.' }));

    expect(document.abstract).toBe('New.');
  });

  it('leaves out the comment environment', async () => {
    expect(await readBody('Kept.\n\\begin{comment}\nGone.\n\\end{comment}\nAlso kept.')).toBe('Kept. Also kept.');
  });

  it('leaves out \\iffalse blocks and keeps their \\else branch', async () => {
    expect(await readBody('A. \\iffalse Gone. \\ifx\\a\\b nested \\fi Still gone. \\else Shown. \\fi B.')).toBe('A. Shown. B.');
  });

  it('keeps the branch a \\newif switch selects', async () => {
    expect(await readBody('\\iflong Long version. \\else Short version. \\fi', '\\newif\\iflong\n\\longtrue')).toBe('Long version.');
  });
});

describe('readLatex: macros', () => {
  it('expands the author’s macros, with and without arguments', async () => {
    const preamble =
      '\\newcommand{\\ours}{SciFact}\n\\newcommand\\claim[2]{#1 is #2}\n\\renewcommand{\\sys}{VeriSci}\n\\def\\both#1#2{#2 and #1}';

    expect(await readBody('\\ours{} and \\sys: \\claim{X}{true}; \\both{A}{B}.', preamble)).toBe(
      'SciFact and VeriSci: X is true; B and A.',
    );
  });

  it('drops \\xspace without a trace', async () => {
    expect(await readBody('A \\bert-based model and \\bert.', '\\newcommand{\\bert}{\\textsc{BERT}\\xspace}')).toBe(
      'A BERT-based model and BERT.',
    );
  });

  it("uses an optional first argument's default", async () => {
    expect(await readBody('\\greet{Ann} and \\greet[Bye]{Bob}.', '\\newcommand{\\greet}[2][Hello]{#1, #2}')).toBe(
      'Hello, Ann and Bye, Bob.',
    );
  });

  it('expands macros inside macros', async () => {
    expect(await readBody('\\outer.', '\\newcommand{\\inner}{core}\\newcommand{\\outer}{the \\inner}')).toBe('the core.');
  });

  it('does not let a redefinition of \\section hide the structure', async () => {
    const document = await readTex(paper({ preamble: '\\renewcommand{\\section}[1]{\\textbf{#1}}', body: '\\section{Intro}\nText.' }));

    expect(document.sections).toEqual([{ heading: 'Intro', text: 'Text.' }]);
  });

  it('rejects a macro bomb with the reason', async () => {
    const bomb =
      '\\def\\a{xxxxxxxxxx}' +
      'bcdefghijklmnopqrstuvwxyz'
        .split('')
        .map((c, i) => `\\def\\${c}{${`\\${'abcdefghijklmnopqrstuvwxyz'[i]}`.repeat(10)}}`)
        .join('');

    await expect(readTex(paper({ preamble: bomb, body: '\\z' }))).rejects.toThrow(
      /^the LaTeX macros expand to more than \d+ characters \(a macro that multiplies itself, a macro bomb\)/,
    );
  });

  it('rejects a macro that calls itself', async () => {
    await expect(readTex(paper({ preamble: '\\newcommand{\\loop}{again \\loop}', body: '\\loop' }))).rejects.toThrow(
      'the LaTeX macros still expand after 32 rounds (a macro that calls itself)',
    );
  });
});

describe('readLatex: the body the model reads', () => {
  it('ends at the bibliography', async () => {
    const document = await readTex(paper({ body: 'Body.' }).replace('\\end{document}', 'After the references.\n\\end{document}'));

    expect(bodyText(document)).toBe('Body.');
  });

  it('ends at \\appendix', async () => {
    expect(await readBody('Body.\n\\appendix\n\\section{Details}\nMore.')).toBe('Body.');
  });

  it('ends at an inline thebibliography', async () => {
    expect(await readBody('Body.\n\\begin{thebibliography}{9}\\bibitem{a} A. Author. A paper.\\end{thebibliography}')).toBe('Body.');
  });

  it('leaves the acknowledgements section out', async () => {
    expect(await readBody('\\section{Results}\nFound.\n\\section*{Acknowledgments}\nThanks to all.')).toBe('Results\n\nFound.');
  });

  it('leaves figures, tables and display equations out', async () => {
    const body = [
      'Before.',
      '\\begin{figure}[t]\\includegraphics{a.pdf}\\caption{A caption.}\\end{figure}',
      '\\begin{table*}\\begin{tabular}{ll} a & b \\\\ \\end{tabular}\\end{table*}',
      '\\begin{equation}E = mc^2 \\label{eq:e}\\end{equation}',
      '\\[ x^2 \\]',
      'After.',
    ].join('\n');

    expect(await readBody(body)).toBe('Before. After.');
  });

  it('leaves inline math out but keeps a plain number', async () => {
    expect(await readBody('We set $k=3$ and report $46.5$ F1 over \\(n\\) runs.')).toBe('We set and report 46.5 F1 over runs.');
  });

  it('leaves citations, labels and footnotes out', async () => {
    expect(
      await readBody('Fact-checking has been studied~\\cite{Thorne2018,Hanselowski2019} (\\citep{X}).\\label{x} Done.\\footnote{A note.}'),
    ).toBe('Fact-checking has been studied. Done.');
  });

  it('leaves references out with the words that only framed them', async () => {
    expect(await readBody('As shown in Figure~\\ref{fig:a}, it works (see Table~\\ref{t}). Table~\\ref{t} lists it.')).toBe(
      'As shown, it works. Table lists it.',
    );
  });

  it('keeps the text of formatting commands', async () => {
    expect(
      await readBody('\\emph{Claims} are \\textbf{\\textit{atomic}} and \\textcolor{red}{short}, see \\href{http://x.org}{the site}.'),
    ).toBe('Claims are atomic and short, see the site.');
  });

  it('writes accents, dashes and quotes as Unicode', async () => {
    expect(await readBody("Caf\\'e, na\\\"{\\i}ve, Gau\\ss, \\c{c}a -- 1--2 --- ``quoted''.")).toBe(
      'Café, naïve, Gauß, ça – 1–2 — “quoted”.',
    );
  });

  it('keeps list items as paragraphs', async () => {
    const document = await readTex(paper({ body: '\\begin{itemize}[leftmargin=*]\n\\item First.\n\\item[(b)] Second.\n\\end{itemize}' }));

    expect(document.sections).toEqual([{ text: 'First.\n\n(b) Second.' }]);
  });
});

describe('readLatex: its date', () => {
  it('takes \\date when it is a real date', async () => {
    const document = await readTex(paper({ preamble: '\\date{April 30, 2020}', body: 'Body.' }), 'input/2004.14974.tex');

    expect(document.published).toEqual({ day: '2020-04-30', source: 'document', from: 'LaTeX \\date' });
  });

  it('falls back to the month of an arXiv id in the key when \\date is \\today', async () => {
    const document = await readTex(paper({ preamble: '\\date{\\today}', body: 'Body.' }), 'input/arxiv-2004.14974v2-source.tar.gz');

    expect(document.published).toEqual({ day: '2020-04-01', source: 'document-approximate', from: 'arXiv id 2004.14974' });
  });

  it('has no date without \\date or an arXiv id', async () => {
    expect((await readTex(paper({ body: 'Body.' }), 'input/paper.tex')).published).toBeUndefined();
  });
});

describe('readLatex: bad sources end with a reason', () => {
  it('rejects a .tex without \\documentclass and \\begin{document}', async () => {
    await expect(readTex('\\section{Intro}\nJust a fragment.')).rejects.toThrow(
      'the .tex file has no \\documentclass and \\begin{document}: it is not a complete LaTeX document; upload the whole source, or the paper as PDF',
    );
  });

  it('rejects an archive with no main .tex', async () => {
    await expect(readLatex(tarGzOf({ 'intro.tex': '\\section{Intro}', 'method.tex': 'Text.' }), testContext())).rejects.toThrow(
      'no main .tex file (one with \\documentclass and \\begin{document}) among the 2 sources',
    );
  });

  it('rejects an archive that holds no .tex, naming what it holds', async () => {
    await expect(readLatex(tarGzOf({ 'paper.pdf': '%PDF-1.4' }), testContext())).rejects.toThrow(
      'the tar archive holds no LaTeX source (.tex) (it holds paper.pdf)',
    );
  });

  it('rejects an archive whose sources are inside another archive', async () => {
    await expect(readLatex(tarGzOf({ 'source.tar.gz': tarGzOf({ 'main.tex': paper({ body: 'Text.' }) }) }), testContext())).rejects.toThrow(
      'the tar archive holds another archive (source.tar.gz) and no .tex file: archives inside archives are not opened',
    );
  });

  it('rejects a gzip of a gzip as a nested archive', async () => {
    await expect(readLatex(gzipOf(tarGzOf({ 'main.tex': paper({ body: 'Text.' }) })), testContext())).rejects.toThrow(
      'the gzip file holds another compressed file (a nested archive)',
    );
  });

  it('rejects a truncated tarball', async () => {
    const whole = tarGzOf({ 'main.tex': paper({ body: 'Text. '.repeat(5000) }) });

    await expect(readLatex(whole.subarray(0, whole.length / 2), testContext())).rejects.toThrow('the gzip file is truncated');
  });

  it('rejects a tarball that unpacks past maxExpandedBytes', async () => {
    const bomb = tarGzOf({ 'main.tex': paper({ body: 'Text.' }), 'padding.bin': new Uint8Array(4 * 1024 * 1024) });

    await expect(readLatex(bomb, testContext({ maxExpandedBytes: 1024 * 1024 }))).rejects.toThrow(
      'the gzip file unpacks to more than 1048576 bytes',
    );
  });

  it(`rejects files that include one another more than ${MAX_INCLUDE_DEPTH} deep`, async () => {
    await expect(
      readLatex(tarGzOf({ 'main.tex': paper({ body: '\\input{loop}' }), 'loop.tex': '\\input{loop}' }), testContext()),
    ).rejects.toThrow(`the LaTeX files include one another more than ${MAX_INCLUDE_DEPTH} deep`);
  });

  it('rejects a document with no body text', async () => {
    await expect(readTex(paper({ body: '\\begin{abstract}Only this.\\end{abstract}' }))).rejects.toThrow(
      'the LaTeX document has no body text',
    );
  });

  it('stops when the deadline has passed', async () => {
    const context = testContext();
    context.expire();

    await expect(readLatex(encode(paper({ body: 'Text.' })), context)).rejects.toThrow("took longer than the function's time allows");
  });
});
