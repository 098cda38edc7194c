/**
 * The main file with every file it includes put in place, as LaTeX reads them: `\input{file}` and
 * `\input file`, `\include{file}` (honouring `\includeonly`), `\subfile{file}` (the subfile's
 * document body), and the import package's `\import{dir}{file}` / `\subimport{dir}{file}`. A name
 * is tried as written and with `.tex`, relative to the main file's folder (TeX's working folder)
 * and then to the including file's. A name that leaves the archive (absolute, or `..` past its
 * root), or that the archive does not hold, is left out, as is everything after `\endinput`.
 *
 * Bounded: includes nest at most MAX_INCLUDE_DEPTH deep (a file that includes itself never ends),
 * and the assembled source may be at most `maxChars` long (a small file included many times).
 */

import { RejectedArticleError } from '../../errors';
import { checkDeadline } from '../deadline';
import type { ExtractionLimits } from '../document';
import { groupAt, skipSpace } from './tex-scanner';
import { normalisedPath, type SourceFile } from './source-files';

export const MAX_INCLUDE_DEPTH = 16;

export interface AssemblyLimits extends Pick<ExtractionLimits, 'deadline' | 'now'> {
  maxChars: number;
}

const INCLUDERS = /\\(input|include|subfile|import|subimport|inputfrom|subinputfrom|includefrom|subincludefrom)(?![A-Za-z@])/g;

const folderOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const joined = (folder: string, name: string): string => (folder ? `${folder}/${name}` : name);

export const assembleSource = (main: SourceFile, files: SourceFile[], limits: AssemblyLimits): string => {
  const byPath = new Map(files.map((file) => [file.path, file.text]));
  const root = folderOf(main.path);
  const only = includeOnly(main.text);
  let total = 0;

  const find = (name: string, folders: string[]): { path: string; text: string } | undefined => {
    for (const folder of folders) {
      for (const candidate of [name, `${name}.tex`]) {
        const path = normalisedPath(joined(folder, candidate));
        const text = path === undefined ? undefined : byPath.get(path);
        if (path !== undefined && text !== undefined) return { path, text };
      }
    }
    return undefined;
  };

  const expand = (text: string, path: string, depth: number): string => {
    if (depth > MAX_INCLUDE_DEPTH) {
      throw new RejectedArticleError(
        `the LaTeX files include one another more than ${MAX_INCLUDE_DEPTH} deep (${path} includes itself?): the source cannot be read`,
      );
    }
    checkDeadline(limits, 'reading the LaTeX source files');
    const source = text.replace(/\\endinput(?![A-Za-z])[\s\S]*$/, '');
    const out: string[] = [];
    let copied = 0;
    const pattern = new RegExp(INCLUDERS.source, 'g');
    for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
      const command = match[1] ?? '';
      const at = match.index + match[0].length;
      const target = targetAt(source, at, command);
      if (!target) continue;
      out.push(source.slice(copied, match.index));
      copied = target.end;
      pattern.lastIndex = target.end;
      if (command === 'include' && only && !only.has(target.name.replace(/\.tex$/, ''))) continue;
      const here = folderOf(path);
      const folders = /^sub/.test(command) ? [joined(here, target.folder)] : [joined(root, target.folder), joined(here, target.folder)];
      const file = find(target.name, folders);
      if (!file) continue; // not in the archive, or outside it: LaTeX would stop; the rest is still readable
      total += file.text.length; // each time a file is put in place, so one included many times counts each time
      if (total > limits.maxChars) {
        throw new RejectedArticleError(
          `the LaTeX source with its included files is more than ${limits.maxChars} characters: upload the paper as PDF`,
        );
      }
      let included = expand(file.text, file.path, depth + 1);
      if (command === 'subfile') included = documentBody(included);
      // \include starts a page: a paragraph break either side.
      out.push(command === 'include' ? `\n\n${included}\n\n` : included);
    }
    out.push(source.slice(copied));
    return out.join('');
  };

  return expand(main.text, main.path, 0);
};

/** The file an include command names: `{name}`, `{dir}{name}` for the import forms, or a bare `\input name`. */
const targetAt = (source: string, at: number, command: string): { folder: string; name: string; end: number } | undefined => {
  if (/import|from$/.test(command)) {
    const folder = groupAt(source, at);
    const name = folder && groupAt(source, folder.end);
    return name ? { folder: folder.content.trim(), name: name.content.trim(), end: name.end } : undefined;
  }
  const group = groupAt(source, at);
  if (group) return { folder: '', name: group.content.trim(), end: group.end };
  if (command !== 'input') return undefined;
  // TeX's primitive form: \input name, the name ending at a space or the line's end.
  const start = skipSpace(source, at);
  const bare = /^[^\s{}\\%]+/.exec(source.slice(start, start + 300));
  return bare ? { folder: '', name: bare[0], end: start + bare[0].length } : undefined;
};

/** The names `\includeonly{a,b}` allows, or undefined when every `\include` counts. */
const includeOnly = (text: string): Set<string> | undefined => {
  const match = /\\includeonly\s*\{([^}]*)\}/.exec(text);
  return match ? new Set((match[1] ?? '').split(',').map((name) => name.trim().replace(/\.tex$/, ''))) : undefined;
};

/** A subfile is a document of its own: its body is what the main document gets. */
const documentBody = (text: string): string => {
  const begin = /\\begin\s*\{document\}/.exec(text);
  if (!begin) return text;
  const end = text.indexOf('\\end{document}', begin.index);
  return text.slice(begin.index + begin[0].length, end === -1 ? undefined : end);
};
