/**
 * A Markdown article (docs/documents.md): its YAML front matter for the title, date, keywords and
 * abstract (markup/front-matter.ts), then its headings and paragraphs with the syntax stripped
 * (markup/markdown-blocks.ts); an "Abstract" section is the abstract and the references end the body
 * (markup/section-builder.ts). Plain text is not read here: submit-article streams it as before.
 */

import { RejectedArticleError } from '../errors';
import type { ExtractedDocument, ReadContext } from './document';
import { documentDate } from './document-date';
import { decodeText } from './markup/charset';
import { type FrontMatterValue, frontMatter } from './markup/front-matter';
import { markdownInline, blocksOfMarkdown } from './markup/markdown-blocks';
import { tidyParagraph } from './markup/inline-text';
import { buildBody } from './markup/section-builder';
import { oneLine } from './sections';

/** Past this many characters a file is not read (Markdown arrives within maxArticleBytes; this bounds the work regardless). */
export const MAX_MARKDOWN_CHARS = 10_000_000;

const asText = (value: FrontMatterValue | undefined): string | undefined => {
  const text = Array.isArray(value) ? value.join(' ') : value;
  return text?.trim() ? tidyParagraph(markdownInline(text)) : undefined;
};

const asList = (value: FrontMatterValue | undefined): string[] =>
  (Array.isArray(value) ? value : (value?.split(/\s*[;,]\s*/) ?? [])).map((item) => oneLine(item, 100)).filter((item) => item !== '');

/** Reads a Markdown article; throws RejectedArticleError when it has no body text or is past the deadline. */
export const readMarkdown = async (bytes: Uint8Array, context: ReadContext): Promise<ExtractedDocument> => {
  const { text } = decodeText(bytes);
  if (text.length > MAX_MARKDOWN_CHARS)
    throw new RejectedArticleError(`the Markdown file has ${text.length} characters; files over ${MAX_MARKDOWN_CHARS} are not read`);
  const { fields, body } = frontMatter(text.replace(/\r\n?/g, '\n'));
  const blocks = blocksOfMarkdown(body, context);

  const firstHeading = blocks.find((block) => block.kind === 'heading');
  const headingTitle = firstHeading?.kind === 'heading' && firstHeading.level === 1 ? firstHeading.text : undefined;
  const titleText = asText(fields.get('title')) ?? headingTitle;
  const title = titleText && oneLine(titleText);
  const built = buildBody(blocks, { ...(title && { title }) });
  if (built.sections.length === 0)
    throw new RejectedArticleError('the Markdown file has no body text outside its front matter, code, tables and references');

  const abstract = asText(fields.get('abstract')) ?? built.abstracts[0];
  const dateField = ['date', 'published', 'publishdate', 'pubdate'].find((key) => fields.has(key));
  const published = dateField ? documentDate(asText(fields.get(dateField)), `front matter ${dateField}`) : undefined;
  const language = asText(fields.get('lang') ?? fields.get('language'));
  const keywords = [...asList(fields.get('keywords')), ...asList(fields.get('tags')), ...asList(fields.get('subject')), ...built.keywords];
  return {
    format: 'markdown',
    ...(title && { title }),
    ...(abstract && { abstract }),
    sections: built.sections,
    keywords: [...new Set(keywords)],
    ...(published && { published }),
    ...(language && { language }),
  };
};
