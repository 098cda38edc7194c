import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarize, TARGET_WORDS } from '../../../local/model-server/summarizer';
import { countWords } from '../../../local/model-server/tokens';

const samplesDir = join(__dirname, '..', '..', '..', 'samples');
const samples = readdirSync(samplesDir)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => [name, readFileSync(join(samplesDir, name), 'utf8')] as const);
const sample = (name: string): string => readFileSync(join(samplesDir, name), 'utf8');
const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** An article whose second sentence is an aside: early, but about nothing else in the article. */
const bridgeArticle = [
  'The city council approved funding on Monday for a new bridge across the river, ending a decade of debate over how to replace the ageing crossing.',
  'The weather was mild that afternoon, and the cafés along the square were busy with visitors.',
  'The bridge will carry two traffic lanes, a cycle path and a wide footpath, and is expected to open in four years.',
  'Engineers said the old bridge had become too weak for heavy lorries, which now take a long detour through the town centre.',
  'Council members voted nine to two in favour of the bridge plan after a long debate about its cost.',
  'The new bridge will cost about 48 million, most of it paid by a regional transport fund.',
  'Work on the bridge foundations is due to start next spring, once the river level falls.',
].join(' ');

/** Generated research-style text: lower-cased, one sentence a line; the key finding is stated last. */
const researchPart = [
  'we studied the effect of a daily walk on blood pressure in older adults .',
  ...Array.from(
    { length: 24 },
    (_, i) => `in week ${i + 1} , walkers in group ${(i % 4) + 1} recorded their steps and blood pressure in a diary .`,
  ),
  'in conclusion , a daily walk lowered blood pressure in older adults by a small but steady amount .',
].join('\n');

describe('summarize, asked for more than a news summary (a part or an abstract)', () => {
  it('aims between min_length and max_length and takes sentences from the end of research text too', () => {
    // Act
    const lines = summarize(researchPart, { min_length: 70, max_length: 110 }).split('\n');

    // Assess
    const words = countWords(lines.join(' '));
    expect(words).toBeGreaterThanOrEqual(70);
    expect(words).toBeLessThanOrEqual(110);
    expect(lines.at(-1)).toMatch(/^in week 2[34] |^in conclusion/); // the end prior
  });

  it('reads a news-length request (no more than 60 words asked) with the lead prior alone', () => {
    // Act
    const summary = summarize(researchPart, { min_length: 24, max_length: 60 });

    // Assess
    expect(summary).not.toMatch(/in week 2[0-4] |in conclusion/);
  });
});

describe('summarize, given a reduce input (part summaries joined by a blank line)', () => {
  // The first part's summary leads with the story; the second's repeats one side topic, so it is central.
  const firstPart = [
    'The city council approved funding on Monday for a new bridge across the river, ending a decade of debate.',
    'The new bridge will carry two traffic lanes and a cycle path, and is expected to open in four years.',
  ];
  const secondPart = [
    'Residents near the old ferry landing said the ferry service had been cut back, and the ferry queues were long.',
    'The ferry operator said the ferry would keep running until the bridge opens, though ferry fares will rise.',
    'Ferry passengers said the ferry fares were already too high for a short crossing on the old ferry.',
  ];

  it("keeps the first part's lead: each of its sentences stands for several of the article's", () => {
    // Act
    const summary = summarize(`${firstPart.join('\n')}\n\n${secondPart.join('\n')}`, { min_length: 24, max_length: 40 });

    // Assess
    expect(summary.split('\n')).toEqual(firstPart);
  });

  it('ranks the same sentences as one paragraph of an article with the article lead prior', () => {
    // Act
    const summary = summarize([...firstPart, ...secondPart].join(' '), { min_length: 24, max_length: 40 });

    // Assess
    expect(summary.split('\n')).toEqual(secondPart.slice(0, 2));
  });
});

describe('summarize', () => {
  it('leads with the first key sentence and skips an off-topic aside', () => {
    // Act
    const lines = summarize(bridgeArticle).split('\n');

    // Assess
    expect(lines[0]).toMatch(/^The city council approved funding/);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.join(' ')).not.toMatch(/weather was mild/);
  });

  it('returns whole sentences, not the first characters, and leaves out the headline', () => {
    // Prepare
    const article = sample('science-deep-sea-microbes.txt');

    // Act
    const lines = summarize(article).split('\n');

    // Assess
    expect(lines[0]).toMatch(/^Microbial communities living around hydrothermal vents .* geochemists\.$/);
    for (const line of lines) expect(line).toMatch(/[.!?]["”]?$/);
    expect(lines.join(' ')).not.toContain('Deep-sea vent microbes fix more carbon than models assume');
  });

  it.each(samples)('writes input sentences in document order, one a line (%s)', (_name, article) => {
    // Prepare
    const flat = collapse(article);

    // Act
    const lines = summarize(article).split('\n');

    // Assess
    const positions = lines.map((line) => flat.indexOf(line));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it.each(samples)('keeps to about three sentences and 60 words by default (%s)', (_name, article) => {
    // Act
    const summary = summarize(article);

    // Assess
    expect(countWords(summary)).toBeGreaterThanOrEqual(Math.min(TARGET_WORDS, countWords(article)) / 2);
    expect(countWords(summary)).toBeLessThanOrEqual(128);
    expect(summary.split('\n').length).toBeLessThanOrEqual(4);
  });

  it.each([10, 25, 40, 80])('never exceeds max_length %i words', (maxLength) => {
    // Prepare
    const article = sample('economy-regional-ports.txt');

    // Act
    const summary = summarize(article, { max_length: maxLength });

    // Assess
    expect(summary.length).toBeGreaterThan(0);
    expect(countWords(summary)).toBeLessThanOrEqual(maxLength);
  });

  it('adds sentences until min_length is reached', () => {
    // Prepare
    const article = sample('health-walking-blood-pressure.txt');

    // Act
    const summary = summarize(article, { min_length: 100 });

    // Assess
    expect(countWords(summary)).toBeGreaterThanOrEqual(100);
    expect(countWords(summary)).toBeLessThanOrEqual(128);
  });

  it('cuts a long line without punctuation at a word boundary', () => {
    // Prepare
    const article = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');

    // Act
    const summary = summarize(article);

    // Assess
    expect(countWords(summary)).toBe(TARGET_WORDS);
    expect(article.startsWith(summary)).toBe(true);
    expect(summary).toMatch(/ word59$/);
  });

  it('returns a single sentence as it is', () => {
    // Act
    const summary = summarize('  Only one sentence here,   without an ending  ');

    // Assess
    expect(summary).toBe('Only one sentence here, without an ending');
  });

  it('summarizes a bullet list by its items, without the markers', () => {
    // Prepare
    const article = [
      'Trial results:',
      '- The drug cut deaths from heart failure by a third over two years of treatment',
      '- Side effects were mild and mostly limited to headaches in the first weeks',
      '- Patients on the drug spent fewer days in hospital than those on placebo',
    ].join('\n');

    // Act
    const lines = summarize(article).split('\n');

    // Assess
    expect(lines).toContain('The drug cut deaths from heart failure by a third over two years of treatment');
    for (const line of lines) expect(line).not.toMatch(/^- /);
  });

  it('collapses extra whitespace and keeps unicode', () => {
    // Act
    const summary = summarize('\n\n   The café in   Zürich reopened on Monday after a  two-year renovation — to long queues.\n\n\n');

    // Assess
    expect(summary).toBe('The café in Zürich reopened on Monday after a two-year renovation — to long queues.');
  });

  it('drops an agency dateline from the first sentence', () => {
    // Act
    const summary = summarize('LONDON (Reuters) - Shares rose on Monday as investors welcomed the results.');

    // Assess
    expect(summary).toBe('Shares rose on Monday as investors welcomed the results.');
  });

  it('returns an empty summary for text without words', () => {
    // Act and Assess
    expect(summarize('   \n\t ')).toBe('');
  });

  it('is deterministic', () => {
    // Prepare
    const article = sample('climate-glacial-lakes.txt');

    // Act
    const first = summarize(article, { max_length: 90 });
    const second = summarize(article, { max_length: 90 });

    // Assess
    expect(second).toBe(first);
  });

  // How fast it summarizes is a benchmark (bench:quality reports articles per second), not a test: a
  // busy machine is slow. This holds whatever the machine.
  it('summarizes a 1,000-word article of three stories within the word budget, from its own sentences', () => {
    // Prepare: three samples back to back, about 1,000 words
    const article = `${sample('technology-battery-recycling.txt')}\n\n${sample('economy-regional-ports.txt')}\n\n${sample('short-library-hours.txt')}`;

    // Act
    const summary = summarize(article);

    // Assess
    expect(countWords(article)).toBeGreaterThan(950);
    expect(countWords(summary)).toBeGreaterThan(0);
    expect(countWords(summary)).toBeLessThanOrEqual(128);
    for (const line of summary.split('\n')) expect(collapse(article)).toContain(collapse(line));
  });
});
