import { withoutCitations } from '../../../../core/documents/pdf/citations';

describe('inline citations', () => {
  it('takes out numbered citations in brackets', () => {
    expect(withoutCitations('Tracing was proposed before [3, 7–9], and works [12].')).toBe('Tracing was proposed before, and works.');
  });

  it('takes out author-year citations in parentheses, one or several', () => {
    expect(withoutCitations('Language models (Devlin et al., 2019; Yang et al., 2019) and projection (Golub and Pereyra 2003) help.')).toBe(
      'Language models and projection help.',
    );
  });

  it("keeps a textual citation's names and drops its year", () => {
    expect(withoutCitations('As Rosenberg and Hirschberg (2007) show, it works.')).toBe('As Rosenberg and Hirschberg show, it works.');
  });

  it('keeps numbers in parentheses and parentheses that are not citations', () => {
    const text = 'We (1) record and (2) compile traces (see Section 3) in the interpreter.';

    expect(withoutCitations(text)).toBe(text);
  });
});
