/**
 * The dashboard's Trends panel, server side: `/_dashboard/trends.json` (articles per published day,
 * and each period's top and rising key phrases, core/trends/read.ts) and
 * `/_dashboard/trends/articles.json` (the articles of a period with a phrase, with their summaries).
 * Both read the byPublishedDay index day by day, as `npm run trends` does; summaries, which the index
 * does not project, come from the table by key (BatchGetItem).
 */

import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PublishedDayIndex } from '../../adapters/published-day-index';
import type { PublishedDays } from '../../core/ports';
import { articlesWithPhrase, readTrends, type TrendsResult } from '../../core/trends/read';
import { daysOf, Granularities, periodsBefore, type Granularity } from '../../core/trends/periods';

export interface TrendsSource {
  index: PublishedDays;
  /** Summaries by articleId. */
  summaries(articleIds: string[]): Promise<Map<string, string>>;
}

export class TrendsQueryError extends Error {
  override readonly name = 'TrendsQueryError';
}

/** The longest range the panel reads at once: a year of days. */
export const MAX_DAYS = 366;
export const TOP_PHRASES = 10;
export const MAX_ARTICLES = 50;
const SUMMARY_CHARS = 600;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const trendsSource = (dynamo: DynamoDBDocumentClient, table: string): TrendsSource => ({
  index: new PublishedDayIndex(dynamo, table),
  summaries: async (articleIds) => {
    const found = new Map<string, string>();
    for (let i = 0; i < articleIds.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = articleIds.slice(i, i + 100).map((articleId) => ({ articleId }));
      while (keys && keys.length > 0) {
        const reply = await dynamo.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ProjectionExpression: 'articleId, summary' } } }),
        );
        for (const item of reply.Responses?.[table] ?? []) found.set(item.articleId as string, (item.summary as string | undefined) ?? '');
        keys = reply.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return found;
  },
});

const day = (params: URLSearchParams, name: string, fallback: string): string => {
  const value = params.get(name) ?? fallback;
  if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw new TrendsQueryError(`${name} must be a date like 2026-11-04; got ${JSON.stringify(value)}`);
  return value;
};

/** from, to (default: the 14 days to today) and by (default day), checked. */
export const parseTrendsParams = (params: URLSearchParams, today: string): { from: string; to: string; by: Granularity } => {
  const by = (params.get('by') ?? 'day') as Granularity;
  if (!Granularities.includes(by)) throw new TrendsQueryError(`by must be one of ${Granularities.join(', ')}; got ${JSON.stringify(by)}`);
  const to = day(params, 'to', today);
  const from = day(params, 'from', periodsBefore(to, 'day', 13).start);
  if (from > to) throw new TrendsQueryError(`from ${from} is after to ${to}`);
  if (daysOf({ start: from, end: to }).length > MAX_DAYS)
    throw new TrendsQueryError(`at most ${MAX_DAYS} days at once; ${from} to ${to} is longer`);
  return { from, to, by };
};

export const trendsData = async (
  source: TrendsSource,
  params: URLSearchParams,
  today: string,
): Promise<TrendsResult & { from: string; to: string; by: Granularity }> => {
  const query = parseTrendsParams(params, today);
  return { ...query, ...(await readTrends(source.index, { ...query, top: TOP_PHRASES })) };
};

export interface PhraseArticle {
  key: string;
  title?: string;
  publishedDay: string;
  summary: string;
}

export const phraseArticles = async (
  source: TrendsSource,
  params: URLSearchParams,
  today: string,
): Promise<{ phrase: string; from: string; to: string; articles: PhraseArticle[] }> => {
  const phrase = params.get('phrase') ?? '';
  if (!phrase || phrase.length > 100) throw new TrendsQueryError('phrase must be a key phrase of 1 to 100 characters');
  const { from, to } = parseTrendsParams(params, today);
  const rows = await articlesWithPhrase(source.index, { start: from, end: to }, phrase, MAX_ARTICLES);
  const summaries = await source.summaries(rows.map((r) => r.articleId));
  return {
    phrase,
    from,
    to,
    articles: rows.map((r) => {
      const summary = summaries.get(r.articleId) ?? '';
      return {
        key: r.key ?? r.articleId,
        ...(r.title ? { title: r.title } : {}),
        publishedDay: r.publishedDay,
        summary: summary.length <= SUMMARY_CHARS ? summary : `${summary.slice(0, SUMMARY_CHARS - 1)}…`,
      };
    }),
  };
};
