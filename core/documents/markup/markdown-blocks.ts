/**
 * Markdown (CommonMark, https://spec.commonmark.org/, with the Pandoc and GitHub extensions papers
 * use) to headings and paragraphs: ATX (`## Methods`) and Setext (underlined) headings kept; fenced
 * and indented code, tables, math blocks, HTML comments, scripts, link and footnote definitions and
 * Pandoc's reference list (`::: {#refs}`) out; list items as sentences; inline syntax stripped
 * (emphasis, code ticks, links to their text, images and HTML tags gone, citations marked).
 */

import type { Clock } from '../deadline';
import { DeadlineGuard } from '../deadline';
import { decodeEntities } from './entities';
import { CITATION, tidyParagraph } from './inline-text';
import { type Block, UNRANKED_HEADING } from './section-builder';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_1 = /^ {0,3}=+[ \t]*$/;
const SETEXT_2 = /^ {0,3}-+[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?(.*)$/;
const DEFINITION = /^ {0,3}\[\^?[^\]]+\]:/; // a link reference or footnote definition
const BLOCK_QUOTE = /^ {0,3}> ?/;
const BOLD_LINE = /^(\*\*|__)([^*_]{1,150})\1:?$/;
/** A link into the document's references or notes: "[1](#ref-1)", "[Smith](#bib-smith2010)". */
const CITATION_HREF = /^#(?:.*[-_.])?(?:ref|reference|bib|cite|citation|fn|footnote|note)\b/i;

/** One line of Markdown inline syntax as plain text (CITATION where a citation stood). */
export const markdownInline = (markdown: string): string => {
  const code: string[] = [];
  let text = markdown
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_, _ticks, inner: string) => `\ue001${code.push(inner.trim()) - 1}\ue001`)
    .replace(/!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]/g, '') // images
    .replace(/\[\^[^\]]+\]/g, CITATION) // footnote references
    .replace(/\[[^[\]]*@[\w:.#$%&+?<>~/-]+[^[\]]*\]/g, CITATION) // Pandoc citations: [@smith2010; @jones2012, p. 3]
    .replace(/\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+["'(][^)]*["')])?\s*\)/g, (_, label: string, href: string) =>
      CITATION_HREF.test(href) ? CITATION : label,
    )
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1') // reference links
    .replace(/<(?:https?|ftp|mailto):[^>\s]*>/gi, '') // autolinks
    .replace(/<\/?[A-Za-z][^>]*>/g, '') // inline HTML tags
    .replace(/\[\d+(?:\s*[,–-]\s*\d+)*\]/g, CITATION) // numbered citations: [1], [2, 5], [3–7]
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([\s\S]*?\S)\*(?!\*)/g, '$1$2')
    .replace(/(^|\W)_(?=\S)([\s\S]*?\S)_(?!\w)/g, '$1$2')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
  text = decodeEntities(text);
  return text.replace(/\ue001(\d+)\ue001/g, (_, index: string) => code[Number(index)] ?? '');
};

class MarkdownWalker {
  readonly blocks: Block[] = [];
  private paragraph: string[] = [];
  private items: string[] = [];

  flushParagraph(): void {
    const raw = this.paragraph.join(' ').trim();
    this.paragraph = [];
    if (raw === '') return;
    const bold = BOLD_LINE.exec(raw);
    if (bold?.[2] && bold[2].split(/\s+/).length <= 15) return void this.heading(UNRANKED_HEADING, bold[2]);
    const text = tidyParagraph(markdownInline(raw));
    if (text !== '') this.blocks.push({ kind: 'paragraph', text });
  }

  /** A list's items as the sentences of one paragraph. */
  flushList(): void {
    const sentences = this.items
      .map((item) => tidyParagraph(markdownInline(item)))
      .filter((item) => item !== '')
      .map((item) => (/[.!?:;]["”’)]?$/.test(item) ? item : `${item}.`));
    this.items = [];
    if (sentences.length > 0) this.blocks.push({ kind: 'paragraph', text: sentences.join(' ') });
  }

  flush(): void {
    this.flushParagraph();
    this.flushList();
  }

  heading(level: number, markdown: string): void {
    this.flush();
    const text = tidyParagraph(markdownInline(markdown));
    if (text !== '') this.blocks.push({ kind: 'heading', level, text });
  }

  /** Reads the lines; returns the blocks. */
  read(lines: string[], guard: DeadlineGuard): Block[] {
    let previousBlank = true;
    for (let i = 0; i < lines.length; i++) {
      guard.tick();
      const line = (lines[i] ?? '').replace(/\t/g, '    ');
      const skipTo = this.skipped(lines, i, line, previousBlank);
      if (skipTo !== undefined) {
        this.flush();
        i = skipTo;
        previousBlank = true;
        continue;
      }
      const blank = line.trim() === '';
      if (blank) this.flush();
      else this.content(line, previousBlank);
      previousBlank = blank;
    }
    this.flush();
    return this.blocks;
  }

  /** A line that starts something left out (code, a table, math, a comment, a definition): the index of its last line. */
  private skipped(lines: string[], i: number, line: string, previousBlank: boolean): number | undefined {
    const fence = FENCE.exec(line)?.[1];
    if (fence) return through(lines, i + 1, (next) => next.trimStart().startsWith(fence));
    if (/^\s*\$\$/.test(line)) return line.trim().slice(2).includes('$$') ? i : through(lines, i + 1, (next) => next.includes('$$'));
    if (/^\s*<!--/.test(line) && !line.includes('-->')) return through(lines, i + 1, (next) => next.includes('-->'));
    if (/^\s*<(script|style)\b/i.test(line)) return through(lines, i, (next) => /<\/(script|style)>/i.test(next));
    if (/^ {0,3}:::+\s*\{?\s*#refs\b/.test(line)) return through(lines, i + 1, (next) => /^ {0,3}:::+\s*$/.test(next));
    if (/^ {0,3}:::/.test(line)) return i; // a Pandoc fenced div's fence; its content is read
    if (DEFINITION.test(line)) return lastOf(lines, i, (next) => /^ {4}\S/.test(next));
    if (line.includes('|') && this.paragraph.length === 0 && TABLE_DELIMITER.test(lines[i + 1] ?? ''))
      return lastOf(lines, i + 1, (next) => next.trim() !== '' && next.includes('|'));
    if (previousBlank && this.items.length === 0 && /^ {4}\S/.test(line))
      return lastOf(lines, i, (next) => next.trim() === '' || /^ {4}/.test(next)); // indented code
    return undefined;
  }

  private content(line: string, previousBlank: boolean): void {
    if (this.paragraph.length > 0 && SETEXT_1.test(line)) return this.setext(1);
    if (this.paragraph.length > 0 && SETEXT_2.test(line)) return this.setext(2);
    if (THEMATIC_BREAK.test(line)) return this.flush();
    const atx = ATX.exec(line);
    if (atx?.[1]) return this.heading(atx[1].length, atx[2] ?? '');
    const unquoted = line.replace(BLOCK_QUOTE, '');
    const item = LIST_ITEM.exec(unquoted);
    if (item) {
      this.flushParagraph();
      this.items.push(item[1] ?? '');
      return;
    }
    if (this.items.length > 0 && (!previousBlank || /^ {2,}/.test(unquoted))) {
      this.items[this.items.length - 1] += ` ${unquoted.trim()}`; // the item goes on
      return;
    }
    this.flushList();
    this.paragraph.push(unquoted.trim());
  }

  private setext(level: number): void {
    const text = this.paragraph.join(' ');
    this.paragraph = [];
    this.heading(level, text);
  }
}

/** The index of the first line from `from` on for which `isEnd` holds (the last line when none does). */
const through = (lines: string[], from: number, isEnd: (line: string) => boolean): number => {
  for (let j = from; j < lines.length; j++) if (isEnd(lines[j] ?? '')) return j;
  return lines.length - 1;
};

/** The index of the last line of the run that starts at `start` and goes on while `continues` holds for the next line. */
const lastOf = (lines: string[], start: number, continues: (line: string) => boolean): number => {
  let j = start;
  while (j + 1 < lines.length && continues(lines[j + 1] ?? '')) j++;
  return j;
};

/** A Markdown body (front matter removed) as headings and paragraphs in reading order. */
export const blocksOfMarkdown = (markdown: string, clock: Clock): Block[] =>
  new MarkdownWalker().read(markdown.replace(/\r\n?/g, '\n').split('\n'), new DeadlineGuard(clock, 'Markdown'));
