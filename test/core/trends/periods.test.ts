import { risingPhrases } from '../../../core/trends/log-odds';
import { countsOfDay, periodOf, periodsBetween, trendsOf, type DayCounts, type TrendRow } from '../../../core/trends/periods';

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));

/** A day of `n` completed articles, each with the background phrases plus any extra ones given per article. */
const day = (publishedDay: string, n: number, extra: (i: number) => string[] = () => []): TrendRow[] =>
  Array.from({ length: n }, (_, i) => ({
    articleId: `${publishedDay}-${i}`,
    publishedDay,
    state: 'COMPLETED',
    keyphrases: [
      ['carbon', 'ocean', 'soil', 'battery', 'vaccine'][i % 5] as string,
      ['policy', 'market', 'trial'][i % 3] as string,
      ...extra(i),
    ],
  }));

describe('rising phrases (weighted log-odds, informative Dirichlet prior)', () => {
  it("ranks a phrase many of the day's articles share first, above a one-off rare phrase and steady ones", () => {
    const reference = counts({ carbon: 16, ocean: 16, soil: 16, battery: 16, vaccine: 16, policy: 27, market: 27, trial: 26 });
    const target = counts({
      carbon: 4,
      ocean: 4,
      soil: 4,
      battery: 4,
      vaccine: 4,
      policy: 7,
      market: 7,
      trial: 6,
      'heat pump': 8,
      'quantum sensor': 1,
    });

    const rising = risingPhrases(target, reference);

    expect(rising[0]?.phrase).toBe('heat pump');
    const rare = rising.find((r) => r.phrase === 'quantum sensor');
    expect(rare?.score ?? 0).toBeLessThan((rising[0]?.score ?? 0) / 2);
    expect(rising.findIndex((r) => r.phrase === 'quantum sensor')).toBeGreaterThan(0);
    // Phrases as frequent as before are not rising.
    expect(rising.filter((r) => ['carbon', 'policy'].includes(r.phrase)).every((r) => r.score < 0.5)).toBe(true);
  });

  it('finds nothing rising without a reference, or in an empty period', () => {
    expect(risingPhrases(counts({ carbon: 3, ocean: 1 }), new Map())).toEqual([]);
    expect(risingPhrases(new Map(), counts({ carbon: 3 }))).toEqual([]);
  });

  it('does not put a one-off rare phrase first even when nothing else changes', () => {
    const reference = counts({ carbon: 20, ocean: 20 });
    const target = counts({ carbon: 5, ocean: 5, 'rare isotope': 1 });
    const rising = risingPhrases(target, reference);
    expect(rising.map((r) => r.phrase)).toEqual(['rare isotope']);
    expect(rising[0]?.score).toBeLessThan(1.96);
  });
});

describe('trends by period', () => {
  it('counts completed articles per day and each phrase once per article', () => {
    const rows: TrendRow[] = [
      { articleId: 'a', publishedDay: '2026-11-04', state: 'COMPLETED', keyphrases: ['carbon', 'carbon', 'soil'] },
      { articleId: 'b', publishedDay: '2026-11-04', state: 'FAILED', keyphrases: ['carbon'] },
      { articleId: 'c', publishedDay: '2026-11-04', state: 'COMPLETED' },
    ];
    const c = countsOfDay(rows);
    expect(c.articles).toBe(2);
    expect([...c.phrases]).toEqual([
      ['carbon', 1],
      ['soil', 1],
    ]);
  });

  it('groups days into ISO weeks (Monday to Sunday) and calendar months', () => {
    expect(periodOf('2026-11-04', 'week')).toEqual({ start: '2026-11-02', end: '2026-11-08' });
    expect(periodOf('2026-11-08', 'week')).toEqual({ start: '2026-11-02', end: '2026-11-08' });
    expect(periodOf('2024-02-10', 'month')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodsBetween('2026-12-30', '2027-01-02', 'day').map((p) => p.start)).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(periodsBetween('2026-11-20', '2027-01-02', 'month').map((p) => p.start)).toEqual(['2026-11-01', '2026-12-01', '2027-01-01']);
  });

  it('ranks the topic that surges on the last day first among its rising phrases', () => {
    const days = new Map<string, DayCounts>();
    for (const d of ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04']) days.set(d, countsOfDay(day(d, 10)));
    days.set('2026-11-05', countsOfDay(day('2026-11-05', 10, (i) => (i < 6 ? ['heat pump'] : i === 9 ? ['quantum sensor'] : []))));

    const [last] = trendsOf(days, [{ start: '2026-11-05', end: '2026-11-05' }], 'day', 5);

    expect(last).toMatchObject({ start: '2026-11-05', end: '2026-11-05', articles: 10 });
    expect(last?.top[0]).toEqual({ phrase: 'heat pump', count: 6 });
    expect(last?.rising[0]).toMatchObject({ phrase: 'heat pump', count: 6 });
    expect(last?.rising[0]?.score).toBeGreaterThan(1.96);
  });

  it("lists a topic in 3 of a small day's 4 articles as rising, and never a phrase of one article", () => {
    const row = (publishedDay: string, i: number, keyphrases: string[]): TrendRow => ({
      articleId: `${publishedDay}-${i}`,
      publishedDay,
      state: 'COMPLETED',
      keyphrases,
    });
    const before = ['glacial lake', 'port', 'battery', 'carbon', 'blood pressure', 'library'].map((p, i) =>
      row('2026-11-04', i, [p, `other ${i}`]),
    );
    const day = [0, 1, 2]
      .map((i) => row('2026-11-05', i, ['glacial lake', 'warning system']))
      .concat(row('2026-11-05', 3, ['battery', 'quantum sensor']));
    const days = new Map([
      ['2026-11-04', countsOfDay(before)],
      ['2026-11-05', countsOfDay(day)],
    ]);

    const [last] = trendsOf(days, [{ start: '2026-11-05', end: '2026-11-05' }], 'day', 10);

    expect(last?.rising.map((r) => r.phrase)).toEqual(['warning system', 'glacial lake']);
    expect(last?.rising.every((r) => r.count >= 2 && r.score >= 1)).toBe(true);
  });
});
