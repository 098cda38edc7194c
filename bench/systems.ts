import { summarizeLong } from './summarize-long';
import { DEFAULT_MAX_INPUT_TOKENS } from '../core/long-article/token-estimate';
import { summarizeMode } from '../local/model-server/modes';
import type { DatasetName, EvalSample } from './eval-samples';
import { lead, leadWords } from './lines';
import type { PeerSystem } from './peers';
import type { SummarySystem } from './quality-report';

/**
 * Sentences asked of Lead-k and of every npm peer on the news samples: CNN/DailyMail highlights run to 3-4
 * sentences (Lead-3 is the standard baseline); an XSum summary is one sentence (Lead-1 is its published
 * "Lead" row). Every other dataset is long research text, whose abstracts run to about 200 words: Lead-200
 * words, and peers asked for as many sentences as Lead-200 takes of the article.
 */
export const SUMMARY_SENTENCES: Readonly<Record<string, number>> = { cnndm: 3, xsum: 1 };
export const LEAD_WORDS = 200;
/** The entry beside a dataset that compares ours with the published outputs some of its rows carry. */
export const PUBLISHED_SUFFIX = '-published-outputs';

/** The local model as an endpoint instance runs it: its input limit, and lengths counted in tokens. */
const localModel = summarizeMode(DEFAULT_MAX_INPUT_TOKENS);

/**
 * Ours: the local model behind the same split / map / reduce core the pipeline uses (bench/summarize-long.ts),
 * with the model's input limit. A news article within the limit is one request, as on the pipeline.
 */
export const localSummarizer: SummarySystem = {
  name: 'local-summarizer',
  summarize: async (article) => {
    const result = await summarizeLong(article, async (text, length) => (await localModel([text], length ?? {}))[0] ?? '', {
      maxInputTokens: DEFAULT_MAX_INPUT_TOKENS,
    });
    return result.summary;
  },
};

export const leadSystem = (sentences: number): SummarySystem => ({
  name: `lead-${sentences}`,
  summarize: (article) => lead(article, sentences),
});

export const leadWordsSystem = (words: number): SummarySystem => ({
  name: `lead-${words}-words`,
  summarize: (article) => leadWords(article, words),
});

/** A published output as rougeLsum wants it: `<n>` is a line break; `<s>` and `</s>` are dropped. */
export const publishedText = (output: string): string =>
  output
    .replace(/<\/?s>/g, '')
    .split(/<n>/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');

/** Rows of each dataset that carry published outputs, as `<dataset>-published-outputs` entries. */
export const publishedEntries = (samples: Record<DatasetName, readonly EvalSample[]>): Record<DatasetName, EvalSample[]> => {
  const entries: Record<DatasetName, EvalSample[]> = {};
  for (const [dataset, rows] of Object.entries(samples)) {
    const withOutputs = rows.filter((row) => row.systemOutputs);
    if (withOutputs.length > 0) entries[`${dataset}${PUBLISHED_SUFFIX}`] = withOutputs;
  }
  return entries;
};

const publishedSystems = (samples: readonly EvalSample[]): SummarySystem[] => {
  const byArticle = new Map(samples.map((sample) => [sample.article, sample.systemOutputs ?? {}]));
  const names = [...new Set(samples.flatMap((sample) => Object.keys(sample.systemOutputs ?? {})))].sort();
  return names.map((system) => ({
    name: `${system.replace(/_/g, '-')}-published`,
    summarize: (article: string) => publishedText(byArticle.get(article)?.[system] ?? ''),
  }));
};

/**
 * What runs on a dataset: ours, Lead-k, then each peer asked for k sentences; on a published-outputs entry,
 * ours, Lead-200 and the published systems (no peers: the entry is about those systems).
 */
export const systemsFor =
  (peers: readonly PeerSystem[]) =>
  (dataset: DatasetName, samples: readonly EvalSample[]): SummarySystem[] => {
    if (dataset.endsWith(PUBLISHED_SUFFIX)) return [localSummarizer, leadWordsSystem(LEAD_WORDS), ...publishedSystems(samples)];
    const k = SUMMARY_SENTENCES[dataset];
    if (k !== undefined) {
      return [
        localSummarizer,
        leadSystem(k),
        ...peers.map((peer) => ({ name: peer.name, summarize: (article: string) => peer.summarize(article, k) })),
      ];
    }
    const sentencesOfLead = (article: string) => leadWords(article, LEAD_WORDS).split('\n').length;
    return [
      localSummarizer,
      leadWordsSystem(LEAD_WORDS),
      ...peers.map((peer) => ({ name: peer.name, summarize: (article: string) => peer.summarize(article, sentencesOfLead(article)) })),
    ];
  };
