/**
 * The dashboard's Trends panel, server side: `/_dashboard/trends.json` (articles per published day,
 * and each period's top and rising key phrases, core/trends/read.ts) and
 * `/_dashboard/trends/articles.json` (the articles of a period with a phrase, with their summaries).
 * Both read the byPublishedDay index day by day, as `npm run trends` does; summaries, which the index
 * does not project, come from the table by key (BatchGetItem).
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LedgerRowsByKey } from '../../adapters/ledger-rows';
import { PublishedDayIndex } from '../../adapters/published-day-index';
import type { PublishedDays } from '../../core/ports';
import { articlesWithPhrase, readTrends, type TrendsResult } from '../../core/trends/read';
import type { Granularity } from '../../core/trends/periods';
import { TrendsQueryError, trendsQuery } from '../../core/trends/query';

export { TrendsQueryError };

export interface TrendsSource {
  index: PublishedDays;
  /** Summaries by articleId. */
  summaries(articleIds: string[]): Promise<Map<string, string>>;
}

/** The longest range the panel reads at once: a year of days. */
export const MAX_DAYS = 366;
export const TOP_PHRASES = 10;
export const MAX_ARTICLES = 50;
/** The panel opens on the 14 days to today. */
export const PANEL_DAYS = 14;
const SUMMARY_CHARS = 600;

export const trendsSource = (dynamo: DynamoDBDocumentClient, table: string): TrendsSource => {
  const rows = new LedgerRowsByKey(dynamo, table);
  return {
    index: new PublishedDayIndex(dynamo, table),
    summaries: async (articleIds) => {
      const found = await rows.get<{ articleId: string; summary?: string }>(articleIds, { attributes: ['articleId', 'summary'] });
      return new Map(found.map((item) => [item.articleId, item.summary ?? '']));
    },
  };
};

/** from, to (default: the 14 days to today) and by (default day), checked by the trends query schema (core/trends/query.ts). */
export const parseTrendsParams = (params: URLSearchParams, today: string): { from: string; to: string; by: Granularity } => {
  const field = (name: string) => params.get(name) ?? undefined;
  const { from, to, by } = trendsQuery(
    { from: field('from'), to: field('to'), by: field('by') },
    { today, defaultDays: PANEL_DAYS, maxDays: MAX_DAYS },
  );
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
