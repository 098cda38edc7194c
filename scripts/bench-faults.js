// npm run bench:faults -- [options]: builds the local cloud and the benchmark, then runs it.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { build, bundle } = require('./build.js');

const root = path.resolve(__dirname, '..');

(async () => {
  await build();
  await bundle({ faults: 'bench/faults-main.ts' }, 'dist/bench');
  execFileSync(process.execPath, ['--openssl-legacy-provider', '--enable-source-maps', path.join(root, 'dist', 'bench', 'faults.js'), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
})().catch((error) => {
  process.exitCode = error.status ?? 1;
});
