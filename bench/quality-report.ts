import { performance } from 'node:perf_hooks';
import type { DatasetName, EvalSample } from './eval-samples';
import { scoreRouge } from './rouge';
import { describeError } from '../core/errors';

/** A summarizer under test: one article in, a summary with one sentence a line out. */
export interface SummarySystem {
  name: string;
  summarize: (article: string) => string | Promise<string>;
}

/** Mean F1 over the articles, in percent; speed of the summarizer alone (scoring excluded), one process. */
export interface SystemScores {
  rouge1: number;
  rouge2: number;
  rougeLsum: number;
  articlesPerSecond: number;
}

export interface ArticleFailures {
  articles: number;
  firstError: string;
}

export interface QualityReport {
  /** Per dataset (in the order run), per system. */
  scores: Record<DatasetName, Record<string, SystemScores>>;
  /** Systems that could not be run, with the reason. */
  skipped: Record<string, string>;
  /** Articles a system threw on (scored 0, as rouge-score scores an empty summary); absent when none. */
  failures?: Partial<Record<DatasetName, Record<string, ArticleFailures>>>;
  meta: {
    articles: Record<DatasetName, number>;
    /** Mean summary length in whitespace-separated words, to read F1 against. */
    summaryWords: Record<DatasetName, Record<string, number>>;
    scorer: string;
  };
}

/** bench-results/quality.json: each dataset's scores at the top level, beside skipped, failures and meta. */
export const reportJson = ({ scores, ...rest }: QualityReport): Record<string, unknown> => ({ ...scores, ...rest });

export interface QualityRun {
  /** Datasets in the order they are run and reported. */
  samples: Record<DatasetName, readonly EvalSample[]>;
  systemsFor: (dataset: DatasetName, samples: readonly EvalSample[]) => readonly SummarySystem[];
  /** Packages that could not be loaded, carried into the report. */
  skipped?: Record<string, string>;
  /** Articles summarized once, untimed, before the timed passes (JIT warm-up). Default 5. */
  warmupArticles?: number;
  /**
   * Timed passes over the articles go on until they add up to this long (or `maxPasses`); the fastest pass
   * counts, so that a moment of load from another process on the machine does not. Default 2,000 ms.
   */
  minTimedMs?: number;
  /** Default 5. */
  maxPasses?: number;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
}

export const SCORER =
  'ROUGE F1 x 100, mean over articles, the rouge-score way: lower-case, [^a-z0-9]+ to spaces, ' +
  "NLTK's Porter stemmer on tokens over 3 characters; clipped n-gram counts; rougeLsum over newline-split sentences";

const round = (value: number, digits: number): number => Number(value.toFixed(digits));
const countWords = (text: string): number => text.match(/\S+/g)?.length ?? 0;
const message = (error: unknown): string => (describeError(error).split('\n')[0] ?? '').slice(0, 200);

interface SystemRun {
  /** From the first timed pass. */
  summaries: string[];
  /** The fastest pass. */
  elapsedMs: number;
  failures: number;
  firstError: string;
}

interface Timing {
  warmup: number;
  minTimedMs: number;
  maxPasses: number;
  now: () => number;
}

const runSystem = async (system: SummarySystem, samples: readonly EvalSample[], timing: Timing): Promise<SystemRun> => {
  for (const sample of samples.slice(0, timing.warmup)) {
    try {
      await system.summarize(sample.article);
    } catch {
      // Failures are counted in the timed passes, which see every article.
    }
  }
  const run: SystemRun = { summaries: [], elapsedMs: Infinity, failures: 0, firstError: '' };
  let timedMs = 0;
  for (let pass = 0; pass < timing.maxPasses && (pass === 0 || timedMs < timing.minTimedMs); pass++) {
    let elapsedMs = 0;
    for (const sample of samples) {
      const start = timing.now();
      let summary = '';
      try {
        summary = await system.summarize(sample.article);
      } catch (error) {
        if (pass === 0 && run.failures++ === 0) run.firstError = message(error);
      }
      elapsedMs += timing.now() - start;
      if (pass === 0) run.summaries.push(summary);
    }
    timedMs += elapsedMs;
    run.elapsedMs = Math.min(run.elapsedMs, elapsedMs);
  }
  return run;
};

/**
 * Summarizes every sample with every system, one system at a time in this process, and scores the summaries
 * against the references. A system that throws on some articles scores 0 on those (listed under `failures`);
 * one that throws on all of a dataset's articles is listed under `skipped` instead of scored.
 */
export const runQuality = async (run: QualityRun): Promise<QualityReport> => {
  const timing: Timing = {
    warmup: run.warmupArticles ?? 5,
    minTimedMs: run.minTimedMs ?? 2_000,
    maxPasses: run.maxPasses ?? 5,
    now: run.now ?? (() => performance.now()),
  };
  const scores = {} as Record<DatasetName, Record<string, SystemScores>>;
  const skipped: Record<string, string> = { ...run.skipped };
  const failures: Partial<Record<DatasetName, Record<string, ArticleFailures>>> = {};
  const meta: QualityReport['meta'] = {
    articles: {} as Record<DatasetName, number>,
    summaryWords: {} as Record<DatasetName, Record<string, number>>,
    scorer: SCORER,
  };
  for (const [dataset, samples] of Object.entries(run.samples)) {
    const systems: Record<string, SystemScores> = (scores[dataset] = {});
    meta.articles[dataset] = samples.length;
    const summaryWords: Record<string, number> = (meta.summaryWords[dataset] = {});
    for (const system of run.systemsFor(dataset, samples)) {
      const result = await runSystem(system, samples, timing);
      if (samples.length > 0 && result.failures === samples.length) {
        const reason = `${dataset}: threw on every article: ${result.firstError}`;
        skipped[system.name] = skipped[system.name] ? `${skipped[system.name]}; ${reason}` : reason;
        continue;
      }
      if (result.failures > 0) {
        (failures[dataset] ??= {})[system.name] = { articles: result.failures, firstError: result.firstError };
      }
      systems[system.name] = scoreSystem(result, samples);
      const words = result.summaries.reduce((sum, summary) => sum + countWords(summary), 0);
      summaryWords[system.name] = round(words / Math.max(1, samples.length), 1);
    }
  }
  return { scores, skipped, ...(Object.keys(failures).length > 0 ? { failures } : {}), meta };
};

const scoreSystem = (result: SystemRun, samples: readonly EvalSample[]): SystemScores => {
  const total = { rouge1: 0, rouge2: 0, rougeLsum: 0 };
  samples.forEach((sample, i) => {
    const scores = scoreRouge(result.summaries[i] ?? '', sample.reference);
    total.rouge1 += scores.rouge1;
    total.rouge2 += scores.rouge2;
    total.rougeLsum += scores.rougeLsum;
  });
  const mean = (sum: number) => round((100 * sum) / Math.max(1, samples.length), 2);
  return {
    rouge1: mean(total.rouge1),
    rouge2: mean(total.rouge2),
    rougeLsum: mean(total.rougeLsum),
    articlesPerSecond: result.elapsedMs > 0 ? round((1000 * samples.length) / result.elapsedMs, 1) : 0,
  };
};

/** A plain-text table per dataset, then the skipped systems. */
export const formatTable = (report: QualityReport): string => {
  const out: string[] = [];
  for (const [dataset, systems] of Object.entries(report.scores)) {
    const width = Math.max(20, ...Object.keys(systems).map((name) => name.length));
    out.push(`${dataset} (${report.meta.articles[dataset]} articles)`);
    out.push(`  ${'system'.padEnd(width)}${['R-1', 'R-2', 'R-Lsum', 'words', 'articles/s'].map((h) => h.padStart(12)).join('')}`);
    for (const [name, s] of Object.entries(systems)) {
      const cells = [s.rouge1.toFixed(2), s.rouge2.toFixed(2), s.rougeLsum.toFixed(2)];
      cells.push((report.meta.summaryWords[dataset]?.[name] ?? 0).toFixed(1), s.articlesPerSecond.toFixed(1));
      out.push(`  ${name.padEnd(width)}${cells.map((c) => c.padStart(12)).join('')}`);
    }
    for (const [name, f] of Object.entries(report.failures?.[dataset] ?? {})) {
      out.push(`  ${name}: threw on ${f.articles} article(s), scored 0: ${f.firstError}`);
    }
    out.push('');
  }
  for (const [name, reason] of Object.entries(report.skipped)) out.push(`skipped ${name}: ${reason}`);
  return `${out.join('\n')}\n`;
};
