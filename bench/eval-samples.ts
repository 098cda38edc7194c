import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A sample file's name without `-sample.jsonl`: `cnndm`, `xsum`, `pubmed-long`. */
export type DatasetName = string;
const SAMPLE_FILE = /^(.+)-sample\.jsonl$/;

export interface EvalSample {
  id: string;
  article: string;
  /** One reference sentence a line (rougeLsum needs the breaks). */
  reference: string;
  /** Published outputs of other systems for this article, by system (PEGASUS style: `<n>` breaks a line). */
  systemOutputs?: Record<string, string>;
}

export class EvalDataError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EvalDataError';
  }
}

/**
 * Where the samples are: `--eval-dir DIR` (or `--eval-dir=DIR`), else EVAL_DIR, else `../shared/eval` beside
 * the project. They are read in place: their licence allows local benchmarking only, never a copy in the
 * repository.
 */
export const resolveEvalDir = (argv: readonly string[], env: NodeJS.ProcessEnv, projectRoot: string): string => {
  const index = argv.findIndex((arg) => arg === '--eval-dir' || arg.startsWith('--eval-dir='));
  if (index >= 0) {
    const arg = argv[index] as string;
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
    if (!value || value.startsWith('--')) throw new EvalDataError('--eval-dir needs a directory');
    return resolve(value);
  }
  if (env.EVAL_DIR) return resolve(env.EVAL_DIR);
  return resolve(projectRoot, '..', 'shared', 'eval');
};

/** The nearest folder at or above `start` that has a package.json. */
export const findProjectRoot = (start: string): string => {
  let dir = resolve(start);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new EvalDataError(`no package.json at or above ${start}`);
    dir = parent;
  }
  return dir;
};

/** Every dataset of the folder: each `<name>-sample.jsonl`, in name order. */
export const listDatasets = (evalDir: string): DatasetName[] => {
  let names: string[];
  try {
    names = readdirSync(evalDir);
  } catch (cause) {
    throw new EvalDataError(`cannot read ${evalDir} (set --eval-dir or EVAL_DIR to the shared/eval folder)`, { cause });
  }
  const datasets = names.flatMap((name) => SAMPLE_FILE.exec(name)?.[1] ?? []).sort();
  if (datasets.length === 0) throw new EvalDataError(`no *-sample.jsonl in ${evalDir}`);
  return datasets;
};

/**
 * The datasets to run: those named by `--dataset a,b` (or `--dataset=a,b`), in name order, else all of
 * `available`. A name without a sample file is an error rather than silently nothing to score.
 */
export const selectDatasets = (argv: readonly string[], available: readonly DatasetName[]): DatasetName[] => {
  const index = argv.findIndex((arg) => arg === '--dataset' || arg.startsWith('--dataset='));
  if (index < 0) return [...available];
  const arg = argv[index] as string;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  if (!value || value.startsWith('--')) throw new EvalDataError('--dataset needs a comma-separated list of dataset names');
  const wanted = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length > 0) throw new EvalDataError(`no sample file for ${unknown.join(', ')} (have ${available.join(', ')})`);
  return available.filter((name) => wanted.includes(name));
};

/** Reads `<evalDir>/<dataset>-sample.jsonl`: one `{"id", "article", "reference"}` object a line. */
export const loadSamples = (evalDir: string, dataset: DatasetName): EvalSample[] => {
  const file = join(evalDir, `${dataset}-sample.jsonl`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new EvalDataError(`cannot read ${file} (set --eval-dir or EVAL_DIR to the shared/eval folder)`, { cause });
  }
  return text
    .split('\n')
    .map((line, i) => [line, i + 1] as const)
    .filter(([line]) => line.trim() !== '')
    .map(([line, lineNumber]) => parseSample(line, `${file}:${lineNumber}`));
};

const parseSample = (line: string, where: string): EvalSample => {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch (cause) {
    throw new EvalDataError(`${where}: not JSON`, { cause });
  }
  const { id, article, reference, systemOutputs } = (row ?? {}) as Record<string, unknown>;
  if (typeof id !== 'string' || typeof article !== 'string' || typeof reference !== 'string') {
    throw new EvalDataError(`${where}: needs string fields id, article and reference`);
  }
  if (systemOutputs === undefined) return { id, article, reference };
  const outputs = Object.entries(systemOutputs ?? {}).filter(([, text]) => typeof text === 'string');
  if (typeof systemOutputs !== 'object' || outputs.length === 0)
    throw new EvalDataError(`${where}: systemOutputs must map system names to strings`);
  return { id, article, reference, systemOutputs: Object.fromEntries(outputs) as Record<string, string> };
};
