// `npm run bench:quality`: bundles bench/quality.ts (TypeScript, no ts-node here) with esbuild into
// dist/bench/quality.js and runs it in this process's Node, passing the arguments on
// (e.g. `npm run bench:quality -- --eval-dir ../shared/eval`, or `-- --dataset cnndm,xsum` for some datasets).
// Packages stay external: the npm summarizers are loaded (or reported missing) at run time.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { bundle } = require('./build.js');

const root = path.resolve(__dirname, '..');
// `--large-pdf` runs bench/large-pdf.ts instead: what reading a 50 MB PDF costs (no evaluation data needed).
const large = process.argv.includes('--large-pdf');
const name = large ? 'large-pdf' : 'quality';
const outfile = path.join(root, 'dist', 'bench', `${name}.js`);
const args = process.argv.slice(2).filter((arg) => arg !== '--large-pdf');

const run = async () => {
  await bundle({ [name]: `bench/${name}.ts` }, 'dist/bench');
  const result = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
};

run().catch((error) => {
  process.stderr.write(`bench:quality build failed: ${error.message}\n`);
  process.exit(1);
});
