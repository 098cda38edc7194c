// npm run bench:burst|bench:faults -- [options]: builds the local cloud and bench/<name>-main.ts, then
// runs it with the options passed on. (bench:quality needs no local cloud: scripts/bench-quality.js.)
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { build, bundle } = require('./build.js');

const root = path.resolve(__dirname, '..');
const [name, ...args] = process.argv.slice(2);

(async () => {
  await build();
  await bundle({ [name]: `bench/${name}-main.ts` }, 'dist/bench');
  execFileSync(
    process.execPath,
    ['--openssl-legacy-provider', '--enable-source-maps', path.join(root, 'dist', 'bench', `${name}.js`), ...args],
    {
      stdio: 'inherit',
    },
  );
})().catch((error) => {
  process.exitCode = error.status ?? 1;
});
