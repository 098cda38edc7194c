import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { buildPaper } from '../../../support/documents/pdf-paper';
import { asRead, SAMPLE_SECTIONS, SAMPLE_TITLE, samplePaper } from '../../../support/documents/pdf-sample';

const dir = mkdtempSync(join(tmpdir(), 'pdf-bundle-'));
const bundle = join(dir, 'read-pdf.js');

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the PDF reader bundled as the Lambda functions are', () => {
  it('reads a PDF from one esbuild bundle run by plain node, nothing loaded from node_modules', async () => {
    // Prepare: serverless.yml's custom.esbuild options (bundle, cjs, node22, nothing excluded).
    await build({
      entryPoints: [join(__dirname, '..', '..', '..', 'support', 'documents', 'pdf-bundle-entry.ts')],
      outfile: bundle,
      bundle: true,
      minify: false,
      sourcemap: true,
      target: 'node22',
      platform: 'node',
      format: 'cjs',
      logLevel: 'silent',
    });
    const pdf = join(dir, 'paper.pdf');
    writeFileSync(pdf, (await buildPaper(samplePaper())).bytes);

    // Act: from a directory with no node_modules, so only the bundle can provide PDF.js.
    const { stdout } = await promisify(execFile)(process.execPath, [bundle, pdf], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });

    // Assess
    const read = JSON.parse(stdout) as { title: string; pages: number; body: string };
    expect(read.title).toBe(SAMPLE_TITLE);
    expect(read.pages).toBe(2);
    expect(read.body).toContain(asRead(SAMPLE_SECTIONS[0]?.paragraphs[0] ?? ''));
  });
});
