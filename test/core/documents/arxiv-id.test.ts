import { arxivIdDate } from '../../../core/documents/arxiv-id';

describe('arxivIdDate: the month an arXiv id in a key dates', () => {
  it.each([
    ['input/2004.14974.tar.gz', '2020-04-01', 'arXiv id 2004.14974'],
    ['input/arxiv-2004.14974v3-scifact-source.tar.gz', '2020-04-01', 'arXiv id 2004.14974'],
    ['input/0704.0001', '2007-04-01', 'arXiv id 0704.0001'],
    ['input/hep-th/9901001', '1999-01-01', 'arXiv id hep-th/9901001'],
    ['input/hep-th9901001.gz', '1999-01-01', 'arXiv id hep-th/9901001'],
    ['input/math.GT/0309136.tar.gz', '2003-09-01', 'arXiv id math/0309136'],
  ])('dates %s to the first of its month, approximately', (key, day, from) => {
    expect(arxivIdDate(key)).toEqual({ day, source: 'document-approximate', from });
  });

  it.each([
    ['a month that does not exist', 'input/2013.12345'],
    ['a new-style id before the scheme began', 'input/0612.1234'],
    ['a five-digit number before 2015', 'input/1412.12345'],
    ['no id at all', 'input/paper-2020.tex'],
  ])('gives no date for %s', (_what, key) => {
    expect(arxivIdDate(key)).toBeUndefined();
  });
});
