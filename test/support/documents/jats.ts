/**
 * Small JATS articles for the reader's tests, built from parts, shaped as PubMed Central, eLife and
 * SciELO write them (https://jats.nlm.nih.gov/archiving/tag-library/1.3/).
 */

import { prose } from './context';

export const JATS_DOCTYPE =
  '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.0 20120330//EN" "JATS-archivearticle1.dtd">';

export interface JatsParts {
  /** The XML declaration (default: UTF-8). */
  prolog?: string;
  doctype?: string;
  /** `xml:lang` of `<article>`. */
  lang?: string;
  /** The inside of `<article-title>`. */
  title?: string;
  /** `<pub-date>` elements. */
  dates?: string;
  /** `<abstract>` and `<trans-abstract>` elements. */
  abstracts?: string;
  /** `<kwd-group>` elements. */
  keywords?: string;
  /** The inside of `<body>`; `null` for an article without a body. */
  body?: string | null;
  /** The inside of `<back>`. */
  back?: string;
  /** Elements after `<back>` (`<sub-article>`, `<floats-group>`). */
  after?: string;
}

export const p = (text: string): string => `<p>${text}</p>`;

export const sec = (title: string, ...content: string[]): string => `<sec><title>${title}</title>${content.join('')}</sec>`;

/** A body of two plain sections. */
export const plainBody = (): string => sec('Introduction', p(prose('lakes'))) + sec('Methods', p(prose('methods')));

export const jatsArticle = (parts: JatsParts = {}): string =>
  `${parts.prolog ?? '<?xml version="1.0" encoding="UTF-8"?>'}${parts.doctype ?? JATS_DOCTYPE}
<article xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:mml="http://www.w3.org/1998/Math/MathML" article-type="research-article"${
    parts.lang ? ` xml:lang="${parts.lang}"` : ''
  }>
<front><journal-meta><journal-title-group><journal-title>Journal of Tests</journal-title></journal-title-group></journal-meta>
<article-meta><title-group><article-title>${parts.title ?? 'Glacial lakes in a warming climate'}</article-title></title-group>
${parts.dates ?? '<pub-date pub-type="epub"><day>2</day><month>8</month><year>2011</year></pub-date>'}
${parts.abstracts ?? '<abstract><p>Glacial lakes grow as glaciers retreat.</p></abstract>'}
${parts.keywords ?? ''}</article-meta></front>
${parts.body === null ? '' : `<body>${parts.body ?? plainBody()}</body>`}${parts.back ? `<back>${parts.back}</back>` : ''}${parts.after ?? ''}
</article>`;
