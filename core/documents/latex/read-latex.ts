/**
 * LaTeX sources: a single `.tex` (plain or gzipped) or an arXiv source tarball (`.tar.gz`, `.tar`,
 * arXiv's bare gzip of a tar) or an Overleaf zip. The main file (main-file.ts) with its includes
 * (includes.ts), comments and false conditionals removed (comments.ts), the author's macros
 * expanded (macros.ts), read as text (tex-to-text.ts):
 *
 * - title from `\title`, abstract from the `abstract` environment or `\abstract{}`, keywords from
 *   `\keywords{}` or a keywords environment;
 * - the body from `\begin{document}` to the bibliography, `\appendix` or `\end{document}`, split
 *   at `\section`, `\subsection`, `\paragraph` and the like, back matter left out (body-sections.ts);
 * - the date from `\date{}` when it is a real date; otherwise an arXiv id in the key gives its
 *   month's first day (../arxiv-id.ts).
 *
 * Out of scope, and why: LaTeX is a programming language, and only what a paper's text needs is
 * read. Macros with delimited parameters, `\newenvironment` bodies, `\csname` and conditionals
 * other than `\iffalse`/`\iftrue`/`\newif` switches are not evaluated (their text is read as it
 * stands); a source that needs them is still read, a little noisier. Sources that cannot be read
 * at all (no main file, a macro bomb, nesting without end) are REJECTED with the reason.
 */

import { RejectedArticleError } from '../../errors';
import { bodySections } from '../body-sections';
import { checkDeadline } from '../deadline';
import type { DocumentDate, ExtractedDocument, ReadContext } from '../document';
import { parseWrittenDate } from '../document-date';
import { oneLine } from '../sections';
import { arxivIdDate } from '../arxiv-id';
import { removeCommentEnvironments, resolveConditionals, stripComments } from './comments';
import { assembleSource } from './includes';
import { expandMacros, takeDefinitions } from './macros';
import { mainFile } from './main-file';
import { README, sourceFiles } from './source-files';
import { environmentAt, findBegin, groupAt, skipArguments } from './tex-scanner';
import { isReservedCommand, outlineOf, plainParagraphs, texToText } from './tex-to-text';

/** Most characters of LaTeX read, after includes and after macro expansion: a paper's source is rarely 2 MB. */
export const MAX_LATEX_CHARS = 16 * 1024 * 1024;

export const readLatex = async (bytes: Uint8Array, context: ReadContext): Promise<ExtractedDocument> => {
  const unpacked = sourceFiles(bytes, context);
  const readme = unpacked.find((file) => file.path === README)?.text;
  const files = unpacked
    .filter((file) => file.path !== README)
    .map((file) => ({ path: file.path, text: removeCommentEnvironments(stripComments(file.text)) }));
  checkDeadline(context, 'reading the LaTeX source files');
  const main = mainFile(files, readme);
  const maxChars = Math.min(context.maxExpandedBytes, MAX_LATEX_CHARS);
  const assembled = resolveConditionals(assembleSource(main, files, { maxChars, deadline: context.deadline, now: context.now }));
  const { text, macros } = takeDefinitions(assembled, isReservedCommand, context);
  const expanded = expandMacros(text, macros, { maxChars, deadline: context.deadline, now: context.now });
  return documentOf(expanded, context);
};

const BEGIN_DOCUMENT = /\\begin\s*\{document\}/;
/** Where the body ends: the bibliography, the appendices, or the end of the document. */
const BODY_END =
  /\\(bibliography|printbibliography|appendix|end\s*\{document\}|begin\s*\{(thebibliography|appendices|appendix)\})(?![A-Za-z])/;

const documentOf = (source: string, context: ReadContext): ExtractedDocument => {
  const begin = BEGIN_DOCUMENT.exec(source);
  if (!begin) {
    throw new RejectedArticleError('the main .tex file has no \\begin{document} once its conditionals are read: upload the paper as PDF');
  }
  const check = (): void => checkDeadline(context, 'reading the LaTeX source');
  const afterBegin = source.slice(begin.index + begin[0].length);
  const bodyEnd = BODY_END.exec(afterBegin);
  const body = bodyEnd ? afterBegin.slice(0, bodyEnd.index) : afterBegin;

  const title = commandArgument(source, 'title');
  const titleText = title === undefined ? '' : oneLine(plainParagraphs(texToText(title, check)).join(' '));
  const abstract = abstractOf(source);
  const abstractText = abstract === undefined ? '' : plainParagraphs(texToText(abstract, check)).join('\n\n');
  const sections = bodySections(outlineOf(texToText(body, check)), { textBeforeFirstHeading: 'keep' });
  if (sections.length === 0) {
    throw new RejectedArticleError(
      'the LaTeX document has no body text between \\begin{document} and its bibliography or \\end{document}: nothing to summarize',
    );
  }
  const published = dateOf(source, check) ?? arxivIdDate(context.key);
  return {
    format: 'latex',
    ...(titleText ? { title: titleText } : {}),
    ...(abstractText ? { abstract: abstractText } : {}),
    sections,
    keywords: keywordsOf(source, check),
    ...(published ? { published } : {}),
  };
};

/** The text argument of the first `\name[...]{...}` with one (`\title[short]{The Title}`). */
const commandArgument = (source: string, name: string): string | undefined => {
  for (const match of source.matchAll(new RegExp(`\\\\${name}(?![A-Za-z@])\\s*\\*?`, 'g'))) {
    const group = groupAt(source, skipArguments(source, match.index + match[0].length, 0));
    if (group && group.content.trim() !== '') return group.content;
  }
  return undefined;
};

/** The `abstract` environment (or `\abstract{...}`, as some classes spell it). */
const abstractOf = (source: string): string | undefined => {
  const environment = findBegin(source, ['abstract', 'abstract*']);
  return environment ? environmentAt(source, environment.name, environment.end).content : commandArgument(source, 'abstract');
};

const KEYWORD_ENVIRONMENTS = ['keywords', 'keyword', 'IEEEkeywords', 'Keywords'];

/** `\keywords{a, b}`, `\begin{keywords}a; b\end{keywords}`, elsarticle's `\begin{keyword} a \sep b \end{keyword}`. */
const keywordsOf = (source: string, check: () => void): string[] => {
  const environment = findBegin(source, KEYWORD_ENVIRONMENTS);
  const tex = environment
    ? environmentAt(source, environment.name, environment.end).content
    : (commandArgument(source, 'keywords') ?? commandArgument(source, 'keyword') ?? commandArgument(source, 'kwd'));
  if (tex === undefined) return [];
  const separated = tex.replace(/\\(sep|and|kwd|\\)(?![A-Za-z])/g, ',');
  return plainParagraphs(texToText(separated, check))
    .join(' ')
    .split(/[,;·•]/)
    .map((keyword) => oneLine(keyword).replace(/\.$/, ''))
    .filter((keyword) => keyword !== '');
};

/** `\date{...}` when it holds a real date (not `\today`, not empty). */
const dateOf = (source: string, check: () => void): DocumentDate | undefined => {
  const tex = commandArgument(source, 'date');
  if (tex === undefined) return undefined;
  const parsed = parseWrittenDate(plainParagraphs(texToText(tex, check)).join(' '));
  return parsed && { day: parsed.day, source: parsed.approximate ? 'document-approximate' : 'document', from: 'LaTeX \\date' };
};
