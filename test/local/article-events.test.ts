import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import type { ArticleEvent } from '../../core/article-events';
import { LATEST_EVENTS } from '../../local/dashboard/article-events';
import type { SnsEnvelope } from '../../local/sns/topic-log';
import { eventually } from '../support/eventually';
import { generatedArticle } from '../support/long-text';
import { putArticle, startTestCloud, terminalRows, type TestCloud } from '../support/local-cloud';

/**
 * The ArticleEventsTopic on the local cloud: what a subscriber receives for a batch of short articles,
 * one long article (summarized in parts, each part its own request and notification) and a rejected
 * file. One message per article, none per part, each in SNS's envelope with the attributes a filter
 * policy reads.
 */
describe('article events on the local cloud: one message per finished article', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
  }, 60_000);
  afterAll(async () => cloud.dispose());

  const SHORT = 5;
  const shortKeys = Array.from({ length: SHORT }, (_, i) => `input/evt/short-${i + 1}.txt`);
  const longKey = 'input/evt/long.txt';
  const rejectedKey = 'input/evt/empty.txt';
  const keys = [...shortKeys, longKey, rejectedKey];

  const messagesFor = (envelopes: readonly SnsEnvelope[]) =>
    envelopes
      .map((envelope) => ({ envelope, event: JSON.parse(envelope.Message) as ArticleEvent }))
      .filter(({ event }) => keys.includes(event.key));

  it('sends one message per article (none per part), with its state, summary or reason, cost and attributes', async () => {
    // Prepare
    const short = (i: number) =>
      `Study ${i} followed ${i * 10} rivers for ten years. Floods arrived earlier each spring. The change was largest in the north.`;
    // Act
    await Promise.all(shortKeys.map((key, i) => putArticle(cloud, key, short(i + 1))));
    await putArticle(cloud, longKey, generatedArticle(4000, 11));
    await putArticle(cloud, rejectedKey, Buffer.alloc(0));
    const rows = await terminalRows(cloud, keys, 120_000);
    // The publish follows the ledger write: wait for the last message, then for nothing left in flight.
    await eventually(() => (messagesFor(cloud.articleEvents.latest()).length >= keys.length ? true : undefined), {
      timeoutMs: 30_000,
      everyMs: 100,
      what: `${keys.length} article events`,
    });
    await eventually(() => (cloud.idle() ? true : undefined), { timeoutMs: 30_000, everyMs: 100, what: 'an idle local cloud' });

    // Assess: exactly one message per article, though the long one took several requests.
    const long = rows.get(longKey);
    expect(long?.parts).toBeGreaterThan(1);
    expect(long?.requestCount).toBeGreaterThan(long?.parts as number);
    // Raw messages, not de-duplicated: one writer publishes each transition, so a second message is a bug
    // (the local SNS delivers exactly once).
    const messages = messagesFor(cloud.articleEvents.latest());
    expect(messages.map(({ event }) => event.key).sort()).toEqual([...keys].sort());
    for (const { envelope, event } of messages) {
      const row = rows.get(event.key);
      expect(event).toMatchObject({
        type: 'article.finished',
        articleId: row?.articleId,
        inferenceId: row?.inferenceId,
        state: row?.state,
        batch: 'evt',
        bucket: cloud.endpoints.bucket,
      });
      expect(event.eventId).toMatch(/^[0-9a-f]{32}$/);
      expect(envelope).toMatchObject({
        Type: 'Notification',
        TopicArn: cloud.config.articleEventsTopicArn,
        Subject: expect.stringMatching(new RegExp(`^Article ${row?.state}: `)),
        MessageAttributes: {
          state: { Type: 'String', Value: row?.state },
          batch: { Type: 'String', Value: 'evt' },
          eventId: { Type: 'String', Value: event.eventId },
        },
      });
    }
    const byKey = new Map(messages.map(({ event }) => [event.key, event]));
    for (const key of shortKeys) {
      expect(byKey.get(key)).toMatchObject({ state: 'COMPLETED', summary: rows.get(key)?.summary, costUsd: rows.get(key)?.costUsd });
    }
    expect(byKey.get(longKey)).toMatchObject({ state: 'COMPLETED', parts: long?.parts, requestCount: long?.requestCount });
    expect(byKey.get(longKey)?.summary).toBe(long?.summary);
    expect(byKey.get(rejectedKey)).toMatchObject({ state: 'REJECTED', reason: expect.stringMatching(/^empty article/) });
    expect(byKey.get(rejectedKey)?.summary).toBeUndefined();
    // The costs are the rows' own, itemised.
    expect(byKey.get(longKey)?.costItems).toEqual(long?.costItems);
  }, 180_000);

  it('keeps every message in the state folder and serves the latest to a person and the dashboard', async () => {
    // Act
    const fromFile = readFileSync(join(cloud.stateDir, 'article-events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as SnsEnvelope);
    const fromEdge = (await (await fetch(`${cloud.endpoints.edgeUrl}/_localcloud/article-events?limit=100`)).json()) as SnsEnvelope[];
    const dashboard = (await (await fetch(`${cloud.endpoints.edgeUrl}/_dashboard/data.json`)).json()) as {
      articleEvents: { eventId: string; key: string; state: string }[];
    };
    // Assess: the same messages everywhere, and no other message on the topic.
    const eventIds = messagesFor(fromFile).map(({ event }) => event.eventId);
    expect(new Set(eventIds).size).toBe(keys.length);
    expect(fromFile).toHaveLength(eventIds.length);
    expect(fromEdge.map((e) => e.MessageId)).toEqual(fromFile.map((e) => e.MessageId));
    expect(dashboard.articleEvents.map((row) => row.eventId)).toEqual([...eventIds].reverse().slice(0, LATEST_EVENTS));
    // No row is left marked pending once every event is published (core/article-events.ts): each publish is
    // followed by the write that removes the mark, so the sparse index empties.
    const ledger = new DynamoDbSummaryLedger(cloud.dynamo, cloud.endpoints.table);
    await eventually(async () => ((await ledger.listPendingEvents('9999-12-31T00:00:00.000Z')).length === 0 ? true : undefined), {
      timeoutMs: 30_000,
      everyMs: 200,
      what: 'no article event left pending',
    });
    const rows = await terminalRows(cloud, keys);
    expect([...rows.values()].filter((row) => row.eventPendingSince !== undefined)).toEqual([]);
  });
});
