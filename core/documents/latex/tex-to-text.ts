/**
 * LaTeX to the plain text a person reads in the typeset paper, as far as a summary needs it:
 * text-formatting commands keep their text (`\emph{x}` is "x"), accents and special characters
 * become Unicode, headings become markers (HEADING_MARK) that sectionsOf() splits on; figures,
 * tables, equations and inline math (a plain number excepted), `\cite`, `\ref`, `\label`,
 * footnotes, layout commands and their arguments are left out. A command the reader does not know
 * is dropped and its arguments' text kept: an unknown wrapper such as `\hl{text}` keeps its text.
 */

import { RejectedArticleError } from '../../errors';
import type { OutlineBlock } from '../body-sections';
import { cleanText, oneLine } from '../sections';
import { commandAt, environmentAt, groupAt, optionalAt, skipArguments, skipSpace } from './tex-scanner';

/** Characters the converter uses as markers; sources are stripped of them before anything else (source-files.ts). */
// eslint-disable-next-line no-control-regex -- the markers are control characters so that no text can contain them
export const MARKER_CHARACTERS = /[\u0001-\u0006]/g;
const HEADING_START = '\u0001';
const HEADING_TEXT = '\u0002';
const HEADING_END = '\u0003';
/** Where a `\ref` stood, so "Figure~\ref{x}" loses its "Figure" too. */
const REF = '\u0004';
/** Where a `\cite` stood, so "(\cite{x})" loses its parentheses too. */
const CITE = '\u0005';
/** Where something left out stood (a float, math, a layout command): not a blank line, so it never splits a paragraph. */
const GONE = '\u0006';

/** Most environments and arguments nested in one another before the source is refused. */
export const MAX_NESTING = 256;

const SECTION_LEVELS: Record<string, number> = {
  part: 0,
  chapter: 1,
  section: 2,
  subsection: 3,
  subsubsection: 4,
  paragraph: 5,
  subparagraph: 6,
};

/** Commands left out with their arguments: the count of mandatory arguments (optional ones and a `*` always go too). */
const DROPPED: Record<string, number> = {
  label: 1,
  footnote: 1,
  footnotetext: 1,
  footnotemark: 0,
  thanks: 1,
  caption: 1,
  captionof: 2,
  includegraphics: 1,
  includesvg: 1,
  input: 1,
  include: 1,
  includeonly: 1,
  bibliography: 1,
  bibliographystyle: 1,
  addbibresource: 1,
  nocite: 1,
  usepackage: 1,
  RequirePackage: 1,
  documentclass: 1,
  title: 1,
  author: 1,
  date: 1,
  affiliation: 1,
  affil: 1,
  address: 1,
  institute: 1,
  institution: 1,
  email: 1,
  orcid: 1,
  keywords: 1,
  keyword: 1,
  abstract: 1,
  maketitle: 0,
  tableofcontents: 0,
  listoffigures: 0,
  listoftables: 0,
  vspace: 1,
  hspace: 1,
  vskip: 0,
  hskip: 0,
  setlength: 2,
  addtolength: 2,
  setcounter: 2,
  addtocounter: 2,
  stepcounter: 1,
  refstepcounter: 1,
  newtheorem: 2,
  theoremstyle: 1,
  definecolor: 3,
  colorlet: 2,
  color: 1,
  pagestyle: 1,
  thispagestyle: 1,
  pagenumbering: 1,
  hypersetup: 1,
  graphicspath: 1,
  markboth: 2,
  markright: 1,
  index: 1,
  glossary: 1,
  todo: 1,
  url: 1,
  nolinkurl: 1,
  doi: 1,
  rule: 2,
  raisebox: 1,
  resizebox: 2,
  scalebox: 1,
  newpage: 0,
  clearpage: 0,
  cleardoublepage: 0,
  pagebreak: 0,
  linebreak: 0,
  nolinebreak: 0,
  newline: 0,
  noindent: 0,
  indent: 0,
  centering: 0,
  raggedright: 0,
  raggedleft: 0,
  appendix: 0,
  today: 0,
  bigskip: 0,
  medskip: 0,
  smallskip: 0,
  vfill: 0,
  hfill: 0,
  ding: 1,
  acmConference: 1,
  acmYear: 1,
  acmDOI: 1,
  copyrightyear: 1,
  setcopyright: 1,
  ccsdesc: 1,
  received: 1,
  IEEEoverridecommandlockouts: 0,
  IEEEpeerreviewmaketitle: 0,
  and: 0,
  sep: 0,
};

/** Commands that typeset nothing and take no space: removed without a trace. */
const SILENT = new Set(['xspace', 'protect', 'relax', 'ignorespaces', 'unskip', 'nobreak', 'allowbreak', 'leavevmode', 'null']);

/** Commands that cite or refer: left out, leaving a marker that takes its label word or parentheses with it. */
const CITES =
  /^(cite[a-zA-Z]*|[pP]arencite|[tT]extcite|[aA]utocite|footcite|citep|citet|citealp|citealt|citeauthor|citeyear|shortcite|nocite)$/;
const REFS = /^(ref|eqref|autoref|Autoref|cref|Cref|vref|pageref|nameref|fref|Fref|subref|labelcref)$/;

/** Commands whose argument is text: which mandatory argument to keep, of how many. */
const KEPT: Record<string, [keep: number, of: number]> = {
  emph: [1, 1],
  textbf: [1, 1],
  textit: [1, 1],
  texttt: [1, 1],
  textsc: [1, 1],
  textsf: [1, 1],
  textrm: [1, 1],
  textup: [1, 1],
  textmd: [1, 1],
  textsl: [1, 1],
  textnormal: [1, 1],
  underline: [1, 1],
  uline: [1, 1],
  sout: [1, 1],
  hl: [1, 1],
  mbox: [1, 1],
  makebox: [1, 1],
  fbox: [1, 1],
  framebox: [1, 1],
  hbox: [1, 1],
  text: [1, 1],
  textsuperscript: [1, 1],
  textsubscript: [1, 1],
  enquote: [1, 1],
  MakeUppercase: [1, 1],
  MakeLowercase: [1, 1],
  textcolor: [2, 2],
  colorbox: [2, 2],
  href: [2, 2],
  hyperref: [1, 1],
  hyperlink: [2, 2],
  foreignlanguage: [2, 2],
  texorpdfstring: [1, 2],
};

/** Text symbols and logos. */
const SYMBOLS: Record<string, string> = {
  ldots: '…',
  dots: '…',
  textellipsis: '…',
  LaTeX: 'LaTeX',
  LaTeXe: 'LaTeX2e',
  TeX: 'TeX',
  BibTeX: 'BibTeX',
  textendash: '–',
  textemdash: '—',
  textbullet: '•',
  textperiodcentered: '·',
  S: '§',
  P: '¶',
  ss: 'ß',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  o: 'ø',
  O: 'Ø',
  aa: 'å',
  AA: 'Å',
  l: 'ł',
  L: 'Ł',
  i: 'i',
  j: 'j',
  copyright: '©',
  textregistered: '®',
  texttrademark: '™',
  textdegree: '°',
  textbackslash: '\\',
  textasciitilde: '~',
  textasciicircum: '^',
  textbar: '|',
  textless: '<',
  textgreater: '>',
  textquotedblleft: '“',
  textquotedblright: '”',
  textquoteleft: '‘',
  textquoteright: '’',
  textunderscore: '_',
  pounds: '£',
  euro: '€',
  quad: ' ',
  qquad: ' ',
  enspace: ' ',
  thinspace: ' ',
  space: ' ',
  par: '\n\n',
};

/** Accents by their command (The LaTeX Companion, "Accents"), as Unicode combining marks. */
const ACCENTS: Record<string, string> = {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  c: '\u0327',
  v: '\u030c',
  u: '\u0306',
  H: '\u030b',
  k: '\u0328',
  r: '\u030a',
  d: '\u0323',
  b: '\u0331',
};

/** Environments left out whole: floats, tables, mathematics, code, pictures, bibliographies, front matter read elsewhere. */
const DROPPED_ENVIRONMENTS = new Set([
  'figure',
  'table',
  'wrapfigure',
  'wraptable',
  'sidewaysfigure',
  'sidewaystable',
  'subfigure',
  'subtable',
  'tabular',
  'tabularx',
  'tabulary',
  'tabu',
  'longtable',
  'supertabular',
  'array',
  'equation',
  'align',
  'alignat',
  'flalign',
  'eqnarray',
  'gather',
  'multline',
  'split',
  'displaymath',
  'math',
  'dmath',
  'subequations',
  'algorithm',
  'algorithmic',
  'algorithmicx',
  'lstlisting',
  'verbatim',
  'Verbatim',
  'minted',
  'tikzpicture',
  'pgfpicture',
  'picture',
  'thebibliography',
  'comment',
  'filecontents',
  'abstract',
  'keywords',
  'keyword',
  'IEEEkeywords',
  'acknowledgments',
  'acknowledgements',
  'acknowledgment',
  'acknowledgement',
  'titlepage',
  'frontmatter',
  'CCSXML',
]);

/** Environments whose first mandatory arguments are settings, not text. */
const ENVIRONMENT_ARGUMENTS: Record<string, number> = { minipage: 1, multicols: 1, adjustbox: 1, list: 2, tcolorbox: 0 };
/** Environments that only switch a font or size: inline, no paragraph break. */
const INLINE_ENVIRONMENTS = new Set([
  'small',
  'footnotesize',
  'scriptsize',
  'large',
  'Large',
  'normalsize',
  'bf',
  'it',
  'em',
  'sc',
  'sf',
  'tt',
]);

/** True for commands the converter itself handles: a document's redefinition of one is not expanded (macros.ts). */
export const isReservedCommand = (name: string): boolean =>
  name in SECTION_LEVELS ||
  name in DROPPED ||
  SILENT.has(name) ||
  name in KEPT ||
  CITES.test(name) ||
  REFS.test(name) ||
  ['begin', 'end', 'item', 'verb', 'subfile', 'import', 'subimport'].includes(name);

const baseName = (environment: string): string => environment.replace(/\*$/, '');

/** Converts LaTeX to text with heading markers; `check` is called now and then (the deadline). */
export const texToText = (source: string, check: () => void): string => {
  let steps = 0;
  const convert = (tex: string, depth: number): string => {
    if (depth > MAX_NESTING) {
      throw new RejectedArticleError(
        `the LaTeX source nests commands more than ${MAX_NESTING} deep: it cannot be read; upload the paper as PDF`,
      );
    }
    const out: string[] = [];
    const special = /[\\{}$~&#]/g;
    let at = 0;
    for (let match = special.exec(tex); match; match = special.exec(tex)) {
      if (++steps % 64 === 0) check(); // an unbalanced group or environment is scanned to the end each time: keep the overshoot small
      out.push(typography(tex.slice(at, match.index)));
      const c = match[0];
      let next = match.index + 1;
      if (c === '~' || c === '&') out.push(' ');
      else if (c === '$') next = math(tex, match.index, out);
      else if (c === '\\') next = command(tex, match.index, out, depth);
      at = next;
      special.lastIndex = next;
    }
    out.push(typography(tex.slice(at)));
    return out.join('');
  };

  /** Inline math `$...$` or display math `$$...$$`, left out unless it is a plain number. */
  const math = (tex: string, start: number, out: string[]): number => {
    const display = tex[start + 1] === '$';
    const close = display ? tex.indexOf('$$', start + 2) : closingDollar(tex, start + 1);
    if (close === -1) return start + 1;
    const content = tex.slice(start + (display ? 2 : 1), close);
    const number = !display && /^\s*-?[\d.,]+\s*(\\%)?\s*$/.test(content);
    out.push(number ? content.replace('\\%', '%').trim() : GONE);
    return close + (display ? 2 : 1);
  };

  const command = (tex: string, start: number, out: string[], depth: number): number => {
    const { name, end } = commandAt(tex, start);
    if (name === '') return end;
    if (name.length === 1 && !/[A-Za-z]/.test(name)) return symbol(tex, name, end, out);
    if (name === 'begin') return environment(tex, end, out, depth);
    if (name === 'end') return groupAt(tex, end)?.end ?? end;
    const level = SECTION_LEVELS[name];
    if (level !== undefined) {
      const titleAt = skipArguments(tex, skipStar(tex, end), 0);
      const title = groupAt(tex, titleAt);
      if (!title) return end;
      out.push(
        `\n\n${HEADING_START}${level}${HEADING_TEXT}${oneLine(convert(title.content, depth + 1).replace(MARKER_CHARACTERS, ''))}${HEADING_END}\n\n`,
      );
      return title.end;
    }
    if (name === 'item') {
      const label = optionalAt(tex, end);
      out.push('\n\n', label ? `${convert(label.content, depth + 1)} ` : '');
      return label ? label.end : end;
    }
    if (CITES.test(name) || REFS.test(name)) {
      out.push(CITES.test(name) ? CITE : REF);
      return skipArguments(tex, skipStar(tex, end), 1);
    }
    if (SILENT.has(name)) return end;
    const kept = KEPT[name];
    if (kept) return keptArgument(tex, skipStar(tex, end), kept, out, depth);
    const dropped = DROPPED[name];
    if (dropped !== undefined) {
      out.push(GONE);
      const after = skipArguments(tex, skipStar(tex, end), dropped);
      return name === 'vskip' || name === 'hskip' ? skipDimension(tex, after) : after;
    }
    const accent = ACCENTS[name];
    if (accent && (tex[end] === '{' || tex[end] === ' ')) return accented(tex, end, accent, out);
    const text = SYMBOLS[name];
    if (text !== undefined) out.push(text);
    if (name === 'verb') return verbatim(tex, end, out);
    // Anything else: the command and its options go, its arguments' text stays (an unknown wrapper keeps its text).
    return skipArguments(tex, skipStar(tex, end), 0);
  };

  const symbol = (tex: string, name: string, end: number, out: string[]): number => {
    const accent = ACCENTS[name];
    if (accent) return accented(tex, end, accent, out);
    if (name === '\\') {
      out.push(' ');
      const after = skipStar(tex, end);
      return optionalAt(tex, after)?.end ?? after;
    }
    if (name === '(' || name === '[') {
      out.push(GONE);
      const close = tex.indexOf(name === '(' ? '\\)' : '\\]', end);
      return close === -1 ? end : close + 2;
    }
    if ('%&$#_{}'.includes(name)) out.push(name);
    else if (' ,;:>'.includes(name) || name === '\n') out.push(' ');
    return end;
  };

  const environment = (tex: string, at: number, out: string[], depth: number): number => {
    const nameGroup = groupAt(tex, at);
    if (!nameGroup) return at;
    const name = nameGroup.content.trim();
    const body = environmentAt(tex, name, nameGroup.end);
    if (DROPPED_ENVIRONMENTS.has(baseName(name))) {
      out.push(GONE);
      return body.end;
    }
    // Leading options ("[leftmargin=*]", a theorem's name) and settings ("{0.5\\textwidth}") are not text.
    const contentStart = skipArguments(body.content, 0, ENVIRONMENT_ARGUMENTS[baseName(name)] ?? 0);
    const text = convert(body.content.slice(contentStart), depth + 1);
    out.push(INLINE_ENVIRONMENTS.has(name) ? text : `\n\n${text}\n\n`);
    return body.end;
  };

  const keptArgument = (tex: string, at: number, [keep, of]: [number, number], out: string[], depth: number): number => {
    let end = at;
    for (let i = 1; i <= of; i++) {
      for (let option = optionalAt(tex, end); option; option = optionalAt(tex, end)) end = option.end;
      const argument = groupAt(tex, end);
      if (!argument) return end;
      if (i === keep) out.push(convert(argument.content, depth + 1));
      end = argument.end;
    }
    return end;
  };

  return convert(source, 0);
};

/** The `$` closing inline math that opened before `from`: the next one not escaped. */
const closingDollar = (tex: string, from: number): number => {
  for (let i = from; i < tex.length; i++) {
    if (tex[i] === '\\') i += 1;
    else if (tex[i] === '$') return i;
    else if (tex[i] === '\n' && tex[i + 1] === '\n') return -1; // math never spans a paragraph
  }
  return -1;
};

const skipStar = (tex: string, at: number): number => (tex[at] === '*' ? at + 1 : at);

/** A TeX dimension after `\vskip`/`\hskip` ("2pt plus 1pt minus 1pt"). */
const skipDimension = (tex: string, at: number): number => {
  const match =
    /^\s*-?[\d.]+\s*(pt|em|ex|cm|mm|in|bp|sp|pc|dd|cc|mu)(\s*(plus|minus)\s*-?[\d.]+\s*(pt|em|ex|cm|mm|in|bp|sp|pc|dd|cc|mu|fil+))*/.exec(
      tex.slice(at, at + 80),
    );
  return match ? at + match[0].length : at;
};

/** `\'e`, `\'{e}`, `\"{\i}`, `\c{c}`: the letter with its combining mark, composed. */
const accented = (tex: string, at: number, mark: string, out: string[]): number => {
  const group = groupAt(tex, at);
  let letter: string;
  let end: number;
  if (group) {
    letter = group.content.trim().replace(/^\\([ij])$/, '$1');
    end = group.end;
  } else {
    const start = skipSpace(tex, at);
    if (tex[start] === '\\') {
      const inner = commandAt(tex, start);
      letter = inner.name === 'i' || inner.name === 'j' ? inner.name : '';
      end = inner.end;
    } else {
      letter = tex[start] ?? '';
      end = start + 1;
    }
  }
  out.push(letter ? `${letter}${mark}`.normalize('NFC') : '');
  return end;
};

/** `\verb|text|`: the text as it is. */
const verbatim = (tex: string, at: number, out: string[]): number => {
  const start = tex[at] === '*' ? at + 1 : at;
  const delimiter = tex[start];
  if (!delimiter) return start;
  const close = tex.indexOf(delimiter, start + 1);
  if (close === -1) return start + 1;
  out.push(tex.slice(start + 1, close));
  return close + 1;
};

/** TeX's ligatures for dashes and quotes in running text. */
const typography = (text: string): string =>
  text.includes('-') || text.includes('`') || text.includes("''")
    ? text.replace(/---/g, '—').replace(/--/g, '–').replace(/``/g, '“').replace(/''/g, '”').replace(/`/g, '‘')
    : text;

/**
 * A word that names what a `\ref` points at ("Figure~\ref{x}"). A reference in parentheses goes
 * whole ("(see Figure 2)"), as does one a preposition leads to ("as shown in Table 2, ..." reads
 * "as shown, ..."); elsewhere the word stays and the number goes ("Table 1 lists" reads "Table lists").
 */
const REFERRED_WORD = String.raw`(?:\b(?:Figures?|Figs?\.|Tables?|Tabs?\.|Sections?|Secs?\.|Equations?|Eqs?\.|Eqn\.|Appendix|Appendices|App\.|Algorithms?|Alg\.|Lines?|Chapters?|Chap\.|Theorems?|Thm\.|Lemmas?|Definitions?|Def\.|Corollary|Propositions?|Prop\.|Steps?|Examples?)|§)`;
const REFS_RUN = `${REF}(?:\\s*(?:,|and|or|–|-|&)\\s*${REF})*`;
const REF_IN_PARENTHESES = new RegExp(`\\(\\s*(?:(?:see|cf\\.|e\\.g\\.,?)\\s+)?(?:${REFERRED_WORD}\\s*)?${REFS_RUN}\\s*\\)`, 'g');
const REF_AFTER_PREPOSITION = new RegExp(`\\b(?:in|see|of|from|cf\\.|to|with)\\s+${REFERRED_WORD}\\s*${REFS_RUN}`, 'g');
const REF_RUN = new RegExp(`\\s*${REFS_RUN}`, 'g');
const GONE_RUN = new RegExp(`${GONE}+`, 'g');
const CITE_RUN = new RegExp(`\\s*${CITE}(?:\\s*[,;]\\s*${CITE})*`, 'g');

/** One paragraph of converted text, clean: references and citations out with what only framed them. */
const finishParagraph = (text: string): string =>
  cleanText(
    text
      .replace(GONE_RUN, ' ')
      .replace(REF_IN_PARENTHESES, '')
      .replace(REF_AFTER_PREPOSITION, '')
      .replace(REF_RUN, '')
      .replace(CITE_RUN, '')
      .replace(/\s+/g, ' ')
      .replace(/\(\s*[,;]?\s*\)|\[\s*\]/g, '')
      .replace(/\s+([.,;:!?)])/g, '$1')
      .replace(/\(\s+/g, '('),
  );

/** The converted body as outline blocks: headings (from the markers) and paragraphs. */
export const outlineOf = (text: string): OutlineBlock[] => {
  const blocks: OutlineBlock[] = [];
  const pattern = new RegExp(`${HEADING_START}(\\d)${HEADING_TEXT}([^${HEADING_END}]*)${HEADING_END}`, 'g');
  let at = 0;
  const paragraphs = (chunk: string): void => {
    for (const paragraph of chunk.split(/\n[ \t]*\n/)) {
      const clean = finishParagraph(paragraph);
      if (/\p{L}/u.test(clean)) blocks.push({ paragraph: clean });
    }
  };
  for (const match of text.matchAll(pattern)) {
    paragraphs(text.slice(at, match.index));
    const heading = finishParagraph(match[2] ?? '');
    if (heading) blocks.push({ heading, level: Number(match[1]) });
    at = match.index + match[0].length;
  }
  paragraphs(text.slice(at));
  return blocks;
};

/** Converted text as plain paragraphs (an abstract, a title): headings' markers dropped. */
export const plainParagraphs = (text: string): string[] =>
  outlineOf(text).flatMap((block) => ('paragraph' in block ? [block.paragraph] : [block.heading]));
