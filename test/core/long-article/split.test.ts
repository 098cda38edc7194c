import { partBudget, PART_HEADROOM, splitArticle } from '../../../core/long-article/split';
import { estimateTokens } from '../../../core/long-article/token-estimate';

/** Generated text: lower-case, tokenized, one sentence a line, like research article releases. */
const sentence = (i: number): string => `the cohort ${i} showed a reduced level of serum markers after treatment ( p < 0.05 ) .`;
const lines = (from: number, count: number): string => Array.from({ length: count }, (_, i) => sentence(from + i)).join('\n');
const words = (text: string): string[] => text.match(/\S+/g) ?? [];

const expectWithin = (parts: string[], budget: number): void => {
  for (const part of parts) expect(estimateTokens(part)).toBeLessThanOrEqual(budget);
};

describe('splitArticle', () => {
  it('returns a short article as one part, unchanged', () => {
    // Prepare
    const article = `  ${lines(0, 5)}\n\n`;

    // Act and Assess
    expect(splitArticle(article, 1000)).toEqual([article]);
  });

  it('keeps an article estimated exactly at the budget whole, and splits one token over it', () => {
    // Prepare
    const article = lines(0, 20);
    const exact = estimateTokens(article);

    // Act and Assess
    expect(splitArticle(article, exact)).toEqual([article]);
    expect(splitArticle(article, exact - 1).length).toBe(2);
  });

  it('cuts at paragraph breaks when paragraphs fit, keeping every word in order', () => {
    // Prepare: four paragraphs of ten lines; a budget that holds two paragraphs.
    const paragraphs = [0, 10, 20, 30].map((from) => lines(from, 10));
    const article = paragraphs.join('\n\n');
    const budget = estimateTokens(`${paragraphs[2]}\n\n${paragraphs[3]}`) + 5; // the larger pair

    // Act
    const parts = splitArticle(article, budget);

    // Assess
    expect(parts).toEqual([`${paragraphs[0]}\n\n${paragraphs[1]}`, `${paragraphs[2]}\n\n${paragraphs[3]}`]);
  });

  it('cuts inside a paragraph at lines, and at sentence ends without relying on capitals', () => {
    // Prepare: one paragraph, sentences run together on one line, all lower-case.
    const article = Array.from({ length: 40 }, (_, i) => sentence(i)).join(' ');
    const budget = 120;

    // Act
    const parts = splitArticle(article, budget);

    // Assess
    expectWithin(parts, budget);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part).toMatch(/^the cohort \d+ .* \.$/);
    expect(words(parts.join(' '))).toEqual(words(article));
  });

  it('cuts one sentence longer than a part between words, and a word longer than a part inside it', () => {
    // Prepare
    const huge = Array.from({ length: 3000 }, (_, i) => `marker${i % 7}`).join(' ');
    const sequence = 'gatc'.repeat(500);
    const article = `${huge} ${sequence} end .`;
    const budget = 100;

    // Act
    const parts = splitArticle(article, budget);

    // Assess
    expectWithin(parts, budget);
    expect(parts.join(' ').replace(/\s+/g, '')).toBe(article.replace(/\s+/g, ''));
  });

  it('splits unicode text without breaking a character or losing one', () => {
    // Prepare
    const article = Array.from({ length: 200 }, (_, i) => `naïve café № ${i} — 日本語の文 🙂 µg/ml .`).join('\n');
    const budget = 200;

    // Act
    const parts = splitArticle(article, budget);

    // Assess
    expectWithin(parts, budget);
    expect(parts.join('\n')).toBe(article);
    for (const part of parts) expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/); // no lone surrogate
  });

  it('splits a 1 MB article into balanced parts within the budget, the same way every time', () => {
    // Prepare
    const paragraphs: string[] = [];
    for (let size = 0, i = 0; size < 1024 * 1024; i += 12) {
      const paragraph = lines(i, 12);
      paragraphs.push(paragraph);
      size += Buffer.byteLength(paragraph) + 2;
    }
    const article = paragraphs.join('\n\n');
    const budget = partBudget(1024);

    // Act
    const parts = splitArticle(article, budget);

    // Assess
    expectWithin(parts, budget);
    expect(parts.join('\n\n')).toBe(article);
    const sizes = parts.map((part) => estimateTokens(part));
    expect(Math.min(...sizes.slice(0, -1))).toBeGreaterThan(budget / 2);
    expect(splitArticle(article, budget)).toEqual(parts);
  });

  it('leaves headroom under the model limit', () => {
    // Act and Assess
    expect(partBudget(1024)).toBe(Math.floor(1024 * PART_HEADROOM));
    expect(partBudget(4096)).toBeLessThan(4096);
  });
});
