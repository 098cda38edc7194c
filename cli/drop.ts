import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { S3FileUploads } from '../adapters/file-uploads';
import { terminalProgress } from './progress';
import type { Target } from './target';
import { describeError } from '../core/errors';
import { publishedDate } from '../core/trends/published-date';

export interface DroppedFile {
  path: string;
  key: string;
  bytes: number;
  /** Sent as the `published` user metadata (docs/trends.md). */
  published?: string;
}

/**
 * A folder's notes, not its articles: README files (samples/README.md describes the samples), and
 * dotfiles and dot-folders (.DS_Store, .git). A file named on the command line is uploaded whatever its name.
 */
const isReadme = (name: string): boolean => /^readme(\.|$)/i.test(name);

/** Files to upload: each file as itself, each folder's files under the folder's name, less its notes. */
export const collectFiles = (paths: string[], inputPrefix: string, subPrefix = ''): DroppedFile[] => {
  const prefix = `${inputPrefix}${subPrefix && !subPrefix.endsWith('/') ? `${subPrefix}/` : subPrefix}`;
  return paths.flatMap((given) => {
    const path = resolve(given);
    const stat = statSync(path); // throws ENOENT with the path: a clear error for a typo
    if (stat.isFile()) return [{ path, key: `${prefix}${basename(path)}`, bytes: stat.size }];
    return walk(path).map((file) => ({
      path: file,
      key: `${prefix}${basename(path)}/${relative(path, file).split(sep).join('/')}`,
      bytes: statSync(file).size,
    }));
  });
};

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.')) return [];
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.isFile() && !isReadme(entry.name) ? [full] : [];
  });

const contentTypeOf = (key: string): string | undefined =>
  ({ txt: 'text/plain; charset=utf-8', md: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8', json: 'application/json' })[
    key.split('.').pop()?.toLowerCase() ?? ''
  ];

export interface DropFailure {
  file: DroppedFile;
  reason: string;
}

/**
 * Uploads files to the input prefix, several at once, with progress for many files. A file S3 refuses
 * (a key too long, say) does not stop the others: each refusal comes back with S3's reason.
 */
export const dropFiles = async (target: Pick<Target, 's3' | 'bucket'>, files: DroppedFile[], concurrency = 8): Promise<DropFailure[]> => {
  const uploads = new S3FileUploads(target.s3, target.bucket);
  const bar = files.length > 1 ? terminalProgress(files.length, 'uploading') : undefined;
  const failures: DropFailure[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++] as DroppedFile;
      const contentType = contentTypeOf(file.key);
      try {
        await uploads.upload({ ...file, ...(contentType ? { contentType } : {}) });
      } catch (error) {
        failures.push({ file, reason: describeError(error) });
      }
      bar?.update(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  bar?.finish(done);
  return failures;
};

/** `drop --published`: a date the pipeline will take, checked before anything is uploaded. */
export const checkedPublished = (value: string | undefined, now = new Date()): string | undefined => {
  if (value === undefined) return undefined;
  const { publishedIgnored } = publishedDate(value, now.toISOString());
  if (publishedIgnored) throw new Error(`--published: ${publishedIgnored.replace(/; the upload day .*$/, '')}`);
  return value.trim();
};
