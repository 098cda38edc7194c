/**
 * Which source file is the paper: the one with `\documentclass` and `\begin{document}`. When
 * several have both, arXiv's own `00README.json` decides where it names a `toplevel` file
 * (https://info.arxiv.org/help/00README.html); otherwise a file no other candidate includes, not a
 * standalone figure or a subfile, not an old copy (`_old*`, `old/`), nearest the archive's root,
 * named like a main file, and then the longest.
 */

import { RejectedArticleError } from '../../errors';
import type { SourceFile } from './source-files';

const DOCUMENT_CLASS = /\\document(class|style)\s*(\[[^\]]*\])?\s*\{\s*([^}\s]+)\s*\}/;
const BEGIN_DOCUMENT = /\\begin\s*\{document\}/;

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const stem = (path: string): string => baseName(path).replace(/\.[^.]*$/, '');

/** The main file among comment-stripped sources. */
export const mainFile = (files: SourceFile[], readme?: string): SourceFile => {
  const candidates = files.filter((file) => DOCUMENT_CLASS.test(file.text) && BEGIN_DOCUMENT.test(file.text));
  const named = toplevelFromReadme(readme);
  const chosen = named && candidates.find((file) => file.path === named);
  if (chosen) return chosen;
  if (candidates.length === 0) {
    throw new RejectedArticleError(
      files.length === 1
        ? 'the .tex file has no \\documentclass and \\begin{document}: it is not a complete LaTeX document; upload the whole source, or the paper as PDF'
        : `no main .tex file (one with \\documentclass and \\begin{document}) among the ${files.length} sources: upload the paper's complete LaTeX source, or the paper as PDF`,
    );
  }
  const includedStems = new Set(
    candidates.flatMap((file) =>
      [...file.text.matchAll(/\\(?:input|include|subfile)\s*\{([^}]*)\}/g)].map((match) => stem(match[1]?.trim() ?? '')),
    ),
  );
  const included = (file: SourceFile): boolean => includedStems.has(stem(file.path));
  const score = (file: SourceFile): number[] => [
    /\{(subfiles|standalone)\}/.test(DOCUMENT_CLASS.exec(file.text)?.[0] ?? '') ? 1 : 0,
    /(^|\/)(_?old|backup|copy)[^/]*(\/|$)/i.test(file.path) || /^_/.test(baseName(file.path)) ? 1 : 0,
    included(file) ? 1 : 0,
    file.path.split('/').length,
    /^(main|ms|paper|manuscript|article)\.tex$/i.test(baseName(file.path)) ? 0 : 1,
    -file.text.length,
  ];
  return [...candidates].sort((a, b) => compare(score(a), score(b)))[0] as SourceFile;
};

const compare = (a: number[], b: number[]): number => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
};

/** arXiv's 00README.json: `{"sources": [{"filename": "ms.tex", "usage": "toplevel"}]}`. */
const toplevelFromReadme = (readme: string | undefined): string | undefined => {
  if (!readme) return undefined;
  try {
    const parsed = JSON.parse(readme) as { sources?: { filename?: unknown; usage?: unknown }[] };
    const top = parsed.sources?.find((source) => source.usage === 'toplevel')?.filename;
    return typeof top === 'string' ? top.replace(/^\.\//, '') : undefined;
  } catch {
    return undefined;
  }
};
