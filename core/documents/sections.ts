/**
 * What every format shares once its structure is read: which headings end the body (references and
 * back matter), which name an abstract that is not the author's (digests, author summaries, teasers),
 * and the text clean-up every extracted paragraph gets.
 */

const normalisedHeading = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/^[\s\d.ivxlc]+[.):]?\s+/i, '') // "7. References", "IV) Acknowledgments"
    .replace(/[^\p{L}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** A heading that starts the back matter: nothing from it on is body (the reference list and what follows). */
const REFERENCES =
  /^(references?|bibliography|literature cited|works cited|cited literature|reference list|referencias|bibliografía|literatur)( and notes)?$/;

/** Headings of sections that are not the body, wherever they stand. */
const NOT_BODY =
  /^(acknowledge?ments?|acknowledge?ment|funding|funding (sources|information|statement)|financial (support|disclosure)|competing interests?|conflicts? of interests?|declaration of (competing )?interests?|disclosures?|author contributions?|authors contributions|contributions|data availability( statement)?|availability of data and materials|ethics( statement| approval.*)?|abbreviations|supplementary (material|materials|information|data)|supporting information|additional files?|appendix.*|appendices|footnotes|notes|endnotes|about the authors?|author information|copyright|license|agradecimientos|conflicto de intereses|(table of )?contents|keywords|key words|palabras clave|palavras chave|figures|tables|figures and tables|editorial history|article information)$/;

/** Headings of the abstract itself, in the languages research documents come in. */
const ABSTRACT =
  /^(abstract|summary|résumé|resume|resumen|resumo|zusammenfassung|kurzfassung|riassunto|sommario|samenvatting|sammanfattning|streszczenie|аннотация|摘要|要旨)$/;

/** True when a section with this heading is back matter that ends the body (references, bibliography). */
export const isReferencesHeading = (heading: string | undefined): boolean => !!heading && REFERENCES.test(normalisedHeading(heading));

/** True when a section with this heading is not part of the body (acknowledgements, funding, appendices, ...). */
export const isNotBodyHeading = (heading: string | undefined): boolean => {
  if (!heading) return false;
  const name = normalisedHeading(heading);
  return REFERENCES.test(name) || NOT_BODY.test(name);
};

/** True when a section with this heading is an abstract ("Abstract", "Resumen", "Summary"): not body. */
export const isAbstractHeading = (heading: string | undefined): boolean => !!heading && ABSTRACT.test(normalisedHeading(heading));

/** Headings of abstracts that are not the author's abstract of the paper. */
export const isSecondaryAbstractHeading = (heading: string | undefined): boolean =>
  !!heading &&
  /digest|author summary|authors summary|plain language|lay summary|teaser|graphical abstract|highlights|significance/i.test(heading);

const LIGATURES: Record<string, string> = {
  '\ufb00': 'ff',
  '\ufb01': 'fi',
  '\ufb02': 'fl',
  '\ufb03': 'ffi',
  '\ufb04': 'ffl',
  '\ufb05': 'st',
  '\ufb06': 'st',
};

/**
 * One paragraph's text as the model should read it: ligatures spelled out, control and zero-width
 * characters removed, soft hyphens dropped, runs of white space one space.
 */
export const cleanText = (text: string): string =>
  text
    .normalize('NFC')
    .replace(/[\ufb00-\ufb06]/g, (c) => LIGATURES[c] ?? c)
    .replace(/\u00ad/g, '')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]/g, ' ')
    .replace(/[ \t\u00a0]+/g, ' ')
    .trim();

/** A title or heading on one line, bounded. */
export const oneLine = (text: string, max = 200): string => {
  const line = cleanText(text.replace(/\s+/g, ' '));
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
};
