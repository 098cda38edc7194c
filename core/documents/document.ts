/**
 * What the product reads from a research document (docs/documents.md): its own title, the author's
 * abstract, the body sections the model summarizes, the author's keywords, the publication date the
 * document states, and, for a PDF, its page count and the pages without a usable text layer.
 *
 * Every extractor in core/documents/ turns a document's bytes into an ExtractedDocument, or throws
 * RejectedArticleError (core/errors.ts) with a reason a person can act on. Extractors are pure: bytes
 * in, a document out; no AWS SDK, no environment reads, no network (DOCTYPEs and entities are never
 * fetched or expanded).
 */

export const DocumentFormats = ['text', 'markdown', 'html', 'jats', 'pdf', 'docx', 'latex'] as const;
export type DocumentFormat = (typeof DocumentFormats)[number];

/** Formats read as text, bounded by maxArticleBytes; the others (packages and PDFs) by maxDocumentBytes. */
export const TextFormats: readonly DocumentFormat[] = ['text', 'markdown'];

/** One section of the body, in reading order. The abstract, references and back matter are never sections. */
export interface Section {
  /** The section's heading as the document writes it ("2.1 Methods"), when it has one. */
  heading?: string;
  /** Paragraphs separated by a blank line; no figures, tables, captions, footnotes, formulas or citations. */
  text: string;
}

/** Where a document's publication date came from. */
export type DocumentDateSource = 'document' | 'document-approximate';

export interface DocumentDate {
  /** YYYY-MM-DD. */
  day: string;
  /** 'document': the date the document states as its publication date (JATS pub-date, citation_date,
   * a LaTeX \date). 'document-approximate': a date that only bounds it (an arXiv id's month: its first
   * day; a PDF's CreationDate). */
  source: DocumentDateSource;
  /** What it was read from, for a person: "JATS pub-date (epub)", "citation_publication_date", "arXiv id 2004.14974". */
  from: string;
}

export interface ExtractedDocument {
  format: DocumentFormat;
  /** The document's own title, on one line. */
  title?: string;
  /** The author's abstract (a structured abstract's parts joined), never a digest, author summary or teaser. */
  abstract?: string;
  /** The body in reading order: never the abstract, front matter, references, acknowledgements, funding,
   * competing interests, appendices or anything after the references. */
  sections: Section[];
  /** The author's keywords, as written, in the document's order. */
  keywords: string[];
  published?: DocumentDate;
  /** PDF: the number of pages. */
  pages?: number;
  /** PDF: 1-based numbers of pages left out because their text layer is absent or garbage (scanned). */
  unusablePages?: number[];
  /** BCP 47 language of the document where it says (xml:lang, <html lang>). */
  language?: string;
}

/** Bounds every extractor keeps, so a hostile or huge document cannot exhaust the function. */
export interface ExtractionLimits {
  /** Most bytes any decompression (zip entry, gzip, tar) may produce in total. */
  maxExpandedBytes: number;
  /** Extraction stops with a RejectedArticleError past this instant (epoch ms): the function's time. */
  deadline: number;
  /** The current time in epoch ms (injected so tests can run the deadline on a clock of their own). */
  now: () => number;
}

/** What a reader gets besides the bytes: the object's key (an arXiv id or a file name may date it) and the limits. */
export interface ReadContext extends ExtractionLimits {
  /** The S3 key, as uploaded (`input/2004.14974.tar.gz`). */
  key: string;
}

/** The body as the model reads it and as `extracted/<articleId>/<inferenceId>.txt` shows it. */
export const bodyText = (document: Pick<ExtractedDocument, 'sections'>): string =>
  document.sections
    .map((section) => (section.heading ? `${section.heading}\n\n${section.text}` : section.text))
    .filter((text) => text.trim() !== '')
    .join('\n\n');
