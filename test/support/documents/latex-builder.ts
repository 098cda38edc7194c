/**
 * LaTeX sources as they are uploaded: a tar (nanotar writes ustar), gzipped or not, a gzipped
 * single .tex, and a small paper to put in them.
 */

import { createTar } from 'nanotar';
import { gzipSync } from 'node:zlib';

export const tarOf = (files: Record<string, string | Uint8Array>): Uint8Array =>
  createTar(Object.entries(files).map(([name, data]) => ({ name, data, attrs: { mtime: 0 } })));

export const gzipOf = (bytes: Uint8Array | string): Uint8Array => new Uint8Array(gzipSync(bytes));

export const tarGzOf = (files: Record<string, string | Uint8Array>): Uint8Array => gzipOf(tarOf(files));

/** A complete small paper: `body` goes between \begin{document} and the bibliography. */
export const paper = ({ preamble = '', body }: { preamble?: string; body: string }): string => `\\documentclass{article}
\\usepackage{amsmath}
${preamble}
\\title{A Small Paper}
\\begin{document}
\\maketitle
${body}
\\bibliographystyle{plain}
\\bibliography{refs}
\\end{document}
`;
