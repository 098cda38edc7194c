// `npm run bench:quality`: bundles bench/quality.ts (TypeScript, no ts-node here) with esbuild into
// dist/bench/quality.js and runs it in this process's Node, passing the arguments on
// (e.g. `npm run bench:quality -- --eval-dir ../shared/eval`, or `-- --dataset cnndm,xsum` for some datasets).
// Packages stay external: the npm summarizers are loaded (or reported missing) at run time.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { bundle } = require('./build.js');

const root = path.resolve(__dirname, '..');
const outfile = path.join(root, 'dist', 'bench', 'quality.js');

const run = async () => {
  await bundle({ quality: 'bench/quality.ts' }, 'dist/bench');
  const result = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
};

run().catch((error) => {
  process.stderr.write(`bench:quality build failed: ${error.message}\n`);
  process.exit(1);
});
