/**
 * A page's text runs grouped into lines: runs on one baseline, split where a gap is wider than a word
 * space (so the two columns of a page, or a figure beside the text, stay apart), with superscripts and
 * subscripts put back into the line they belong to. Footnote and affiliation markers (a raised "1",
 * "∗", "†") are dropped; TeX's spacing accents ("na¨ıve", "Troisi`eme") become accented letters.
 */

import type { TextPage, TextRun } from './text-layer';

export interface Line {
  page: number;
  text: string;
  x0: number;
  x1: number;
  /** Baseline, in points from the top of the page. */
  y: number;
  /** Font size of most of its characters. */
  size: number;
  /** Font of most of its characters. */
  font: string;
  /** Most of its characters are in a fixed-pitch font (code). */
  monospace: boolean;
}

interface PlacedRun extends TextRun {
  script: boolean;
}

interface Fragment {
  runs: PlacedRun[];
  x0: number;
  x1: number;
  y: number;
  size: number;
}

/** Runs within this share of the font size of each other's baseline are on one baseline. */
const SAME_BASELINE = 0.25;
/** A gap wider than this many font sizes separates two lines on one baseline (a column gutter). */
const SPLIT_GAP = 1.0;
/** A run at most this share of its neighbour's size, off its baseline, is a superscript or subscript. */
const SCRIPT_SIZE = 0.85;
/** A gap wider than this share of the font size is a space between words. */
const WORD_SPACE = 0.15;

/** The page's lines, top to bottom, left to right. */
export const linesOf = (page: TextPage): Line[] => {
  const runs = [...page.runs].sort((a, b) => a.y - b.y);
  const fragments = attachScripts(baselines(runs).flatMap(splitAtGaps));
  return fragments
    .map((fragment) => lineOf(page.number, fragment))
    .filter((line): line is Line => line !== undefined)
    .sort((a, b) => a.y - b.y || a.x0 - b.x0);
};

const baselines = (runs: TextRun[]): TextRun[][] => {
  const groups: { y: number; size: number; runs: TextRun[] }[] = [];
  for (const run of runs) {
    const group = groups.at(-1);
    if (group && Math.abs(run.y - group.y) <= SAME_BASELINE * Math.min(run.size, group.size)) group.runs.push(run);
    else groups.push({ y: run.y, size: run.size, runs: [run] });
  }
  return groups.map((group) => group.runs.sort((a, b) => a.x - b.x));
};

const splitAtGaps = (runs: TextRun[]): Fragment[] => {
  const fragments: Fragment[] = [];
  for (const run of runs) {
    const fragment = fragments.at(-1);
    const size = Math.max(run.size, fragment?.size ?? 0);
    if (fragment && run.x - fragment.x1 <= SPLIT_GAP * size) {
      fragment.runs.push({ ...run, script: false });
      fragment.x1 = Math.max(fragment.x1, run.x + run.width);
      fragment.size = size;
    } else {
      fragments.push({ runs: [{ ...run, script: false }], x0: run.x, x1: run.x + run.width, y: run.y, size: run.size });
    }
  }
  return fragments;
};

/** Moves each short, small fragment off a neighbour's baseline into that neighbour, as a script. */
const attachScripts = (fragments: Fragment[]): Fragment[] => {
  const kept: Fragment[] = [];
  for (const fragment of fragments) {
    const text = fragment.runs
      .map((run) => run.text)
      .join('')
      .trim();
    const host = text.length <= 8 ? hostOf(fragment, fragments) : undefined;
    if (!host) {
      kept.push(fragment);
      continue;
    }
    host.runs.push(...fragment.runs.map((run) => ({ ...run, script: true })));
    host.x0 = Math.min(host.x0, fragment.x0);
    host.x1 = Math.max(host.x1, fragment.x1);
  }
  return kept;
};

const hostOf = (fragment: Fragment, fragments: Fragment[]): Fragment | undefined => {
  let best: Fragment | undefined;
  let bestDistance = Infinity;
  for (const other of fragments) {
    if (other === fragment || fragment.size > SCRIPT_SIZE * other.size) continue;
    const offset = Math.abs(other.y - fragment.y);
    if (offset < 0.1 * other.size || offset > 0.6 * other.size) continue;
    if (fragment.x0 < other.x0 - 0.5 * other.size || fragment.x0 > other.x1 + other.size) continue;
    if (offset < bestDistance) {
      best = other;
      bestDistance = offset;
    }
  }
  return best;
};

/** A raised or lowered mark that only points elsewhere: footnote numbers, affiliation symbols. */
const MARKER = /^[\d\s,*∗⋆†‡§¶#]+$/;
const SPACING_ACCENTS: Record<string, string> = {
  '¨': '\u0308',
  '´': '\u0301',
  '`': '\u0300',
  ˆ: '\u0302',
  '˜': '\u0303',
  ˇ: '\u030c',
  '˘': '\u0306',
  '˚': '\u030a',
  '¸': '\u0327',
  '˙': '\u0307',
  '˝': '\u030b',
  '˛': '\u0328',
  '¯': '\u0304',
};
const ACCENT_BEFORE_LETTER = /([¨´`ˆ˜ˇ˘˚¸˙˝˛¯])([A-Za-zıȷ])/g;

const lineOf = (page: number, fragment: Fragment): Line | undefined => {
  const runs = [...fragment.runs].sort((a, b) => a.x - b.x);
  let text = '';
  let end = -Infinity;
  const sizes = new Map<number, number>();
  const fonts = new Map<string, number>();
  let monospace = 0;
  let characters = 0;
  for (const run of runs) {
    if (run.script && MARKER.test(run.text)) continue;
    const gap = run.x - end;
    if (text !== '' && gap > WORD_SPACE * run.size && !/\s$/.test(text) && !/^\s/.test(run.text)) text += ' ';
    text += run.text;
    end = Math.max(end, run.x + run.width);
    if (run.script) continue;
    const count = run.text.replace(/\s/g, '').length;
    const size = Math.round(run.size * 2) / 2;
    sizes.set(size, (sizes.get(size) ?? 0) + count);
    fonts.set(run.font, (fonts.get(run.font) ?? 0) + count);
    if (run.monospace) monospace += count;
    characters += count;
  }
  text = text
    .replace(
      ACCENT_BEFORE_LETTER,
      (_match, accent: string, letter: string) => `${letter.replace('ı', 'i').replace('ȷ', 'j')}${SPACING_ACCENTS[accent]}`,
    )
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '' || characters === 0) return undefined;
  return {
    page,
    text,
    x0: fragment.x0,
    x1: fragment.x1,
    y: fragment.y,
    size: mostOf(sizes) ?? fragment.size,
    font: mostOf(fonts) ?? '',
    monospace: monospace >= 0.6 * characters,
  };
};

/** The key with the largest count. */
export const mostOf = <K>(counts: Map<K, number>): K | undefined => {
  let best: K | undefined;
  let bestCount = -1;
  for (const [key, count] of counts) {
    if (count > bestCount) {
      best = key;
      bestCount = count;
    }
  }
  return best;
};
