import { pageList, pageQuality } from '../../../../core/documents/pdf/text-quality';

const PROSE = 'Glacial lakes grow as mountain glaciers retreat, and a sudden outburst can flood the valleys far downstream.';

describe('how usable a page of text is', () => {
  it('takes prose, in Latin script or another, as good', () => {
    expect(pageQuality(PROSE)).toBe('good');
    expect(pageQuality('氷河湖は氷河の後退とともに拡大し、決壊すると下流の谷に洪水が起こる。観測網は十分ごとに水位を送る。')).toBe('good');
  });

  it('finds no text layer on a page with a few stray characters', () => {
    expect(pageQuality('12')).toBe('no-text');
    expect(pageQuality('')).toBe('no-text');
  });

  it('finds garbage in raw glyph codes, private-use characters and strings that are not words', () => {
    expect(pageQuality('\u0002\u0003\u0004\u0005\u0003\u0006\u0004\u0007\b \u0004\u000e\u000f\u0010\u0011\u0012\b\u0013'.repeat(4))).toBe(
      'garbage',
    );
    expect(pageQuality('\ue001\ue002\ue003 \ue004\ue005\ue006 \ue007\ue008'.repeat(5))).toBe('garbage');
    expect(pageQuality('Xkq Zrtp Wnbv Qjkl Mprt Hkls Vzxn Brtk Plmn Krtv Xzzk Qwrt')).toBe('garbage');
  });

  it('writes page numbers as ranges', () => {
    expect(pageList([4])).toBe('page 4');
    expect(pageList([2, 3, 4, 5])).toBe('pages 2–5');
    expect(pageList([2, 5, 7, 8, 9])).toBe('pages 2, 5 and 7–9');
  });
});
