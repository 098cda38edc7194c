import { planReduce, REDUCE_SEPARATOR } from '../../../core/long-article/reduce-plan';
import { estimateTokens } from '../../../core/long-article/token-estimate';

/** A generated summary of about `tokens` estimated tokens ("the" is one). */
const summaryOf = (tokens: number, tag: number): string => `part${tag % 10} ${'the '.repeat(tokens - 3)}end`.trim();

describe('planReduce', () => {
  it('makes one final request when the joined summaries fit', () => {
    // Prepare
    const summaries = [summaryOf(100, 0), summaryOf(100, 1), summaryOf(100, 2)];

    // Act
    const step = planReduce(summaries, 400);

    // Assess
    expect(step).toEqual({ final: true, groups: [{ first: 0, last: 2, input: summaries.join(REDUCE_SEPARATOR) }] });
  });

  it('groups consecutive summaries within the budget when they do not fit one request', () => {
    // Prepare
    const summaries = Array.from({ length: 10 }, (_, i) => summaryOf(100, i));

    // Act
    const step = planReduce(summaries, 350);

    // Assess
    expect(step.final).toBe(false);
    expect(step.groups.map((g) => [g.first, g.last])).toEqual([
      [0, 2],
      [3, 5],
      [6, 8],
      [9, 9],
    ]);
    for (const group of step.groups) expect(estimateTokens(group.input)).toBeLessThanOrEqual(350);
  });

  it('pairs summaries that do not fit together, so every level at least halves', () => {
    // Prepare
    const summaries = Array.from({ length: 5 }, (_, i) => summaryOf(300, i));

    // Act
    const step = planReduce(summaries, 350);

    // Assess
    expect(step.groups.map((g) => [g.first, g.last])).toEqual([
      [0, 1],
      [2, 3],
      [4, 4],
    ]);
  });

  it('plans nothing for no summaries', () => {
    // Act and Assess
    expect(planReduce([], 100)).toEqual({ final: true, groups: [] });
  });
});
