import { Command } from 'commander';
import { checkedPublished, collectFiles, dropFiles } from '../drop';
import { printable } from '../printable';
import { targetOf, withTargetOptions, type CommandContext, type TargetOptions } from '../command-context';

interface DropOptions extends TargetOptions {
  prefix?: string;
  published?: string;
}

/** `npm run drop`: files and folders uploaded as articles; a refused file is listed with S3's reason and the command exits 1. */
export const dropCommand = (cli: CommandContext): Command =>
  withTargetOptions(
    new Command('drop')
      .description('upload articles (files, or folders of them) to the input prefix')
      .argument('[paths...]', 'files and folders; a folder goes under its own name, less its README and dotfiles')
      .option('--prefix <sub/folder>', 'put them under this folder of the input prefix')
      .option(
        '--published <date>',
        'the day they were published, an ISO date or date-time (docs/trends.md); checked before anything is uploaded',
        (value) => checkedPublished(value),
      ),
    cli.projectRoot,
  ).action(
    cli.run(async (paths: string[], o: DropOptions) => {
      if (paths.length === 0) throw new Error('drop needs files or folders: npm run drop -- article.txt articles/');
      const t = await targetOf(o, cli.projectRoot);
      const files = collectFiles(paths, t.inputPrefix, o.prefix).map((f) => (o.published ? { ...f, published: o.published } : f));
      if (files.length === 0) throw new Error('no files found in the given folders');
      const failures = await dropFiles(t, files);
      const uploaded = files.filter((f) => !failures.some((x) => x.file === f));
      const bytes = uploaded.reduce((sum, f) => sum + f.bytes, 0);
      cli.out(`uploaded ${uploaded.length} file(s), ${bytes} bytes, to s3://${t.bucket}/${t.inputPrefix} (${t.description})\n`);
      for (const { file, reason } of failures) cli.err(`not uploaded: ${printable(file.path)}: ${printable(reason)}\n`);
      if (uploaded.length > 0) cli.out('follow them with: npm run results\n');
      return failures.length > 0 ? 1 : 0;
    }),
  );
