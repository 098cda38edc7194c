import { DEFAULT_MAX_INPUT_TOKENS, estimateTokens, truncateToTokens, wordTokens } from '../../../core/long-article/token-estimate';

describe('estimateTokens', () => {
  it.each([
    ['the', 1],
    ['patients', 3],
    ['oligonucleotides', 8], // over 12 letters: two a token
    ['2015', 5], // "▁" and one piece a digit
    ['a2b', 2],
    ['café', 2],
    [',', 1],
  ])('counts %j as %i tokens', (word, tokens) => {
    // Act and Assess
    expect(wordTokens(word)).toBe(tokens);
  });

  it('adds the end-of-sequence token to the words of a text', () => {
    // Act and Assess
    expect(estimateTokens('')).toBe(1);
    expect(estimateTokens('the patients ,\n2015')).toBe(1 + 1 + 3 + 1 + 5);
  });

  it('defaults to the 1,024-token limit of google/pegasus-cnn_dailymail', () => {
    // Act and Assess
    expect(DEFAULT_MAX_INPUT_TOKENS).toBe(1024);
  });
});

describe('truncateToTokens', () => {
  it('keeps whole words up to the limit and drops the rest', () => {
    // Prepare
    const text = 'one two six ten';

    // Act
    const kept = truncateToTokens(text, 4);

    // Assess
    expect(kept).toBe('one two six');
    expect(estimateTokens(kept)).toBeLessThanOrEqual(4);
  });

  it('returns a text within the limit unchanged', () => {
    // Act and Assess
    expect(truncateToTokens('one two\n\nthree ', 100)).toBe('one two\n\nthree ');
  });
});
