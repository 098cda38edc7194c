/**
 * YAML front matter at the top of a Markdown file (between `---` lines, as Jekyll, Hugo, Pandoc and
 * Quarto write it), read for the simple fields a paper's metadata uses: scalars (plain or quoted),
 * lists (`[a, b]` or `- a` lines) and block scalars (`|`, `>`). Nested maps (`author:` with `name:`
 * under it) are skipped: no field this reader uses needs one, and no YAML library is bundled for them.
 */

export type FrontMatterValue = string | string[];

export interface FrontMatter {
  /** Fields by lower-cased key. */
  fields: Map<string, FrontMatterValue>;
  /** The Markdown after the front matter (all of it when there is none). */
  body: string;
}

const unquote = (value: string): string => {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\"/g, '"').replace(/\\n/g, '\n');
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  return v.replace(/\s+#.*$/, ''); // a comment after a plain scalar
};

const flowList = (value: string): string[] =>
  value
    .slice(1, -1)
    .split(',')
    .map(unquote)
    .filter((item) => item !== '');

const indentOf = (line: string): number => /^ */.exec(line)?.[0].length ?? 0;

/** Splits a Markdown file into its front matter fields and its body. */
export const frontMatter = (markdown: string): FrontMatter => {
  const match = /^(?:\ufeff)?---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(markdown);
  const fields = new Map<string, FrontMatterValue>();
  if (!match) return { fields, body: markdown };
  const lines = (match[1] ?? '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const field = /^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$/.exec(lines[i] ?? '');
    if (!field?.[1]) continue;
    const key = field[1].toLowerCase();
    const value = (field[2] ?? '').trim();
    // The lines indented under this key belong to it.
    let end = i + 1;
    while (end < lines.length && ((lines[end] ?? '').trim() === '' || indentOf(lines[end] ?? '') > 0 || /^- /.test(lines[end] ?? '')))
      end++;
    const nested = lines.slice(i + 1, end);
    i = end - 1;
    if (/^[|>][-+]?$/.test(value)) {
      const indent = Math.min(...nested.filter((line) => line.trim() !== '').map(indentOf));
      const text = nested.map((line) => line.slice(indent)).join('\n');
      fields.set(key, value.startsWith('|') ? text.trim() : text.replace(/\s*\n\s*/g, ' ').trim());
    } else if (value.startsWith('[') && value.endsWith(']')) fields.set(key, flowList(value));
    else if (value !== '')
      fields.set(
        key,
        [value, ...nested.map((line) => line.trim())]
          .filter((part) => part !== '')
          .map(unquote)
          .join(' '),
      );
    else {
      const items = nested.filter((line) => /^\s*- /.test(line)).map((line) => unquote(line.replace(/^\s*- /, '')));
      if (items.length > 0 && items.every((item) => !/^[\w-]+\s*:\s/.test(item))) fields.set(key, items);
    }
  }
  return { fields, body: markdown.slice(match[0].length) };
};
