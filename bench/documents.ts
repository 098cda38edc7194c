/**
 * `npm run bench:quality` on research documents (a folder such as shared/eval/documents/ with its
 * expected.json): each document goes through what submit-article does with it (format detection,
 * extraction, limits: core/documents/read-article.ts, then the row's facts) and the local summarizer
 * through the pipeline's split / map / reduce; the figures say how much of the document's own title,
 * abstract and date were recovered, whether the abstract or the reference list leaked into what the model
 * reads, and how the summary scores against the author's abstract beside Lead-200 of the extracted body.
 */

import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { readArticle, type ArticleLimits } from '../core/documents/read-article';
import { RejectedArticleError } from '../core/errors';
import { articleFacts } from '../core/trends/article-facts';
import { leadWords } from './lines';
import { scoreRouge } from './rouge';
import { LEAD_WORDS, localSummarizer } from './systems';

/** One row of expected.json (the documents folder's README describes it). */
export interface ExpectedDocument {
  file: string;
  format: string;
  title: string;
  abstract: string;
  published: string | null;
  bodyWords?: number;
  lead200Rouge1?: number | null;
  referenceProbes: string[];
  abstractLanguage?: string;
}

export interface DocumentScore {
  file: string;
  state: 'COMPLETED' | 'REJECTED';
  reason?: string;
  format?: string;
  formatRight: boolean;
  titleF1?: number;
  abstractF1?: number;
  /** The document's own day was expected and found (or none was expected and none was claimed). */
  dateRight?: boolean;
  publishedDay?: string;
  publishedSource?: string;
  bodyWords?: number;
  expectedBodyWords?: number;
  /** Reference probes found in the body or the summary, and whether 25 words in a row of the abstract are in the body (a shorter run is often the introduction restating the aim). */
  referenceLeaks: number;
  abstractLeak: boolean;
  summaryWords?: number;
  /** ROUGE F1 × 100 against the author's abstract (stemmed, as bench:quality scores), and unstemmed R-1. */
  summary?: { rouge1: number; rouge2: number; rougeLsum: number; rouge1Unstemmed: number };
  lead200?: { rouge1: number; rouge2: number; rougeLsum: number; rouge1Unstemmed: number };
  seconds: number;
}

/** The local cloud's defaults (serverless.yml params). */
export const DEFAULT_LIMITS: ArticleLimits = { maxArticleBytes: 1_048_576, maxDocumentBytes: 52_428_800, maxDocumentWords: 200_000 };
const UPLOADED_AT = '2026-12-06T12:00:00.000Z';

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
const letters = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Token F1 of two texts' lower-cased word multisets, 0..1. */
export const tokenF1 = (found: string, expected: string): number => {
  const a = words(found);
  const b = words(expected);
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const w of b) counts.set(w, (counts.get(w) ?? 0) + 1);
  let overlap = 0;
  for (const w of a) {
    const left = counts.get(w) ?? 0;
    if (left > 0) {
      overlap++;
      counts.set(w, left - 1);
    }
  }
  if (overlap === 0) return 0;
  const precision = overlap / a.length;
  const recall = overlap / b.length;
  return (2 * precision * recall) / (precision + recall);
};

/** True when any run of `n` consecutive words of `abstract` stands in `body` (both as lower-case words). */
export const abstractLeaked = (abstract: string, body: string, n = 25): boolean => {
  const a = words(abstract);
  const text = ` ${words(body).join(' ')} `;
  for (let i = 0; i + n <= a.length; i++) if (text.includes(` ${a.slice(i, i + n).join(' ')} `)) return true;
  return false;
};

const unstemmedRouge1 = (prediction: string, reference: string): number => {
  const p = words(prediction);
  const r = new Map<string, number>();
  for (const w of words(reference)) r.set(w, (r.get(w) ?? 0) + 1);
  const total = [...r.values()].reduce((a, b) => a + b, 0);
  let overlap = 0;
  for (const w of p) {
    const left = r.get(w) ?? 0;
    if (left > 0) {
      overlap++;
      r.set(w, left - 1);
    }
  }
  if (overlap === 0) return 0;
  const precision = overlap / p.length;
  const recall = overlap / total;
  return (2 * precision * recall) / (precision + recall);
};

const rouge = (prediction: string, reference: string) => {
  const stemmed = scoreRouge(prediction, reference);
  return {
    rouge1: 100 * stemmed.rouge1,
    rouge2: 100 * stemmed.rouge2,
    rougeLsum: 100 * stemmed.rougeLsum,
    rouge1Unstemmed: 100 * unstemmedRouge1(prediction, reference),
  };
};

/** Scores one document the way the pipeline reads and summarizes it. */
export const scoreDocument = async (folder: string, expected: ExpectedDocument, limits = DEFAULT_LIMITS): Promise<DocumentScore> => {
  const started = Date.now();
  const bytes = readFileSync(join(folder, expected.file));
  const key = `input/${basename(expected.file)}`;
  const base = { file: expected.file, referenceLeaks: 0, abstractLeak: false };
  let input;
  try {
    input = await readArticle({ body: Readable.from([bytes]), bytes: bytes.length, key, contentType: 'application/octet-stream' }, limits, {
      deadline: Date.now() + 300_000,
      now: Date.now,
    });
  } catch (error) {
    if (!(error instanceof RejectedArticleError)) throw error;
    return {
      ...base,
      state: 'REJECTED',
      reason: error.message,
      ...(error.format ? { format: error.format } : {}),
      formatRight: error.format === expected.format,
      seconds: (Date.now() - started) / 1000,
    };
  }
  const body = input.format === 'text' ? input.bytes.toString('utf8') : input.body;
  const document = input.format === 'text' ? undefined : input.document;
  const facts = articleFacts(body, undefined, UPLOADED_AT, document);
  const summary = await localSummarizer.summarize(body);
  const probes = expected.referenceProbes.filter((probe) => letters(body).includes(probe) || letters(summary).includes(probe));
  const hasAbstract = expected.abstract.trim() !== '';
  const scored = hasAbstract && expected.lead200Rouge1 !== null && expected.lead200Rouge1 !== undefined;
  return {
    ...base,
    state: 'COMPLETED',
    format: input.format,
    formatRight: input.format === expected.format,
    titleF1: tokenF1(facts.title ?? '', expected.title),
    ...(hasAbstract ? { abstractF1: tokenF1(document?.abstract ?? '', expected.abstract) } : {}),
    dateRight: expected.published ? facts.publishedDay === expected.published : facts.publishedSource !== 'document',
    publishedDay: facts.publishedDay,
    publishedSource: facts.publishedSource,
    bodyWords: words(body).length,
    ...(expected.bodyWords !== undefined ? { expectedBodyWords: expected.bodyWords } : {}),
    referenceLeaks: probes.length,
    abstractLeak: hasAbstract && abstractLeaked(expected.abstract, body),
    summaryWords: summary.split(/\s+/).filter(Boolean).length,
    ...(scored ? { summary: rouge(summary, expected.abstract), lead200: rouge(leadWords(body, LEAD_WORDS), expected.abstract) } : {}),
    seconds: (Date.now() - started) / 1000,
  };
};

export interface DocumentsReport {
  documents: DocumentScore[];
  average: {
    completed: number;
    rejected: number;
    formatRight: number;
    titleF1: number;
    abstractF1: number;
    datesRight: number;
    referenceLeaks: number;
    abstractLeaks: number;
    summaryRouge1: number;
    lead200Rouge1: number;
    summaryRouge1Unstemmed: number;
    lead200Rouge1Unstemmed: number;
    scoredDocuments: number;
  };
}

const mean = (values: number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

export const runDocuments = async (folder: string): Promise<DocumentsReport> => {
  const expected = JSON.parse(readFileSync(join(folder, 'expected.json'), 'utf8')) as ExpectedDocument[];
  const documents: DocumentScore[] = [];
  for (const row of expected) documents.push(await scoreDocument(folder, row));
  const completed = documents.filter((d) => d.state === 'COMPLETED');
  const scored = completed.filter((d) => d.summary && d.lead200);
  return {
    documents,
    average: {
      completed: completed.length,
      rejected: documents.length - completed.length,
      formatRight: documents.filter((d) => d.formatRight).length,
      titleF1: mean(completed.map((d) => d.titleF1 ?? 0)),
      abstractF1: mean(completed.flatMap((d) => (d.abstractF1 === undefined ? [] : [d.abstractF1]))),
      datesRight: completed.filter((d) => d.dateRight).length,
      referenceLeaks: documents.reduce((sum, d) => sum + d.referenceLeaks, 0),
      abstractLeaks: documents.filter((d) => d.abstractLeak).length,
      summaryRouge1: mean(scored.map((d) => d.summary?.rouge1 ?? 0)),
      lead200Rouge1: mean(scored.map((d) => d.lead200?.rouge1 ?? 0)),
      summaryRouge1Unstemmed: mean(scored.map((d) => d.summary?.rouge1Unstemmed ?? 0)),
      lead200Rouge1Unstemmed: mean(scored.map((d) => d.lead200?.rouge1Unstemmed ?? 0)),
      scoredDocuments: scored.length,
    },
  };
};

const f = (value: number | undefined, digits = 2): string => (value === undefined ? '-' : value.toFixed(digits));

export const formatDocumentsTable = (report: DocumentsReport): string => {
  const header =
    '| document | state | format | title F1 | abstract F1 | date (source) | body words (expected) | leaks: refs / abstract | summary R-1 / R-2 / R-Lsum | Lead-200 R-1 / R-2 / R-Lsum | s |';
  const rule = `|${'---|'.repeat(11)}`;
  const rows = report.documents.map((d) =>
    d.state === 'REJECTED'
      ? `| ${d.file} | REJECTED: ${d.reason} | ${d.format ?? '-'} | | | | | | | | ${f(d.seconds, 1)} |`
      : `| ${d.file} | COMPLETED | ${d.format}${d.formatRight ? '' : ' (wrong)'} | ${f(d.titleF1)} | ${f(d.abstractF1)} | ${d.dateRight ? '' : 'wrong '}${d.publishedDay} (${d.publishedSource}) | ${d.bodyWords} (${d.expectedBodyWords ?? '-'}) | ${d.referenceLeaks} / ${d.abstractLeak ? 'yes' : 'no'} | ${d.summary ? `${f(d.summary.rouge1)} / ${f(d.summary.rouge2)} / ${f(d.summary.rougeLsum)}` : '-'} | ${d.lead200 ? `${f(d.lead200.rouge1)} / ${f(d.lead200.rouge2)} / ${f(d.lead200.rougeLsum)}` : '-'} | ${f(d.seconds, 1)} |`,
  );
  const a = report.average;
  const summary = [
    `documents: ${report.documents.length}, COMPLETED ${a.completed}, REJECTED ${a.rejected}; format right ${a.formatRight}`,
    `title token F1 ${f(a.titleF1)}; abstract token F1 ${f(a.abstractF1)}; dates right ${a.datesRight} of ${a.completed}`,
    `leaks: reference probes ${a.referenceLeaks}, abstracts ${a.abstractLeaks}`,
    `ROUGE-1 against the author's abstract (${a.scoredDocuments} documents): summary ${f(a.summaryRouge1)}, Lead-200 ${f(a.lead200Rouge1)} (stemmed); unstemmed ${f(a.summaryRouge1Unstemmed)} and ${f(a.lead200Rouge1Unstemmed)}`,
  ];
  return [header, rule, ...rows, '', ...summary].join('\n');
};
