/**
 * The dashboard's latest article events: what the ArticleEventsTopic delivered to the local cloud's
 * log (local/sns/topic-log.ts), one row per message, newest first. The message is the event as
 * core/article-events.ts publishes it; a summary is shortened as the latest summaries are.
 */

import type { ArticleEvent } from '../../core/article-events';
import type { SnsEnvelope } from '../sns/topic-log';

export interface ArticleEventRow {
  /** When SNS delivered it (wall clock), ISO. */
  deliveredAt: string;
  eventId: string;
  state: string;
  key: string;
  title?: string;
  /** The summary's start, or why it failed. */
  text: string;
  costUsd?: number;
}

/** Enough for a folder of papers dropped at once, whatever order they end in. */
export const LATEST_EVENTS = 20;
const TEXT_CHARS = 300;

const shorten = (text: string): string => (text.length <= TEXT_CHARS ? text : `${text.slice(0, TEXT_CHARS - 1)}…`);

/** Rows of the latest `limit` messages, newest first; a message that is not an article event is left out. */
export const articleEventRows = (envelopes: readonly SnsEnvelope[], limit = LATEST_EVENTS): ArticleEventRow[] =>
  envelopes
    .slice(-limit)
    .reverse()
    .flatMap((envelope) => {
      try {
        const event = JSON.parse(envelope.Message) as ArticleEvent;
        if (event.type !== 'article.finished') return [];
        return [
          {
            deliveredAt: envelope.Timestamp,
            eventId: event.eventId,
            state: event.state,
            key: event.key,
            ...(event.title ? { title: event.title } : {}),
            text: shorten(event.summary ?? event.reason ?? ''),
            ...(event.costUsd !== undefined ? { costUsd: event.costUsd } : {}),
          },
        ];
      } catch {
        return [];
      }
    });
