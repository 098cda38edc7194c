/**
 * A JATS (NLM) XML article, as PubMed Central, eLife, PLOS and SciELO publish them
 * (https://jats.nlm.nih.gov/): decoded in the encoding its XML declaration names, parsed without its
 * DOCTYPE (nothing expanded or fetched: markup/xml-tree.ts), read for its title, abstract, keywords,
 * publication date and language (markup/jats-front.ts), and its `<body>` for the sections
 * (markup/jats-body.ts). `<back>` (references, acknowledgements, notes, appendices), floats and
 * sub-articles (peer review) are never body.
 */

import { RejectedArticleError } from '../errors';
import type { ExtractedDocument, ReadContext } from './document';
import { decodeXml } from './markup/charset';
import { DeadlineGuard } from './deadline';
import { blocksOfJatsBodies } from './markup/jats-body';
import { articleLanguage, articleTitle, authorAbstract, keywordsOf, publicationDate } from './markup/jats-front';
import { buildBody } from './markup/section-builder';
import { childElements, descendants, firstChild, parseXml, type XmlElement } from './markup/xml-tree';

/** Past this many characters an XML file is not read: parsing it would take the function's memory and time (10 MB of JATS parses to about 370 MB in 5 s of CPU). */
export const MAX_XML_CHARS = 10_000_000;

/** The `<article>`: the root, or the first inside a wrapper (PMC's `<pmc-articleset>`, an OAI-PMH record). */
const findArticle = (root: XmlElement): XmlElement => {
  if (root.name === 'article') return root;
  const wrapped = descendants(root, 'article', ['article'])[0];
  if (wrapped) return wrapped;
  throw new RejectedArticleError(
    `the XML's root element is <${root.name}>, not a JATS <article>; upload JATS (NLM) XML, or the article's page or PDF`,
  );
};

/** Reads a JATS article; throws RejectedArticleError when the XML is malformed, not JATS, too large, past the deadline or has no body. */
export const readJats = async (bytes: Uint8Array, context: ReadContext): Promise<ExtractedDocument> => {
  const { text } = decodeXml(bytes);
  if (text.length > MAX_XML_CHARS)
    throw new RejectedArticleError(`the XML has ${text.length} characters; files over ${MAX_XML_CHARS} are not read`);
  const guard = new DeadlineGuard(context, 'JATS article');
  const article = findArticle(parseXml(text));
  guard.check();
  const meta = firstChild(firstChild(article, 'front'), 'article-meta');
  if (!meta) throw new RejectedArticleError('the XML has an <article> without <front><article-meta>: it is not a JATS article');

  const language = articleLanguage(article, meta);
  const title = articleTitle(meta, language);
  const built = buildBody(blocksOfJatsBodies(childElements(article, 'body'), context), { ...(title && { title }) });
  if (built.sections.length === 0)
    throw new RejectedArticleError('the JATS article has no body text (front matter only); upload the full text');
  // SciELO repeats the abstract inside its HTML body; that one serves when the front has none.
  const abstract = authorAbstract(meta, language) ?? built.abstracts[0];
  const published = publicationDate(meta);
  const keywords = keywordsOf(meta, language);
  return {
    format: 'jats',
    ...(title && { title }),
    ...(abstract && { abstract }),
    sections: built.sections,
    keywords: keywords.length > 0 ? keywords : built.keywords,
    ...(published && { published }),
    ...(language && { language }),
  };
};
