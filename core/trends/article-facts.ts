/**
 * What the ledger row says about an article's content and date, for trend analysis (README "Trends"):
 * its title, key phrases and published day. Bounded: at most 10 phrases of at most 60 characters and a
 * 200-character title, never the article's text.
 */

import { keyphrases, titleOf } from './keyphrases';
import { publishedDate, type PublishedDate } from './published-date';

export type ArticleFacts = PublishedDate & { title?: string; keyphrases: string[] };

/** `published` is the upload's `published` user metadata, `uploadedAt` its S3 event time. */
export const articleFacts = (text: string, published: string | undefined, uploadedAt: string): ArticleFacts => {
  const title = titleOf(text);
  return {
    ...publishedDate(published, uploadedAt),
    ...(title ? { title } : {}),
    keyphrases: keyphrases(text, title ? { title } : {}),
  };
};
