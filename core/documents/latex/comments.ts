/**
 * What LaTeX never typesets, removed before anything else reads the source: `%` comments (a `%`
 * not escaped as `\%`, to the end of the line and the line end itself, as TeX reads them: The
 * TeXbook, chapter 8), the comment package's `comment` environment, and the false branches of
 * `\iffalse`, `\iftrue` and the switches `\newif` declares (with their `\...true`/`\...false`
 * settings), so a commented-out abstract or an old section never reaches the summary.
 */

import { commandAt } from './tex-scanner';

/** Removes `%` comments line by line; `\verb` arguments keep theirs. */
export const stripComments = (source: string): string => {
  const lines = source.split('\n');
  const out: string[] = [];
  let joinNext = false;
  for (const line of lines) {
    const cut = commentStart(line);
    const kept = cut === -1 ? line : line.slice(0, cut);
    // A comment eats its line end, and TeX skips the next line's leading spaces; a blank line after
    // it still ends the paragraph (an empty line read in TeX's state N is \par: The TeXbook, chapter 8).
    if (joinNext && !(cut === -1 && kept.trim() === '')) out[out.length - 1] += kept.replace(/^[ \t]+/, '');
    else out.push(kept);
    joinNext = cut !== -1;
  }
  return out.join('\n');
};

const commentStart = (line: string): number => {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '%') return i;
    if (c !== '\\') continue;
    const next = line[i + 1];
    if (line.startsWith('verb', i + 1) && !/[A-Za-z]/.test(line[i + 5] ?? '')) {
      // \verb|...| (or \verb*|...|): its delimiter is the next character; a % inside is text.
      const delimiterAt = line[i + 5] === '*' ? i + 6 : i + 5;
      const close = line.indexOf(line[delimiterAt] ?? '', delimiterAt + 1);
      i = close === -1 ? line.length : close;
    } else if (next !== undefined) i += 1; // \% and \\ are not comments
  }
  return -1;
};

/** Removes `\begin{comment}...\end{comment}` (the comment package's environment), its lines whole, as the package does. */
export const removeCommentEnvironments = (source: string): string =>
  source.replace(/\\begin\s*\{comment\}[\s\S]*?(\\end\s*\{comment\}[^\n]*\n?|$)/g, '');

/** TeX's conditionals (The TeXbook, chapter 20), which each end with `\fi`; etoolbox's `\ifdef{...}` and friends do not. */
const PRIMITIVE_CONDITIONALS = new Set([
  'if',
  'ifcat',
  'ifnum',
  'ifdim',
  'ifodd',
  'ifvmode',
  'ifhmode',
  'ifmmode',
  'ifinner',
  'ifvoid',
  'ifhbox',
  'ifvbox',
  'ifx',
  'ifeof',
  'iftrue',
  'iffalse',
  'ifcase',
  'ifdefined',
  'ifcsname',
  'iffontchar',
  'ifpdf',
  'ifxetex',
  'ifluatex',
]);

/**
 * Keeps only the branches TeX would typeset of `\iffalse`, `\iftrue` and declared switches
 * (`\newif\ifdraft` with `\drafttrue`/`\draftfalse`, their last setting before the test counting).
 * Other conditionals (`\ifx`, `\ifnum`, ...) are left as they are, their `\fi` counted for nesting.
 */
export const resolveConditionals = (source: string): string => {
  const switches = new Map<string, boolean>();
  for (const match of source.matchAll(/\\newif\s*\\if([A-Za-z]+)/g)) switches.set(match[1] ?? '', false);
  if (!/\\if(false|true)(?![A-Za-z])/.test(source) && switches.size === 0) return source;
  const isConditional = (name: string): boolean =>
    PRIMITIVE_CONDITIONALS.has(name) || (name.startsWith('if') && switches.has(name.slice(2)));

  const resolve = (text: string): string => {
    const out: string[] = [];
    let copied = 0;
    const pattern = /\\([A-Za-z]+)/g;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      const name = match[1] ?? '';
      const setting = /^([A-Za-z]+)(true|false)$/.exec(name);
      if (setting && !name.startsWith('if') && switches.has(setting[1] ?? '')) {
        switches.set(setting[1] ?? '', setting[2] === 'true');
        continue;
      }
      const decided = name === 'iffalse' || name === 'iftrue' || (name.startsWith('if') && switches.has(name.slice(2)));
      if (!decided || /\\newif\s*$/.test(text.slice(Math.max(0, match.index - 12), match.index))) continue;
      const truth = name === 'iftrue' || (name !== 'iffalse' && switches.get(name.slice(2)) === true);
      const branches = conditionalAt(text, match.index + match[0].length, isConditional);
      out.push(text.slice(copied, match.index), resolve(truth ? branches.whenTrue : branches.whenFalse));
      copied = branches.end;
      pattern.lastIndex = branches.end;
    }
    out.push(text.slice(copied));
    return out.join('');
  };
  return resolve(source);
};

/** The two branches of a conditional whose test ends at `from`, and where its `\fi` ends. */
const conditionalAt = (
  source: string,
  from: number,
  isConditional: (name: string) => boolean,
): { whenTrue: string; whenFalse: string; end: number } => {
  let depth = 0;
  let elseAt = -1;
  for (let i = source.indexOf('\\', from); i !== -1; i = source.indexOf('\\', i)) {
    const { name, end } = commandAt(source, i);
    if (isConditional(name)) depth += 1;
    else if (name === 'else' && depth === 0 && elseAt === -1) elseAt = i;
    else if (name === 'fi') {
      if (depth === 0) {
        const trueEnd = elseAt === -1 ? i : elseAt;
        return { whenTrue: source.slice(from, trueEnd), whenFalse: elseAt === -1 ? '' : source.slice(elseAt + 5, i), end };
      }
      depth -= 1;
    }
    i = end;
  }
  return { whenTrue: source.slice(from), whenFalse: '', end: source.length }; // no \fi: TeX would stop with an error
};
