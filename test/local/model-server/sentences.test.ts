import { splitSentences } from '../../../local/model-server/sentences';

const texts = (input: string) => splitSentences(input).map((s) => s.text);

describe('splitSentences', () => {
  it.each([
    ['titles before names', 'Mr. Smith met Dr. Jones. They talked.', ['Mr. Smith met Dr. Jones.', 'They talked.']],
    ['initials', 'The books of J. R. R. Tolkien sold well. Fans queued.', ['The books of J. R. R. Tolkien sold well.', 'Fans queued.']],
    ['a middle initial', 'He met George W. Bush in May. It went well.', ['He met George W. Bush in May.', 'It went well.']],
    ['an initial that ends a sentence', 'Take vitamin D. The dose is small.', ['Take vitamin D.', 'The dose is small.']],
    ['U.S. inside a sentence', 'The U.S. economy grew. Prices rose.', ['The U.S. economy grew.', 'Prices rose.']],
    [
      'U.S. at the end of a sentence',
      'Sales rose in the U.S. The rest of the world lagged.',
      ['Sales rose in the U.S.', 'The rest of the world lagged.'],
    ],
    [
      'e.g. and a.m.',
      'Some vents, e.g. young ones, are active at 5 a.m. on most days. Others are not.',
      ['Some vents, e.g. young ones, are active at 5 a.m. on most days.', 'Others are not.'],
    ],
    [
      'decimals and numbers',
      'Output grew 3.5 per cent in 2014. It was $1.2 million. No. 10 replied.',
      ['Output grew 3.5 per cent in 2014.', 'It was $1.2 million.', 'No. 10 replied.'],
    ],
    ['a company abbreviation', 'It was bought by Acme Inc. The deal closed.', ['It was bought by Acme Inc.', 'The deal closed.']],
    ['quotes after the full stop', 'She said: "It works." Then she left.', ['She said: "It works."', 'Then she left.']],
    ['a question inside a quote', '"Why?" he asked. Nobody knew.', ['"Why?" he asked.', 'Nobody knew.']],
    ['an exclamation before a capital', 'Stop! The road is closed.', ['Stop!', 'The road is closed.']],
    ['a missing space after the full stop', 'The report ended.Then it began again.', ['The report ended.', 'Then it began again.']],
  ])('handles %s', (_case, input, expected) => {
    // Act
    const sentences = texts(input);

    // Assess
    expect(sentences).toEqual(expected);
  });

  it('ends a sentence at a line that ends with a full stop, also in lower-cased, tokenized text', () => {
    // Prepare: the layout of research article releases, one sentence a line, no capitals.
    const input = 'the cohort was followed for two years .\nserum levels fell in 40 % of cases ( p < 0.05 ) .\nno side effects were seen';

    // Act and Assess
    expect(texts(input)).toEqual([
      'the cohort was followed for two years .',
      'serum levels fell in 40 % of cases ( p < 0.05 ) .',
      'no side effects were seen',
    ]);
  });

  it('still joins a hard-wrapped sentence whose line ends mid-sentence', () => {
    // Act and Assess
    expect(texts('The council approved the\nbridge on Monday. Work starts soon.')).toEqual([
      'The council approved the bridge on Monday.',
      'Work starts soon.',
    ]);
  });

  it('treats each bullet item as a sentence and drops its marker', () => {
    // Prepare
    const input = 'Key findings:\n- Deaths fell by a third\n* Side effects were mild\n• Costs fell\n1. First point.\n2) Second point.';

    // Act
    const sentences = splitSentences(input);

    // Assess
    expect(sentences.map((s) => [s.kind, s.text])).toEqual([
      ['prose', 'Key findings:'],
      ['bullet', 'Deaths fell by a third'],
      ['bullet', 'Side effects were mild'],
      ['bullet', 'Costs fell'],
      ['bullet', 'First point.'],
      ['bullet', 'Second point.'],
    ]);
  });

  it('marks a short unpunctuated paragraph as a heading and joins hard-wrapped lines', () => {
    // Prepare
    const input = 'Vent microbes fix more carbon\n\nThe team sampled\nthree vent fields. It took\r\nthree seasons.';

    // Act
    const sentences = splitSentences(input);

    // Assess
    expect(sentences.map((s) => [s.kind, s.text])).toEqual([
      ['heading', 'Vent microbes fix more carbon'],
      ['prose', 'The team sampled three vent fields.'],
      ['prose', 'It took three seasons.'],
    ]);
  });

  it('collapses whitespace and keeps unicode text intact', () => {
    // Act
    const sentences = texts('  Über   café\tnaïve — 日本語 🙂 here.   Another\u00a0one follows!  ');

    // Assess
    expect(sentences).toEqual(['Über café naïve — 日本語 🙂 here.', 'Another one follows!']);
  });

  it('numbers sentences in document order', () => {
    // Act
    const sentences = splitSentences('One is here.\n\nTwo is here. Three is here.');

    // Assess
    expect(sentences.map((s) => s.index)).toEqual([0, 1, 2]);
  });
});
