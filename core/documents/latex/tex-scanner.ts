/**
 * Reading TeX source the way TeX tokenizes it, as far as extraction needs: control sequences (a
 * backslash and letters, or a backslash and one other character), balanced `{...}` groups,
 * optional `[...]` arguments, and `\begin{name}...\end{name}` with nesting. TeX's rules: The
 * TeXbook, chapters 7 ("How TeX Reads What You Type") and 20 ("Definitions (also called Macros)").
 */

export interface Span {
  /** The text inside the delimiters. */
  content: string;
  /** The index just past the closing delimiter. */
  end: number;
}

const isLetter = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));

/** The name of the control sequence whose backslash is at `at`: letters ("section"), or one character ("%"). */
export const commandAt = (source: string, at: number): { name: string; end: number } => {
  let end = at + 1;
  if (isLetter(source[end])) {
    while (isLetter(source[end])) end += 1;
  } else end += 1;
  return { name: source.slice(at + 1, end), end };
};

/** Past spaces and tabs, and at most one line end: a blank line is a paragraph, which ends an argument list. */
export const skipSpace = (source: string, at: number): number => {
  let newlines = 0;
  for (;;) {
    const c = source[at];
    if (c === ' ' || c === '\t' || c === '\r') at += 1;
    else if (c === '\n' && newlines === 0) {
      newlines += 1;
      at += 1;
    } else return at;
  }
};

/** The balanced group `open`...`close` that starts at `at` (after white space), or undefined. Braces inside `[...]` still nest. */
const delimitedAt = (source: string, at: number, open: string, close: string): Span | undefined => {
  const start = skipSpace(source, at);
  if (source[start] !== open) return undefined;
  let depth = 0;
  let braces = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i += 1;
    else if (open === '[' && c === '{') braces += 1;
    else if (open === '[' && c === '}') braces -= 1;
    else if (braces > 0) continue;
    else if (c === open) depth += 1;
    else if (c === close) {
      depth -= 1;
      if (depth === 0) return { content: source.slice(start + 1, i), end: i + 1 };
    }
  }
  return undefined;
};

/** A `{...}` group at `at`, braces balanced. */
export const groupAt = (source: string, at: number): Span | undefined => delimitedAt(source, at, '{', '}');

/** An optional `[...]` argument at `at`. */
export const optionalAt = (source: string, at: number): Span | undefined => delimitedAt(source, at, '[', ']');

/** A macro argument at `at`: a group's content, or else one token (a control sequence or a character). */
export const argumentAt = (source: string, at: number): Span | undefined => {
  const group = groupAt(source, at);
  if (group) return group;
  const start = skipSpace(source, at);
  if (start >= source.length || source[start] === '}') return undefined;
  if (source[start] === '\\') {
    const { end } = commandAt(source, start);
    return { content: source.slice(start, end), end };
  }
  return { content: source[start] ?? '', end: start + 1 };
};

/** Past every optional argument and then `count` mandatory ones (as many as there are). */
export const skipArguments = (source: string, at: number, count: number): number => {
  let end = at;
  for (let option = optionalAt(source, end); option; option = optionalAt(source, end)) end = option.end;
  for (let i = 0; i < count; i++) {
    const group = groupAt(source, end);
    if (!group) break;
    end = group.end;
    for (let option = optionalAt(source, end); option; option = optionalAt(source, end)) end = option.end;
  }
  return end;
};

/**
 * The body of the environment whose `\begin{name}` ends at `from`, up to its matching `\end{name}`
 * (nested environments of the same name counted). Without one, it runs to the end of the source.
 */
export const environmentAt = (source: string, name: string, from: number): Span => {
  const pattern = new RegExp(`\\\\(begin|end)\\s*\\{${escapeRegExp(name)}\\}`, 'g');
  pattern.lastIndex = from;
  let depth = 1;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    depth += match[1] === 'begin' ? 1 : -1;
    if (depth === 0) return { content: source.slice(from, match.index), end: match.index + match[0].length };
  }
  return { content: source.slice(from), end: source.length };
};

/** Where `\begin{name}` (any of the names) first appears. */
export const findBegin = (source: string, names: readonly string[], from = 0): { index: number; name: string; end: number } | undefined => {
  const pattern = new RegExp(`\\\\begin\\s*\\{(${names.map(escapeRegExp).join('|')})\\}`, 'g');
  pattern.lastIndex = from;
  const match = pattern.exec(source);
  return match ? { index: match.index, name: match[1] ?? '', end: match.index + match[0].length } : undefined;
};

/** A name as a regular expression that matches only it (an environment's name comes from the document). */
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
