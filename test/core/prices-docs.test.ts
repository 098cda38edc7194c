import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRICES } from '../../core/prices';

/** docs/aws.md "What it costs on AWS": the price table's rows, by the `core/prices.ts` name in their first cell. */
const documentedPrices = (): Map<string, { usd: number; unit: string; source: string; read: string }> => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'aws.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## What it costs on AWS'));
  const rows = new Map<string, { usd: number; unit: string; source: string; read: string }>();
  for (const match of section.matchAll(
    /^\| `(\w+)` \| \$([0-9.]+) per (?:([0-9,]+) × )?([^|]+?) \| \[[^\]]+\]\(([^)]+)\) \| ([^|]+?) \|$/gm,
  )) {
    const [, name, amount, per, unit, source, read] = match as unknown as string[];
    rows.set(name as string, {
      usd: Number(amount) / Number((per ?? '1').replace(/,/g, '')),
      unit: unit as string,
      source: source as string,
      read: read as string,
    });
  }
  return rows;
};

describe('the prices docs/aws.md lists', () => {
  it('are core/prices.ts, every one with its unit, source and how it was read, and no other', () => {
    // Act
    const documented = documentedPrices();
    // Assess
    expect([...documented.keys()].sort()).toEqual(Object.keys(PRICES).sort());
    for (const [name, price] of Object.entries(PRICES)) {
      const row = documented.get(name);
      expect([name, row?.unit, row?.source, row?.read]).toEqual([name, price.unit, price.source, price.read]);
      // The same figure, however the table scales it (per million requests, per GB).
      expect([name, Math.abs((row?.usd ?? 0) - price.usd) / price.usd < 1e-9]).toEqual([name, true]);
    }
  });
});
