import { joinLines, keepsHyphen, vocabularyOf } from '../../../../core/documents/pdf/hyphenation';

describe('joining lines across line-end hyphens', () => {
  it('joins a word broken into syllables when the document writes it whole elsewhere', () => {
    const vocabulary = vocabularyOf(['the representation of a document', 'is a vector']);

    expect(joinLines(['a learned repre-', 'sentation of text'], vocabulary)).toBe('a learned representation of text');
  });

  it('joins a broken word the document never writes whole, when its halves are not both words', () => {
    const vocabulary = vocabularyOf(['the compiler can emit code']);

    expect(joinLines(['we present an al-', 'ternative technique'], vocabulary)).toBe('we present an alternative technique');
  });

  it('keeps the hyphen of a compound broken at one of its own hyphens', () => {
    const vocabulary = vocabularyOf(['models']);

    expect(joinLines(['a state-of-', 'the-art model'], vocabulary)).toBe('a state-of-the-art model');
  });

  it('keeps the hyphen between two words of the document that it never writes as one', () => {
    const vocabulary = vocabularyOf(['every document has a level of detail']);

    expect(joinLines(['a document-', 'level embedding'], vocabulary)).toBe('a document-level embedding');
  });

  it('joins a word and its ending even when both halves occur as words', () => {
    const vocabulary = vocabularyOf(['an interest in ing forms']);

    expect(keepsHyphen('interest', 'ing', vocabulary)).toBe(false);
  });

  it('keeps a hyphen the document writes inside lines', () => {
    const vocabulary = vocabularyOf(['the fine-tuning step', 'needs labels']);

    expect(joinLines(['after fine-', 'tuning the model'], vocabulary)).toBe('after fine-tuning the model');
  });

  it('joins ordinary line ends with a space, and leaves out the broken halves from the vocabulary', () => {
    const vocabulary = vocabularyOf(['a learned repre-', 'sentation of text']);

    expect(joinLines(['first line', 'second line'], vocabulary)).toBe('first line second line');
    expect(vocabulary.has('repre')).toBe(false);
    expect(vocabulary.has('sentation')).toBe(false);
  });
});
