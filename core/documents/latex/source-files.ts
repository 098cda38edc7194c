/**
 * A LaTeX upload's source files, decoded: a single .tex (plain, or gzipped as arXiv serves a
 * one-file submission), an arXiv source tarball (.tar, .tar.gz, or arXiv's bare gzip of a tar), or
 * a zip (an Overleaf project download). Unpacking is bounded by the document's budget
 * (archive.ts). macOS metadata (AppleDouble `._*` files, `__MACOSX/`) is ignored; an archive inside
 * the archive is not opened.
 */

import { RejectedArticleError } from '../../errors';
import { ExpansionBudget, gunzip, isGzip, isTar, isZip, untar, unzip, type ArchiveEntry } from '../archive';
import type { ReadContext } from '../document';
import { MARKER_CHARACTERS } from './tex-to-text';

export interface SourceFile {
  /** The path inside the archive, normalised ("sections/intro.tex"); a single upload is "main.tex". */
  path: string;
  text: string;
}

const APPLE_METADATA = /(^|\/)(\._[^/]*|__MACOSX\/.*|\.DS_Store)$/;
/** Files \input can name: .tex and friends, and names without an extension (`\input{intro}` finds `intro` too). */
const isSourceName = (path: string): boolean =>
  !APPLE_METADATA.test(path) && (/\.(tex|ltx|latex)$/i.test(path) || /(^|\/)[^./]+$/.test(path) || path === README);
/** arXiv's list of a submission's files, which names the top-level file (main-file.ts). */
export const README = '00README.json';
const isArchiveName = (path: string): boolean => /\.(tar|tgz|tar\.gz|zip|7z|rar|tar\.bz2|tar\.xz)$/i.test(path);

/** Reads every LaTeX source file the upload holds. */
export const sourceFiles = (bytes: Uint8Array, context: ReadContext): SourceFile[] => {
  const budget = new ExpansionBudget(context);
  let unpacked = bytes;
  if (isGzip(bytes)) {
    unpacked = gunzip(bytes, budget, 'the gzip file');
    if (isGzip(unpacked) || isZip(unpacked) || /^BZh|^\xfd7zXZ/.test(new TextDecoder('latin1').decode(unpacked.subarray(0, 6)))) {
      throw new RejectedArticleError(
        'the gzip file holds another compressed file (a nested archive): upload the LaTeX sources as one .tar.gz, or the single .tex',
      );
    }
  }
  if (isTar(unpacked)) return fromArchive(untar(unpacked, context, 'the tar archive'), 'the tar archive');
  if (isZip(unpacked)) {
    if (unpacked !== bytes) throw new RejectedArticleError('the gzip file holds a zip archive (a nested archive): upload the zip itself');
    return fromArchive(unzip(unpacked, budget, isSourceName, 'the zip archive'), 'the zip archive');
  }
  return [{ path: 'main.tex', text: decodeSource(unpacked) }];
};

const fromArchive = (entries: ArchiveEntry[], what: string): SourceFile[] => {
  const files: SourceFile[] = [];
  for (const entry of entries) {
    const path = normalisedPath(entry.name);
    if (path && isSourceName(path)) files.push({ path, text: decodeSource(entry.bytes) });
  }
  if (!files.some((file) => /\.(tex|ltx|latex)$/i.test(file.path))) {
    const names = entries.map((entry) => entry.name).filter((name) => !APPLE_METADATA.test(name));
    const nested = names.filter(isArchiveName);
    if (nested.length > 0) {
      throw new RejectedArticleError(
        `${what} holds another archive (${nested.slice(0, 3).join(', ')}) and no .tex file: archives inside archives are not opened; upload the LaTeX sources as one .tar.gz`,
      );
    }
    throw new RejectedArticleError(
      `${what} holds no LaTeX source (.tex)${names.length ? ` (it holds ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''})` : ''}: upload the paper's .tex sources, or the paper as PDF`,
    );
  }
  return files;
};

/** "./a/../b.tex" -> "b.tex"; undefined for a path that leaves the archive (absolute, or `..` past its root). */
export const normalisedPath = (path: string): string | undefined => {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return undefined;
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.length > 0 ? parts.join('/') : undefined;
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

/** UTF-8, or, where a file is not valid UTF-8, Latin-1/Windows-1252 (`\usepackage[latin1]{inputenc}`, common in older sources). */
const decodeSource = (bytes: Uint8Array): string => {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = windows1252.decode(bytes);
  }
  return text
    .replace(/^\ufeff/, '')
    .replace(/\r\n?/g, '\n')
    .replace(MARKER_CHARACTERS, '');
};
