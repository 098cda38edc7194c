/**
 * What a JATS `<article-meta>` states (https://jats.nlm.nih.gov/archiving/tag-library/1.3/element/article-meta.html):
 * the title, the author's abstract in the article's language, keywords and the publication date.
 */

import type { DocumentDate } from '../document';
import { calendarDay, documentDate } from '../document-date';
import { isSecondaryAbstractHeading, oneLine } from '../sections';
import { tidyParagraph } from './inline-text';
import { jatsInline } from './jats-text';
import { childElements, descendants, firstChild, isXmlElement, type XmlElement } from './xml-tree';

const lang = (element: XmlElement | undefined): string | undefined => element?.attrs['xml:lang']?.trim().toLowerCase() || undefined;

/** The article's language: `<article xml:lang>`, else the language of its first title or abstract (SciELO sets only those). */
export const articleLanguage = (article: XmlElement, meta: XmlElement | undefined): string | undefined =>
  lang(article) ?? lang(descendants(meta ?? article, 'article-title', ['ref-list'])[0]) ?? lang(firstChild(meta, 'abstract'));

/** An element's text on one line, citations and markers out. */
const lineOf = (element: XmlElement): string => oneLine(tidyParagraph(jatsInline(element.children)), 500);

/** The title in the article's language (SciELO gives one per language), footnote and citation markers out. */
export const articleTitle = (meta: XmlElement | undefined, language: string | undefined): string | undefined => {
  const titles = childElements(firstChild(meta, 'title-group'), 'article-title');
  const title = titles.find((candidate) => (lang(candidate) ?? language) === language) ?? titles[0];
  const text = title && lineOf(title);
  return text || undefined;
};

/**
 * `abstract-type` values of abstracts that are not the paper's abstract (eLife's digest is
 * "executive-summary", PLOS's Author Summary "summary", OUP's "teaser";
 * https://jats.nlm.nih.gov/archiving/tag-library/1.3/attribute/abstract-type.html).
 */
const SECONDARY_ABSTRACT_TYPES =
  /summary|teaser|digest|^toc$|graphical|precis|highlights|key-?points|^lay-|plain-language|impact|significance|synopsis|video|audio|editor/i;

const DOI_LINE = /^doi:?\s*\S+$/i;

/** An abstract's text: its paragraphs, a structured abstract's parts as "Background: …" lines. */
const abstractText = (abstract: XmlElement): string => {
  const lines: string[] = [];
  for (const child of childElements(abstract)) {
    if (child.name === 'sec') {
      const title = firstChild(child, 'title');
      const body = abstractText(child);
      if (body) lines.push(title ? `${lineOf(title).replace(/[:.]\s*$/, '')}: ${body.replace(/\n/g, ' ')}` : body);
    } else if (child.name === 'p' || child.name === 'list') {
      const text = tidyParagraph(jatsInline(child.children));
      if (text && !DOI_LINE.test(text)) lines.push(text);
    }
  }
  return lines.join('\n');
};

/**
 * The author's abstract: an `<abstract>` (or `<trans-abstract>`) that is not a digest, summary or
 * teaser by its type or title, in the article's language when there is one in it, an untyped one
 * before a typed one.
 */
export const authorAbstract = (meta: XmlElement | undefined, language: string | undefined): string | undefined => {
  const candidates = childElements(meta, 'abstract', 'trans-abstract')
    .filter((abstract) => !SECONDARY_ABSTRACT_TYPES.test(abstract.attrs['abstract-type'] ?? ''))
    .filter((abstract) => {
      const title = firstChild(abstract, 'title');
      return !isSecondaryAbstractHeading(title && lineOf(title));
    });
  const rank = (abstract: XmlElement): number => {
    const abstractLanguage = lang(abstract) ?? (abstract.name === 'abstract' ? language : undefined);
    return (abstractLanguage === language ? 0 : 4) + (abstract.name === 'abstract' ? 0 : 2) + (abstract.attrs['abstract-type'] ? 1 : 0);
  };
  const chosen = candidates
    .map((abstract, order) => ({ abstract, order }))
    .sort((a, b) => rank(a.abstract) - rank(b.abstract) || a.order - b.order)[0];
  const text = chosen && abstractText(chosen.abstract);
  return text || undefined;
};

/** The author's keywords, the groups in the article's language first; abbreviation and organism lists are not keywords. */
export const keywordsOf = (meta: XmlElement | undefined, language: string | undefined): string[] => {
  const keywords: { text: string; inLanguage: boolean }[] = [];
  for (const group of childElements(meta, 'kwd-group')) {
    if (/abbrev|organism/i.test(group.attrs['kwd-group-type'] ?? '')) continue;
    for (const kwd of childElements(group, 'kwd', 'compound-kwd')) {
      // SciELO marks each keyword's language with a `lng` attribute of its own.
      const keywordLanguage = lang(kwd) ?? kwd.attrs['lng']?.toLowerCase() ?? lang(group);
      const text = lineOf(kwd);
      if (text) keywords.push({ text, inLanguage: !language || !keywordLanguage || keywordLanguage === language });
    }
  }
  const ordered = [...keywords.filter((k) => k.inLanguage), ...keywords.filter((k) => !k.inLanguage)];
  return [...new Set(ordered.map((k) => k.text))];
};

type PubDateKind = 'epub' | 'ppub' | 'pub' | 'collection';

/** Which publication a `<pub-date>` dates: JATS 1.0 `pub-type`, or 1.1+ `date-type` with `publication-format`. */
const kindOf = (pubDate: XmlElement): { kind: PubDateKind; label: string } | undefined => {
  const type = (pubDate.attrs['pub-type'] ?? pubDate.attrs['date-type'] ?? '').toLowerCase();
  const format = (pubDate.attrs['publication-format'] ?? '').toLowerCase();
  if (type === 'epub' || type === 'epub-ppub' || type === 'epubr' || ((type === 'pub' || type === '') && format === 'electronic'))
    return { kind: 'epub', label: type === 'pub' || type === '' ? 'electronic' : type };
  if (type === 'ppub' || ((type === 'pub' || type === '') && format === 'print'))
    return { kind: 'ppub', label: type === 'ppub' ? type : 'print' };
  if (type === 'pub' || type === '') return { kind: 'pub', label: type || 'pub' };
  if (type === 'collection' || type === 'issue') return { kind: 'collection', label: type };
  return undefined; // pmc-release, received, accepted, corrected, retracted: not the publication
};

const ORDER: PubDateKind[] = ['epub', 'ppub', 'pub', 'collection'];

const textOf = (element: XmlElement | undefined): string =>
  (element?.children ?? [])
    .map((child) => (isXmlElement(child) ? textOf(child) : 'cdata' in child ? child.cdata : child.text))
    .join('')
    .trim();

/** A `<pub-date>`'s day: its iso-8601-date, else its day, month and year (no month: not a day at all). */
const dayOf = (pubDate: XmlElement, from: string): DocumentDate | undefined => {
  const iso = documentDate(pubDate.attrs['iso-8601-date'], from);
  if (iso) return iso;
  const year = Number(textOf(firstChild(pubDate, 'year')));
  const monthText = textOf(firstChild(pubDate, 'month'));
  const dayText = textOf(firstChild(pubDate, 'day'));
  if (/^\d{1,2}$/.test(monthText)) {
    const day = calendarDay(year, Number(monthText), dayText ? Number(dayText) : 1);
    return day ? { day, source: dayText ? 'document' : 'document-approximate', from } : undefined;
  }
  if (monthText) return documentDate(`${dayText ? `${dayText} ` : ''}${monthText} ${year}`, from);
  return documentDate(textOf(firstChild(pubDate, 'string-date')), from);
};

/** The publication date: epub, then ppub, then an untyped publication date, then the issue's (collection); a full day before a month. */
export const publicationDate = (meta: XmlElement | undefined): DocumentDate | undefined => {
  const dated = childElements(meta, 'pub-date')
    .map((pubDate) => ({ pubDate, kind: kindOf(pubDate) }))
    .filter((entry): entry is { pubDate: XmlElement; kind: { kind: PubDateKind; label: string } } => entry.kind !== undefined)
    .sort((a, b) => ORDER.indexOf(a.kind.kind) - ORDER.indexOf(b.kind.kind))
    .map(({ pubDate, kind }) => dayOf(pubDate, `JATS pub-date (${kind.label})`))
    .filter((date) => date !== undefined);
  return dated.find((date) => date.source === 'document') ?? dated[0];
};
