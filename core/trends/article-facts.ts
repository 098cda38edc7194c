/**
 * What the ledger row says about an article's content and date, for trend analysis (docs/trends.md):
 * its title, key phrases and published day, and where that day came from. Bounded: at most 10 phrases
 * of at most 60 characters and a 200-character title, never the article's text.
 */

import type { ExtractedDocument } from '../documents/document';
import { keyphrases, MAX_KEYPHRASES, MAX_PHRASE_CHARS, MAX_PHRASE_WORDS, titleOf } from './keyphrases';
import { publishedDate, type PublishedDate } from './published-date';

/**
 * Where `publishedDay` came from: the upload's `published` metadata, the date the document states,
 * a date that only bounds it (an arXiv id's month, a PDF's creation date), or the upload day.
 */
export type PublishedSource = 'metadata' | 'document' | 'document-approximate' | 'upload';

export type ArticleFacts = PublishedDate & { publishedSource: PublishedSource; title?: string; keyphrases: string[] };

/**
 * `text` is what the model reads (a document's extracted body), `published` the upload's `published`
 * user metadata, `uploadedAt` its S3 event time, and `document` what was read from a research document.
 * Precedence of the published day: the metadata, then the document's own date, then the upload day.
 */
export const articleFacts = (
  text: string,
  published: string | undefined,
  uploadedAt: string,
  document?: Pick<ExtractedDocument, 'title' | 'keywords' | 'published'>,
): ArticleFacts => {
  const title = document?.title || titleOf(text);
  const date = publishedDate(published, uploadedAt, document?.published);
  return {
    ...date,
    publishedSource: sourceOf(date, published, document),
    ...(title ? { title } : {}),
    keyphrases: withAuthorKeywords(document?.keywords ?? [], keyphrases(text, title ? { title } : {})),
  };
};

const sourceOf = (date: PublishedDate, published: string | undefined, document?: Pick<ExtractedDocument, 'published'>): PublishedSource => {
  if (published !== undefined && date.publishedIgnored === undefined) return 'metadata';
  if (document?.published && date.publishedAt === document.published.day) return document.published.source;
  return 'upload';
};

/**
 * The author's keywords first (lower-cased, those of 1–3 words), then the phrases read from the text,
 * within the same 10 phrases: the author knows best what the paper is about.
 */
export const withAuthorKeywords = (keywords: readonly string[], found: readonly string[]): string[] => {
  const authors = keywords
    .map((keyword) => keyword.toLowerCase().replace(/\s+/g, ' ').trim())
    .filter((keyword) => keyword !== '' && keyword.length <= MAX_PHRASE_CHARS && keyword.split(' ').length <= MAX_PHRASE_WORDS);
  return [...new Set([...authors, ...found])].slice(0, MAX_KEYPHRASES);
};
