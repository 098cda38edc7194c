import {
  choosePhrases,
  keyphrases,
  MAX_KEYPHRASES,
  MAX_PHRASE_CHARS,
  PhraseCounts,
  pieces,
  titleOf,
} from '../../../core/trends/keyphrases';
import { articleFacts } from '../../../core/trends/article-facts';

// Texts written for these tests, in the style of the articles the service summarizes.
const VACCINE = `Nasal flu vaccine protects children in school trial

A nasal spray vaccine against influenza cut confirmed flu cases among primary school children by almost half
during last winter's season, according to a trial in 40 schools.

Children in half of the schools received the nasal vaccine in October; the other schools served as controls.
Nurses swabbed every child who reported a fever. Confirmed influenza infections were 46 percent lower in the
vaccinated schools, and absences from school fell as well.

The nasal vaccines were easier to give than injections, the nurses said, because most children accept a spray.
Researchers now want to know whether vaccinating children also protects their grandparents, since children
carry influenza home. A second trial, in 120 schools, will track flu cases among older relatives.`;

const SOIL = `Cover crops lock more carbon into farm soils than expected

Farmers who plant cover crops between harvests store more soil carbon than models predicted, a ten-year field
study on 60 farms has found. Soil samples taken to a depth of one metre showed that carbon stocks rose by an
average of 0.4 tonnes per hectare each year on fields with cover crops, compared with fields left bare over winter.

Cover crops such as rye and clover protect the soil from erosion and feed soil microbes through their roots.
The deeper samples matter: much of the extra soil carbon was found below 30 centimetres, where earlier surveys
did not look. Copyright 2026. All rights reserved. Subscribe to our newsletter.`;

describe('key phrases of an article', () => {
  it('names what a health news story is about, plurals folded, in lower case', () => {
    const phrases = keyphrases(VACCINE, { title: 'Nasal flu vaccine protects children in school trial' });

    expect(phrases.length).toBeGreaterThanOrEqual(5);
    expect(phrases.length).toBeLessThanOrEqual(MAX_KEYPHRASES);
    expect(phrases).toEqual(expect.arrayContaining(['vaccine', 'influenza', 'child', 'school']));
    expect(phrases.some((p) => p.includes('nasal'))).toBe(true);
    // Plurals folded: "vaccines" counts as "vaccine", "schools" as "school".
    expect(phrases).not.toContain('vaccines');
    expect(phrases).not.toContain('schools');
    for (const phrase of phrases) {
      expect(phrase).toBe(phrase.toLowerCase());
      expect(phrase.split(' ').length).toBeLessThanOrEqual(3);
    }
  });

  it('leaves out stop words, generic research words and page boilerplate', () => {
    const phrases = keyphrases(SOIL, { title: 'Cover crops lock more carbon into farm soils than expected' });

    expect(phrases).toEqual(expect.arrayContaining(['soil carbon', 'crop', 'farm']));
    for (const dull of ['study', 'copyright', 'newsletter', 'right', 'year', 'the', 'percent']) {
      expect(phrases.flatMap((p) => p.split(' '))).not.toContain(dull);
    }
  });

  it('gives the sample articles phrases from their topics', () => {
    const facts = articleFacts(
      'Pilot plant recovers battery metals at lower temperatures\n\nA pilot plant recovers lithium, nickel and cobalt from spent batteries. ' +
        'The battery metals are leached at lower temperatures than smelters use. The plant processes 500 tonnes of batteries a year, ' +
        'and the company behind the pilot plant says the recovered lithium is pure enough for new batteries.',
      '2026-11-04',
      '2026-11-20T10:00:00Z',
    );

    expect(facts).toMatchObject({ publishedDay: '2026-11-04', title: 'Pilot plant recovers battery metals at lower temperatures' });
    expect(facts.keyphrases).toEqual(expect.arrayContaining(['battery', 'pilot plant', 'lithium']));
  });

  it('stays bounded on a long article and never returns its text', () => {
    const long = Array.from({ length: 400 }, (_, i) => `${SOIL}\n\nSection ${i}: ${'x'.repeat(70)}y${i} appears once.`).join('\n\n');

    const phrases = keyphrases(long);

    expect(long.length).toBeGreaterThan(300_000);
    expect(phrases.length).toBeLessThanOrEqual(MAX_KEYPHRASES);
    expect(phrases.every((p) => p.length <= MAX_PHRASE_CHARS)).toBe(true);
    expect(phrases).toEqual(expect.arrayContaining(['soil carbon', 'crop']));
    expect(phrases.some((p) => /x{10}/.test(p))).toBe(false);
  });

  it('returns no phrases for text without nouns', () => {
    expect(keyphrases('!!! ... 42 17 ???')).toEqual([]);
  });
});

describe('choosing phrases from counts', () => {
  const entry = (phrase: string, count: number, order = 0) => ({ phrase, count, order });

  it('drops a word that only ever occurs inside a chosen longer phrase', () => {
    expect(choosePhrases([entry('outburst flood', 4), entry('outburst', 4), entry('flood', 9), entry('valley', 3)], 10)).toEqual([
      'flood',
      'outburst flood',
      'valley',
    ]);
  });

  it('prefers phrases seen more than once when an article has enough of them', () => {
    expect(choosePhrases([entry('vaccine', 5), entry('school', 3), entry('nurse', 2), entry('fever', 1)], 10)).toEqual([
      'vaccine',
      'school',
      'nurse',
    ]);
  });

  it('counts a bounded number of distinct phrases', () => {
    const counts = new PhraseCounts();
    for (let i = 0; i < 120_000; i++) counts.add(`phrase ${i}`);
    counts.add('kept');
    counts.add('kept');
    expect(counts.entries().length).toBeLessThanOrEqual(50_001);
  });
});

describe('reading a long text in pieces', () => {
  it('cuts at line breaks or spaces and loses nothing', () => {
    const text = Array.from({ length: 300 }, (_, i) => `line ${i} ${'word '.repeat(i % 17)}`).join('\n');
    const cut = [...pieces(text, 500)];
    expect(cut.join('')).toBe(text);
    expect(cut.every((p) => p.length <= 500)).toBe(true);
  });
});

describe('the title of an article', () => {
  it('is the first line when it reads like a heading', () => {
    expect(titleOf('\n  Cover crops lock more carbon into farm soils\n\nFarmers who ...')).toBe(
      'Cover crops lock more carbon into farm soils',
    );
    expect(titleOf('# Soil carbon\nbody')).toBe('Soil carbon');
  });

  it('is absent when the first line is a sentence or a paragraph', () => {
    expect(titleOf('Farmers who plant cover crops store more carbon.\nMore text')).toBeUndefined();
    expect(titleOf(`${'word '.repeat(60)}\n`)).toBeUndefined();
    expect(titleOf('')).toBeUndefined();
  });
});
