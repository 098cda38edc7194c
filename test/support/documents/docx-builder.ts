/**
 * Small .docx packages built in the test, zipped with fflate: the parts Word writes
 * ([Content_Types].xml, the package and document relationships, word/document.xml,
 * word/styles.xml, docProps/core.xml, and footnotes/comments when used), in the shapes of
 * ECMA-376 Part 1 (WordprocessingML) and Part 2 (Open Packaging Conventions).
 */

import { zipSync, type Zippable } from 'fflate';

export interface DocxParagraph {
  /** The paragraph style's name, as Word shows it ("heading 1", "Title", "Heading 11"); none is Normal. */
  style?: string;
  text: string;
  /** The whole paragraph in bold (a heading typed by hand). */
  bold?: boolean;
  /** A footnote referenced at the paragraph's end. */
  footnote?: string;
  /** A comment anchored on the paragraph. */
  comment?: string;
  /** A superscript run after the text (a citation number). */
  superscript?: string;
}

export interface DocxTable {
  table: string[][];
}

export interface DocxOptions {
  body: (DocxParagraph | DocxTable)[];
  core?: { title?: string; keywords?: string; created?: string; language?: string };
  /** Extra entries, as stored bytes (media, or anything a test needs). */
  extra?: Record<string, Uint8Array>;
  /** Compression level for every entry (0 stores them). */
  level?: 0 | 6 | 9;
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PR = 'http://schemas.openxmlformats.org/package/2006/relationships';

export const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const styleId = (name: string): string => name.replace(/[^A-Za-z0-9]/g, '');
const run = (text: string, properties = ''): string =>
  `<w:r>${properties ? `<w:rPr>${properties}</w:rPr>` : ''}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;

export const buildDocx = (options: DocxOptions): Uint8Array => {
  const styles = new Set<string>();
  const footnotes: string[] = [];
  const comments: string[] = [];
  const body = options.body
    .map((block) => {
      if ('table' in block) {
        const rows = block.table.map((row) => `<w:tr>${row.map((cell) => `<w:tc><w:p>${run(cell)}</w:p></w:tc>`).join('')}</w:tr>`);
        return `<w:tbl><w:tblPr/>${rows.join('')}</w:tbl>`;
      }
      if (block.style) styles.add(block.style);
      const parts = [block.style ? `<w:pPr><w:pStyle w:val="${styleId(block.style)}"/></w:pPr>` : ''];
      const commentId = comments.length;
      if (block.comment) parts.push(`<w:commentRangeStart w:id="${commentId}"/>`);
      parts.push(run(block.text, block.bold ? '<w:b/>' : ''));
      if (block.superscript) parts.push(run(block.superscript, '<w:vertAlign w:val="superscript"/>'));
      if (block.footnote) {
        footnotes.push(block.footnote);
        parts.push(`<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="${footnotes.length}"/></w:r>`);
      }
      if (block.comment) {
        comments.push(block.comment);
        parts.push(`<w:commentRangeEnd w:id="${commentId}"/><w:r><w:commentReference w:id="${commentId}"/></w:r>`);
      }
      return `<w:p>${parts.join('')}</w:p>`;
    })
    .join('');

  const encoder = new TextEncoder();
  const xml = (text: string): Uint8Array => encoder.encode(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${text}`);
  const documentRelationships = [`<Relationship Id="rIdStyles" Type="${R}/styles" Target="styles.xml"/>`];
  const files: Zippable = {
    '[Content_Types].xml': xml(
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`,
    ),
    '_rels/.rels': xml(
      `<Relationships xmlns="${PR}"><Relationship Id="rId1" Type="${R}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="${PR}/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
    ),
    'word/document.xml': xml(`<w:document xmlns:w="${W}" xmlns:r="${R}"><w:body>${body}<w:sectPr/></w:body></w:document>`),
    'word/styles.xml': xml(
      `<w:styles xmlns:w="${W}"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>${[...styles]
        .map((name) => `<w:style w:type="paragraph" w:styleId="${styleId(name)}"><w:name w:val="${escapeXml(name)}"/></w:style>`)
        .join('')}</w:styles>`,
    ),
  };
  if (options.core) {
    const { title, keywords, created, language } = options.core;
    files['docProps/core.xml'] = xml(
      `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${title !== undefined ? `<dc:title>${escapeXml(title)}</dc:title>` : ''}${keywords !== undefined ? `<cp:keywords>${escapeXml(keywords)}</cp:keywords>` : ''}${created ? `<dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${created}</dcterms:modified>` : ''}${language ? `<dc:language>${language}</dc:language>` : ''}</cp:coreProperties>`,
    );
  }
  if (footnotes.length > 0) {
    documentRelationships.push(`<Relationship Id="rIdFootnotes" Type="${R}/footnotes" Target="footnotes.xml"/>`);
    files['word/footnotes.xml'] = xml(
      `<w:footnotes xmlns:w="${W}">${footnotes.map((note, i) => `<w:footnote w:id="${i + 1}"><w:p>${run(note)}</w:p></w:footnote>`).join('')}</w:footnotes>`,
    );
  }
  if (comments.length > 0) {
    documentRelationships.push(`<Relationship Id="rIdComments" Type="${R}/comments" Target="comments.xml"/>`);
    files['word/comments.xml'] = xml(
      `<w:comments xmlns:w="${W}">${comments.map((text, i) => `<w:comment w:id="${i}" w:author="Reviewer" w:initials="R"><w:p>${run(text)}</w:p></w:comment>`).join('')}</w:comments>`,
    );
  }
  files['word/_rels/document.xml.rels'] = xml(`<Relationships xmlns="${PR}">${documentRelationships.join('')}</Relationships>`);
  for (const [name, bytes] of Object.entries(options.extra ?? {})) files[name] = bytes;
  return zipSync(files, { level: options.level ?? 6 });
};
