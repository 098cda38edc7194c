import { summarize } from '../local/model-server/summarizer';
import type { DatasetName } from './eval-samples';
import { lead } from './lines';
import type { PeerSystem } from './peers';
import type { SummarySystem } from './quality-report';

/**
 * Sentences asked of Lead-k and of every npm peer: CNN/DailyMail highlights run to 3-4 sentences (Lead-3 is
 * the standard baseline); an XSum summary is one sentence (Lead-1 is its published "Lead" row).
 */
export const SUMMARY_SENTENCES: Readonly<Record<DatasetName, number>> = { cnndm: 3, xsum: 1 };

/** Ours, with the defaults the model server uses (about 60 words on either dataset). */
export const localSummarizer: SummarySystem = { name: 'local-summarizer', summarize: (article) => summarize(article) };

export const leadSystem = (sentences: number): SummarySystem => ({
  name: `lead-${sentences}`,
  summarize: (article) => lead(article, sentences),
});

/** What runs on a dataset: ours, Lead-k, then each peer asked for k sentences. */
export const systemsFor =
  (peers: readonly PeerSystem[]) =>
  (dataset: DatasetName): SummarySystem[] => {
    const k = SUMMARY_SENTENCES[dataset];
    return [
      localSummarizer,
      leadSystem(k),
      ...peers.map((peer) => ({ name: peer.name, summarize: (article: string) => peer.summarize(article, k) })),
    ];
  };
