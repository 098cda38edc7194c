/**
 * A PDF to what the model reads (docs/documents.md): the file is checked (pdf-file.ts), its text
 * layer read page by page (text-layer.ts) into lines (lines.ts); pages whose text layer is absent or
 * garbage are set aside (text-quality.ts); running headers and footers go (page-furniture.ts); each
 * page is read in column order (reading-order.ts) as blocks (blocks.ts) with roles (block-roles.ts);
 * the front matter gives the title, abstract and keywords (front-matter.ts) and the rest the body's
 * sections (body.ts), with line-end hyphens resolved from the document's own words (hyphenation.ts).
 */

import { RejectedArticleError } from '../../errors';
import type { ExtractedDocument, ReadContext } from '../document';
import { blockText, bodyStyleOf, roleOf } from './block-roles';
import { blocksOf } from './blocks';
import { draftSections, sectionsOf } from './body';
import { readFrontMatter, type RoledBlock } from './front-matter';
import { vocabularyOf } from './hyphenation';
import { type Line, linesOf } from './lines';
import { findFurniture } from './page-furniture';
import { checkPdfFile } from './pdf-file';
import { publishedOf } from './published';
import { readingOrder } from './reading-order';
import { readTextLayer } from './text-layer';
import { type PageQuality, pageList, pageQuality } from './text-quality';

/** Fewer usable pages than this share of the document is not the document: it is refused. */
const MIN_USABLE_SHARE = 0.5;

interface ReadPage {
  number: number;
  width: number;
  height: number;
  lines: Line[];
  rotated: string[];
  quality: PageQuality;
}

export const readPdf = async (bytes: Uint8Array, context: ReadContext): Promise<ExtractedDocument> => {
  await checkPdfFile(bytes, context.maxExpandedBytes);
  const layer = await readTextLayer(bytes, context, (page): ReadPage => ({
    number: page.number,
    width: page.width,
    height: page.height,
    lines: linesOf(page),
    rotated: page.rotated,
    quality: pageQuality(page.runs.map((run) => run.text).join(' ')),
  }));
  if (layer.pageCount === 0) throw new RejectedArticleError('the PDF has no pages');
  const usable = layer.pages.filter((page) => page.quality === 'good');
  const unusablePages = layer.pages.filter((page) => page.quality !== 'good').map((page) => page.number);
  if (usable.length === 0 || usable.length < MIN_USABLE_SHARE * layer.pageCount) {
    const have = unusablePages.length === 1 ? 'has' : 'have';
    throw new RejectedArticleError(`${pageList(unusablePages)} ${have} no usable text layer; OCR is not supported`);
  }

  const furniture = findFurniture(usable);
  const blocks = usable.flatMap((page) =>
    blocksOf(
      readingOrder(
        page.lines.filter((line) => !furniture.isFurniture(line, page.height)),
        page.width,
      ),
    ),
  );
  const body = bodyStyleOf(blocks);
  const roled: RoledBlock[] = blocks.map((block) => ({ block, role: roleOf(block, body), text: blockText(block) }));
  const vocabulary = vocabularyOf(blocks.flatMap((block) => block.lines.map((line) => line.text)));

  const front = readFrontMatter(roled, {
    metadataTitle: layer.info.title,
    metadataKeywords: layer.info.keywords,
    furnitureKeys: furniture.keys,
    bodySize: body.size,
    vocabulary,
  });
  const sections = sectionsOf(draftSections(roled.slice(front.bodyStart)), vocabulary);
  if (sections.length === 0) throw new RejectedArticleError('the PDF has no body text in its text layer');

  const firstPage = usable[0] as ReadPage;
  const published = publishedOf({
    firstPageText: [...firstPage.rotated, ...firstPage.lines.map((line) => line.text)].join('\n'),
    key: context.key,
    creationDate: layer.info.creationDate,
    now: context.now(),
  });
  return {
    format: 'pdf',
    title: front.title,
    abstract: front.abstract,
    sections,
    keywords: front.keywords,
    published,
    pages: layer.pageCount,
    unusablePages,
    language: layer.info.language && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i.test(layer.info.language) ? layer.info.language : undefined,
  };
};
