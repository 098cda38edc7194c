import { DynamoDbSummaryLedger } from '../adapters/dynamodb-ledger';
import { ArticleStates, type ArticleState, type LedgerRow } from '../core/ledger';
import { partsProgress } from '../core/long-article/steps';
import { printable } from './printable';
import type { Target } from './target';

export interface ResultsQuery {
  state?: ArticleState;
  /** ISO date or date-time: rows received at or after it. */
  since?: string;
}

/** Ledger rows through the byState index, oldest first within each state. */
export const queryLedger = async (target: Target, query: ResultsQuery): Promise<LedgerRow[]> => {
  const ledger = new DynamoDbSummaryLedger(target.dynamo, target.table);
  const states = query.state ? [query.state] : [...ArticleStates];
  const rows: LedgerRow[] = [];
  for (const state of states) rows.push(...(await ledger.listInState(state, query.since ? { since: query.since } : undefined)));
  return rows;
};

export const parseState = (value: string | undefined): ArticleState | undefined => {
  if (value === undefined) return undefined;
  const state = value.toUpperCase();
  if (!(ArticleStates as readonly string[]).includes(state)) {
    throw new Error(`--state must be one of ${ArticleStates.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return state as ArticleState;
};

export const parseSince = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`--since must be a date like 2026-11-26 or 2026-11-26T10:00:00Z; got ${JSON.stringify(value)}`);
  return new Date(time).toISOString();
};

/** A readable table: counts per state, then one block per article. */
export const formatResults = (rows: LedgerRow[], width = 100): string => {
  const counts = ArticleStates.map((s) => `${s} ${rows.filter((r) => r.state === s).length}`).join('  ');
  const blocks = rows.map((row) => {
    const progress = partsProgress(row);
    const head = `${row.state.padEnd(9)} ${printable(row.key)}${progress ? `  (${progress})` : ''}`;
    const body =
      row.state === 'COMPLETED' ? (row.summary ?? '') : (row.reason ?? (row.state === 'QUEUED' ? 'waiting for the endpoint' : ''));
    const wrapped = wrap(printable(body.replace(/\s*\n\s*/g, ' ')), width - 10).map((line) => `          ${line}`);
    // Where a long article's part summaries can be read, and what the model read from a document.
    const parts = row.partSummariesLocation ? [`          part summaries: ${printable(row.partSummariesLocation)}`] : [];
    const read = row.extractedLocation ? [`          read from: ${printable(row.extractedLocation)}`] : [];
    return [head, ...documentLine(row), ...wrapped, ...parts, ...read].join('\n');
  });
  return [`${rows.length} articles: ${counts}`, ...blocks].join('\n\n');
};

/** A document's own title, format, pages and publication day, above its summary. */
const documentLine = (row: LedgerRow): string[] => {
  if (!row.format || row.format === 'text') return [];
  const facts = [
    row.format,
    ...(row.pages !== undefined ? [`${row.pages} pages`] : []),
    ...(row.unusablePages ? [`pages ${row.unusablePages} unreadable`] : []),
    ...(row.publishedSource && row.publishedSource !== 'upload' && row.publishedDay
      ? [`published ${row.publishedDay}${row.publishedSource === 'document-approximate' ? ' (approximate)' : ''}`]
      : []),
  ].join(', ');
  return [`          ${row.title ? `${printable(row.title)} ` : ''}(${facts})`];
};

const wrap = (text: string, width: number): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
};
