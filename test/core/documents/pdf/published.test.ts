import { publishedOf } from '../../../../core/documents/pdf/published';

const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('when a PDF was published, approximately', () => {
  it('takes the date of the arXiv stamp', () => {
    const published = publishedOf({
      firstPageText: 'arXiv:2004.14974v2 [cs.CL] 30 Apr 2020\nFact or Fiction',
      key: 'input/a.pdf',
      now: NOW,
    });

    expect(published).toEqual({
      day: '2020-04-30',
      source: 'document-approximate',
      from: 'arXiv stamp "arXiv:2004.14974v2 [cs.CL] 30 Apr 2020"',
    });
  });

  it("takes an arXiv id's month, first day, when the stamp has no date", () => {
    expect(publishedOf({ firstPageText: 'arXiv:hep-th/9901001v1', key: 'input/a.pdf', now: NOW })?.day).toBe('1999-01-01');
    expect(publishedOf({ firstPageText: 'A paper', key: 'input/preprints/2105.01234v3.pdf', now: NOW })).toEqual({
      day: '2021-05-01',
      source: 'document-approximate',
      from: 'arXiv id 2105.01234',
    });
  });

  it('takes the day the CreationDate writes, in its own time zone', () => {
    const published = publishedOf({ firstPageText: '', key: 'input/a.pdf', creationDate: "D:20070130232820+01'00'", now: NOW });

    expect(published).toEqual({ day: '2007-01-30', source: 'document-approximate', from: 'PDF CreationDate' });
  });

  it('gives no date for a CreationDate in the future or that is not a day', () => {
    expect(publishedOf({ firstPageText: '', key: 'input/a.pdf', creationDate: 'D:20300101000000Z', now: NOW })).toBeUndefined();
    expect(publishedOf({ firstPageText: '', key: 'input/a.pdf', creationDate: 'D:20190230000000Z', now: NOW })).toBeUndefined();
  });
});
