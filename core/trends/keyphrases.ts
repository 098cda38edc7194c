/**
 * What an article is about, as up to 10 short phrases for trend analysis: noun phrases of 1–3 words
 * (adjectives and nouns ending in a noun), lower-cased, with nouns in their singular form so "glacial
 * lakes" and "glacial lake" count as one phrase. Tokens, parts of speech and lemmas come from winkNLP
 * with its English light model (https://winkjs.org/wink-nlp/), which runs offline and bundles with
 * esbuild; stop words, generic news and research words ("study", "percent", "said") and page
 * boilerplate ("copyright", "subscribe") are left out.
 *
 * The article is read in pieces of at most CHUNK_CHARS and the phrase counts are capped, so a 1 MB
 * article costs no more memory than a 50 KB one plus a bounded table of counts.
 */

import winkNLP, { type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

export const MAX_KEYPHRASES = 10;
export const MAX_PHRASE_WORDS = 3;
/** A phrase longer than this is a run of odd tokens (URLs, chemical names), not a topic. */
export const MAX_PHRASE_CHARS = 60;
const CHUNK_CHARS = 50_000;
/** Distinct phrases kept while counting; past it, phrases seen once are dropped. */
const MAX_TRACKED_PHRASES = 50_000;
/** The title says what the article is about more than any one sentence of its body. */
const TITLE_WEIGHT = 3;

/** Words that name no topic in news and research writing, and page furniture. */
const GENERIC = new Set(
  `study studies research researcher scientist author paper article report result finding evidence analysis data
  percent per cent point half quarter year month week day time people person number part way thing lot kind type group team
  copyright right image caption photo picture video click subscribe newsletter email link page site website
  reuters press editor http https www com org html doi fig figure table et al ibid
  today yesterday tomorrow morning evening night monday tuesday wednesday thursday friday saturday sunday
  january february march april may june july august september october november december
  new other several many much more most few first second third last next previous recent current same different
  such certain various own whole main major minor likely possible able early late
  mr mrs ms dr professor prof director spokesperson spokesman spokeswoman official officials`
    .split(/\s+/)
    .filter(Boolean),
);

const HEAD_POS = new Set(['NOUN', 'PROPN']);
const MODIFIER_POS = new Set(['NOUN', 'PROPN', 'ADJ']);

let nlp: WinkMethods | undefined;
/**
 * Loaded on first use (about 0.2 s): a cold start that never reads an article does not pay it. Parts of
 * speech only: phrases need no sentences, and without sentence boundary detection ('sbd') the tags,
 * lemmas and tokens are the same (checked on 562 news, research and sample articles) for about a
 * tenth less CPU (docs/benchmarks.md, How the local cloud keeps its own cost down).
 */
const pipeline = (): WinkMethods => (nlp ??= winkNLP(model, ['pos']));

/** Counts of candidate phrases, bounded in size. */
export class PhraseCounts {
  private readonly counts = new Map<string, number>();
  private readonly firstSeen = new Map<string, number>();
  private seen = 0;

  add(phrase: string, weight = 1): void {
    this.counts.set(phrase, (this.counts.get(phrase) ?? 0) + weight);
    if (!this.firstSeen.has(phrase)) this.firstSeen.set(phrase, this.seen++);
    if (this.counts.size > MAX_TRACKED_PHRASES) this.prune();
  }

  /** Drops the phrases seen once; a phrase that matters comes back more than once. */
  private prune(): void {
    for (const [phrase, count] of this.counts) {
      if (count <= 1) {
        this.counts.delete(phrase);
        this.firstSeen.delete(phrase);
      }
    }
  }

  entries(): { phrase: string; count: number; order: number }[] {
    return [...this.counts].map(([phrase, count]) => ({ phrase, count, order: this.firstSeen.get(phrase) ?? 0 }));
  }
}

/** Adds the candidate phrases of one piece of text. */
export const countPhrases = (text: string, counts: PhraseCounts): void => {
  const its = pipeline().its;
  const tokens = pipeline().readDoc(text).tokens();
  const pos = tokens.out(its.pos) as string[];
  // The typings give lemma another signature than the other token properties; it is called the same way.
  const lemma = tokens.out(its.lemma as unknown as typeof its.normal) as string[];
  const normal = tokens.out(its.normal) as string[];
  const type = tokens.out(its.type) as string[];
  const stop = tokens.out(its.stopWordFlag) as unknown as boolean[];

  // Runs of modifier/noun tokens; every 1–3 word window of a run that ends in a noun is a candidate.
  let run: { word: string; head: boolean }[] = [];
  const flush = () => {
    for (let end = 0; end < run.length; end++) {
      if (!run[end]?.head) continue;
      for (let size = 1; size <= MAX_PHRASE_WORDS && end - size + 1 >= 0; size++) {
        const phrase = run
          .slice(end - size + 1, end + 1)
          .map((t) => t.word)
          .join(' ');
        if (phrase.length <= MAX_PHRASE_CHARS) counts.add(phrase);
      }
    }
    run = [];
  };
  for (let i = 0; i < pos.length; i++) {
    const word = wordOf(type[i], pos[i], normal[i], lemma[i], stop[i]);
    if (word === undefined) flush();
    else run.push({ word, head: HEAD_POS.has(pos[i] as string) });
  }
  flush();
};

/** The form a token takes in a phrase, or undefined when it breaks a phrase. */
const wordOf = (type?: string, pos?: string, normal?: string, lemma?: string, stop?: boolean): string | undefined => {
  if (type !== 'word' || !pos || !MODIFIER_POS.has(pos) || stop || !normal) return undefined;
  // Nouns in their dictionary form folds plurals ("lakes" -> "lake"); wink lower-cases normal forms.
  const word = (HEAD_POS.has(pos) && lemma ? lemma : normal)
    .toLowerCase()
    .replace(/[’']s$/, '')
    .replace(/\.+$/, '');
  if (word.length < 3 || !/\p{L}/u.test(word) || GENERIC.has(word) || GENERIC.has(normal.replace(/\.+$/, ''))) return undefined;
  return word;
};

/** Splits text into pieces of at most `size` characters, at a line break or space where there is one. */
export function* pieces(text: string, size = CHUNK_CHARS): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const lineBreak = text.lastIndexOf('\n', end);
      const space = text.lastIndexOf(' ', end);
      const cut = lineBreak > start + size / 2 ? lineBreak : space > start ? space : end;
      end = cut;
    }
    yield text.slice(start, end);
    start = end === start ? start + size : end;
  }
}

/**
 * Up to `max` phrases, most telling first: counted over the whole text (the title weighs more), longer
 * phrases preferred to their parts, and a word left out where it only ever occurs inside a chosen phrase.
 */
export const keyphrases = (text: string, options: { title?: string; max?: number } = {}): string[] => {
  const counts = new PhraseCounts();
  // The title is weighed on its own below; as the first line of the body it would be tagged as a sentence.
  const body = options.title ? text.replace(/^\s*[^\n]*/, '') : text;
  for (const piece of pieces(body)) countPhrases(piece, counts);
  // Headlines are tagged less reliably than sentences ("ports gain ground"): the title only adds weight
  // to phrases the body has too.
  const inTitle = new PhraseCounts();
  if (options.title) countPhrases(options.title, inTitle);
  const titled = new Set(inTitle.entries().map((e) => e.phrase));
  const weighted = counts.entries().map((e) => (titled.has(e.phrase) ? { ...e, count: e.count + TITLE_WEIGHT } : e));
  return choosePhrases(weighted, options.max ?? MAX_KEYPHRASES);
};

/** The selection rule, apart from counting so tests can check it on plain counts. */
export const choosePhrases = (candidates: { phrase: string; count: number; order: number }[], max: number): string[] => {
  const lengthBonus = (phrase: string) => 1 + 0.5 * (phrase.split(' ').length - 1);
  const ranked = candidates
    .map((c) => ({ ...c, score: c.count * lengthBonus(c.phrase) }))
    .sort((a, b) => b.score - a.score || a.order - b.order);
  // Phrases seen more than once, unless the article is so short that nothing is.
  const repeated = ranked.filter((c) => c.count > 1);
  const pool = repeated.length >= Math.min(max, 3) ? repeated : ranked;
  const chosen: { phrase: string; count: number }[] = [];
  for (const candidate of pool) {
    if (chosen.length >= max) break;
    const words = ` ${candidate.phrase} `;
    // A part that never occurs without the longer phrase adds nothing ("outburst" of "outburst flood").
    const partOf = chosen.some((c) => ` ${c.phrase} `.includes(words) && candidate.count <= c.count);
    // A longer phrase made of an already chosen one plus a word seen as often adds nothing either.
    const wraps = chosen.some((c) => words.includes(` ${c.phrase} `) && c.count <= candidate.count);
    if (partOf || wraps) continue;
    chosen.push(candidate);
  }
  return chosen.map((c) => c.phrase);
};

export const MAX_TITLE_CHARS = 200;

/**
 * The article's title: its first non-empty line when that looks like a heading (a Markdown `#` line,
 * or a short line not ending like a sentence), else undefined.
 */
export const titleOf = (text: string): string | undefined => {
  const first = /^\s*([^\n]*)/.exec(text.slice(0, 2_000))?.[1]?.trim();
  if (!first) return undefined;
  const heading = /^#{1,6}\s+(.+)$/.exec(first)?.[1]?.trim();
  const line = heading ?? first;
  const words = line.split(/\s+/).length;
  const looksLikeHeading = heading !== undefined || (words <= 25 && !/[.,;:]$/.test(line) && line.length <= MAX_TITLE_CHARS);
  if (!looksLikeHeading) return undefined;
  return line.length <= MAX_TITLE_CHARS ? line : `${line.slice(0, MAX_TITLE_CHARS - 1)}…`;
};
