/**
 * What a scholarly page states about itself in its head: Highwire Press `citation_*` tags (what
 * Google Scholar indexes, https://scholar.google.com/intl/en/scholar/inclusion.html#indexing) and
 * Dublin Core `DC.*` / `dcterms.*` tags (https://www.dublincore.org/specifications/dublin-core/dcq-html/).
 */

import type { DocumentDate } from '../document';
import { documentDate } from '../document-date';
import { cleanText, oneLine } from '../sections';
import type { DomDocument } from './dom';
import { htmlText } from './dom';

export interface PageMetadata {
  title?: string;
  abstract?: string;
  published?: DocumentDate;
  keywords: string[];
  language?: string;
}

/** Date tags, most specific first: the publication date, then the date the article went online. */
const DATE_TAGS = [
  'citation_publication_date',
  'citation_date',
  'citation_online_date',
  'dc.date.issued',
  'dcterms.issued',
  'dc.date',
  'dcterms.date',
  'prism.publicationdate',
  'article:published_time',
];

/** Every meta tag's content by its lower-cased name or property, in document order. */
const metaTags = (document: DomDocument): Map<string, string[]> => {
  const tags = new Map<string, string[]>();
  for (const meta of Array.from(document.querySelectorAll('meta'))) {
    const name = (meta.getAttribute('name') ?? meta.getAttribute('property') ?? meta.getAttribute('http-equiv') ?? '').trim().toLowerCase();
    const content = meta.getAttribute('content');
    if (!name || content === null || content.trim() === '') continue;
    tags.set(name, [...(tags.get(name) ?? []), content]);
  }
  return tags;
};

/** citation_abstract sometimes holds markup ("<p>…</p>") and a leading "Abstract". */
const abstractOf = (content: string | undefined): string | undefined => {
  if (!content) return undefined;
  const text = cleanText(htmlText(content).replace(/\s+/g, ' ')).replace(/^abstract\s*[:.—–-]?\s*/i, '');
  return text === '' ? undefined : text;
};

const keywordsOf = (values: string[]): string[] =>
  values
    .flatMap((value) => value.split(/\s*[;,]\s*/))
    .map((keyword) => oneLine(keyword, 100))
    .filter((keyword) => keyword !== '');

/** The page's own statements about the article it carries. */
export const pageMetadata = (document: DomDocument): PageMetadata => {
  const tags = metaTags(document);
  const first = (...names: string[]): string | undefined => names.map((name) => tags.get(name)?.[0]).find((value) => value !== undefined);
  const title = first('citation_title', 'dc.title', 'dcterms.title');
  const abstract = abstractOf(first('citation_abstract', 'dcterms.abstract'));
  const published = DATE_TAGS.map((name) => documentDate(first(name), name)).find((date) => date !== undefined);
  const language =
    document.documentElement?.getAttribute('lang') ??
    document.documentElement?.getAttribute('xml:lang') ??
    first('citation_language', 'dc.language', 'content-language');
  return {
    ...(title && { title: oneLine(htmlText(title)) }),
    ...(abstract && { abstract }),
    ...(published && { published }),
    keywords: [...new Set(keywordsOf([...(tags.get('citation_keywords') ?? []), ...(tags.get('dc.subject') ?? [])]))],
    ...(language?.trim() && { language: language.trim() }),
  };
};

/** The page's description in Dublin Core, the abstract of pages that give no other (read last). */
export const dublinCoreDescription = (document: DomDocument): string | undefined =>
  abstractOf(metaTags(document).get('dc.description')?.[0] ?? metaTags(document).get('dcterms.description')?.[0]);
