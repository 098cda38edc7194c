import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFiles } from '../../cli/drop';
import { projectRoot } from '../support/local-cloud';

describe('npm run drop: which files of a folder are articles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rs-collect-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("takes a folder's files, leaving out README files, dotfiles and dot-folders", () => {
    // Prepare
    const articles = join(dir, 'articles');
    mkdirSync(join(articles, 'more'), { recursive: true });
    mkdirSync(join(articles, '.git'), { recursive: true });
    for (const file of [
      'a.txt',
      'README.md',
      'readme.txt',
      'README',
      '.DS_Store',
      'readmes-of-the-world.txt',
      'more/b.md',
      'more/ReadMe.MD',
      '.git/config',
    ]) {
      writeFileSync(join(articles, file), 'Text.');
    }

    // Act
    const keys = collectFiles([articles], 'input/').map((f) => f.key);

    // Assess
    expect(keys.sort()).toEqual(['input/articles/a.txt', 'input/articles/more/b.md', 'input/articles/readmes-of-the-world.txt']);
  });

  it('uploads a file named on the command line whatever its name', () => {
    writeFileSync(join(dir, 'README.md'), 'An article called README.');

    expect(collectFiles([join(dir, 'README.md')], 'input/', 'notes').map((f) => f.key)).toEqual(['input/notes/README.md']);
  });

  it('drops the samples folder as its articles only, not samples/README.md', () => {
    const keys = collectFiles([join(projectRoot, 'samples')], 'input/').map((f) => f.key);

    const articles = readdirSync(join(projectRoot, 'samples')).filter((name) => name.endsWith('.txt'));
    expect(keys.sort()).toEqual(articles.map((name) => `input/samples/${name}`).sort());
  });
});
