import { zipSync } from 'fflate';
import { gzipSync } from 'node:zlib';
import { ExpansionBudget, MAX_ENTRIES, MAX_RATIO, gunzip, gunzipHead, untar, unzip, zipEntryNames } from '../../../core/documents/archive';
import { RejectedArticleError } from '../../../core/errors';
import { gzipOf, tarOf } from '../../support/documents/latex-builder';
import { testContext } from '../../support/documents/context';
import { withEntryType } from '../../support/documents/tar-headers';
import { patchZipEntry } from '../../support/documents/zip-entries';

const MiB = 1024 * 1024;
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const everything = (): boolean => true;

describe('gunzip: bounded by the document budget', () => {
  it('inflates every member of a gzip file and counts the bytes against the budget', () => {
    const budget = new ExpansionBudget(testContext({ maxExpandedBytes: 100 }));
    const bytes = new Uint8Array([...gzipSync('first '), ...gzipSync('second')]);

    const out = gunzip(bytes, budget);

    expect(text(out)).toBe('first second');
    expect(budget.remaining).toBe(100 - 12);
  });

  it('rejects a gzip bomb once it passes maxExpandedBytes, without inflating the rest', () => {
    const bomb = gzipOf(new Uint8Array(8 * MiB));

    expect(() => gunzip(bomb, new ExpansionBudget(testContext({ maxExpandedBytes: MiB })))).toThrow(
      new RejectedArticleError(
        `the gzip file unpacks to more than ${MiB} bytes, the limit for a document's unpacked contents (a compression bomb, or a document too large to read)`,
      ),
    );
  });

  it('rejects a file that unpacks to more than MAX_RATIO times its size, even within the budget', () => {
    const bomb = gzipOf(new Uint8Array(2 * MiB));

    expect(() => gunzip(bomb, new ExpansionBudget(testContext()))).toThrow(`more than ${MAX_RATIO} times its size`);
  });

  it('shares one budget between unpackings, so two halves cannot exceed it together', () => {
    const budget = new ExpansionBudget(testContext({ maxExpandedBytes: 1500 }));
    const half = gzipOf('x'.repeat(1000));
    gunzip(half, budget);

    expect(() => gunzip(half, budget)).toThrow('unpacks to more than 1500 bytes');
  });

  it('rejects a truncated gzip file, saying so', () => {
    const whole = gzipOf('some text that is long enough to be cut off '.repeat(20));

    expect(() => gunzip(whole.subarray(0, whole.length - 20), new ExpansionBudget(testContext()))).toThrow(
      /^the gzip file is truncated \(unexpected end of file\): upload the whole file again$/,
    );
  });

  it('rejects a damaged gzip file as corrupt', () => {
    const damaged = gzipOf('x'.repeat(1000)).slice();
    damaged.fill(0xff, 10, 20);

    expect(() => gunzip(damaged, new ExpansionBudget(testContext()))).toThrow(/^the gzip file is corrupt/);
  });

  it('stops when the deadline has passed', () => {
    const context = testContext();
    context.expire();

    expect(() => gunzip(gzipOf('text'), new ExpansionBudget(context))).toThrow(/took longer than the function's time allows/);
  });
});

describe('gunzipHead: a look at what a gzip file holds', () => {
  it('returns the first bytes of a bomb without inflating the rest', () => {
    const head = gunzipHead(gzipOf(new Uint8Array(16 * MiB)), 1000);

    expect(head.length).toBe(1000);
  });

  it('returns what inflated before a truncation', () => {
    const whole = gzipOf('\\documentclass{article}'.padEnd(100_000, ' '));

    expect(text(gunzipHead(whole.subarray(0, whole.length - 50), 100)).startsWith('\\documentclass')).toBe(true);
  });
});

describe('untar: the regular files of a tar archive', () => {
  it('lists files with their contents, in order', () => {
    const entries = untar(tarOf({ 'main.tex': 'main', 'sections/intro.tex': 'intro' }), testContext());

    expect(entries.map((entry) => [entry.name, text(entry.bytes)])).toEqual([
      ['main.tex', 'main'],
      ['sections/intro.tex', 'intro'],
    ]);
  });

  it('skips symbolic links instead of following them', () => {
    const tar = withEntryType(tarOf({ 'link.tex': '/etc/passwd', 'main.tex': 'main' }), 0, '2');

    expect(untar(tar, testContext()).map((entry) => entry.name)).toEqual(['main.tex']);
  });

  it('names the next entry from a GNU long-name entry', () => {
    const longName = `${'folder/'.repeat(20)}intro.tex`;
    const tar = withEntryType(tarOf({ '././@LongLink': longName, short: 'intro' }), 0, 'L');

    expect(untar(tar, testContext()).map((entry) => entry.name)).toEqual([longName]);
  });

  it('rejects an archive that ends inside an entry', () => {
    const tar = tarOf({ 'main.tex': 'x'.repeat(2000) });

    expect(() => untar(tar.subarray(0, 1024), testContext())).toThrow(
      'the tar archive is truncated: entry 1 runs past the end of the file; upload the whole file again',
    );
  });

  it('rejects a header whose checksum does not match', () => {
    const tar = tarOf({ 'main.tex': 'main' }).slice();
    tar[0] = 'n'.charCodeAt(0);

    expect(() => untar(tar, testContext())).toThrow("the tar archive is corrupt: entry 1's header checksum does not match");
  });

  it(`rejects an archive of more than ${MAX_ENTRIES} entries`, () => {
    const files = Object.fromEntries(Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => [`f${i}.tex`, '']));

    expect(() => untar(tarOf(files), testContext())).toThrow(`holds more than ${MAX_ENTRIES} entries`);
  });

  it('stops listing when the deadline has passed', () => {
    const context = testContext();
    context.expire();
    const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}.tex`, '']));

    expect(() => untar(tarOf(files), context)).toThrow(
      /took longer than the function's time allows \(stopped while listing the tar archive\)/,
    );
  });
});

describe('unzip: wanted entries, each checked against its declared size and CRC-32', () => {
  const zip = (files: Record<string, string | Uint8Array>, level: 0 | 6 = 6): Uint8Array =>
    zipSync(
      Object.fromEntries(
        Object.entries(files).map(([name, data]) => [name, typeof data === 'string' ? new TextEncoder().encode(data) : data]),
      ),
      {
        level,
      },
    );

  it('inflates the entries asked for and counts them against the budget', () => {
    const budget = new ExpansionBudget(testContext({ maxExpandedBytes: 1000 }));

    const entries = unzip(zip({ 'a.xml': '<a/>', 'media/b.png': 'png' }), budget, (name) => name.endsWith('.xml'));

    expect(entries.map((entry) => [entry.name, text(entry.bytes)])).toEqual([['a.xml', '<a/>']]);
    expect(budget.remaining).toBe(996);
  });

  it('refuses before inflating anything when the declared sizes pass the budget', () => {
    const archive = zip({ 'document.xml': new Uint8Array(2 * MiB) });

    expect(() => unzip(archive, new ExpansionBudget(testContext({ maxExpandedBytes: MiB })), everything)).toThrow(
      `the zip archive unpacks to more than ${MiB} bytes`,
    );
  });

  it('does not inflate entries it is not asked for, whatever they declare', () => {
    const archive = patchZipEntry(zip({ 'a.xml': '<a/>', 'media/huge.png': 'png' }), 'media/huge.png', { size: 0xfffffff0 });

    expect(unzip(archive, new ExpansionBudget(testContext()), (name) => name.endsWith('.xml'))).toHaveLength(1);
  });

  it('rejects an entry that inflates past the size its directory declares (a zip bomb that lies)', () => {
    const archive = patchZipEntry(zip({ 'document.xml': 'x'.repeat(100_000) }), 'document.xml', { size: 100 });

    expect(() => unzip(archive, new ExpansionBudget(testContext()), everything)).toThrow(
      'the zip archive is corrupt or a zip bomb: entry document.xml inflates to more than the 100 bytes it declares',
    );
  });

  it('rejects an entry shorter than it declares', () => {
    const archive = patchZipEntry(zip({ 'document.xml': '<doc/>' }), 'document.xml', { size: 60 });

    expect(() => unzip(archive, new ExpansionBudget(testContext()), everything)).toThrow(
      'entry document.xml is 6 bytes, not the 60 it declares',
    );
  });

  it('rejects an entry whose CRC-32 does not match', () => {
    const archive = zip({ 'document.xml': '<document>text</document>' }, 0).slice();
    const at = new TextDecoder('latin1').decode(archive).indexOf('<document>');
    archive[at + 10] = 'T'.charCodeAt(0);

    expect(() => unzip(archive, new ExpansionBudget(testContext()), everything)).toThrow('entry document.xml fails its CRC-32 check');
  });

  it('rejects encrypted entries as password-protected', () => {
    const archive = patchZipEntry(zip({ 'document.xml': '<doc/>' }), 'document.xml', { flags: 1 });

    expect(() => unzip(archive, new ExpansionBudget(testContext()), everything)).toThrow(
      'the zip archive is password-protected (entry document.xml is encrypted): remove the password and upload it again',
    );
  });

  it('rejects compression methods other than stored and deflated, naming the method', () => {
    const archive = patchZipEntry(zip({ 'document.xml': '<doc/>' }), 'document.xml', { method: 12 });

    expect(() => unzip(archive, new ExpansionBudget(testContext()), everything)).toThrow('uses compression method 12 for document.xml');
  });

  it('rejects a zip whose central directory is missing as truncated', () => {
    const archive = zip({ 'document.xml': 'x'.repeat(5000) });

    expect(() => unzip(archive.subarray(0, archive.length - 40), new ExpansionBudget(testContext()), everything)).toThrow(
      'the zip archive is truncated or not a complete zip archive (its central directory is missing): upload the whole file again',
    );
  });

  it(`rejects an archive of more than ${MAX_ENTRIES} entries before reading any`, () => {
    const archive = zip(Object.fromEntries(Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => [`f${i}.xml`, ''])), 0);

    expect(() => unzip(archive, new ExpansionBudget(testContext()), everything)).toThrow(`holds more than ${MAX_ENTRIES} entries`);
  });

  it('lists the names of a truncated zip from its local headers', () => {
    const archive = zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': 'x'.repeat(5000) });

    expect(zipEntryNames(archive.subarray(0, archive.length - 100))).toEqual(['[Content_Types].xml', 'word/document.xml']);
  });
});
