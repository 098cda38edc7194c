// npm run bench:burst -- [options]: builds the local cloud and the benchmark, then runs it.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const esbuild = require('esbuild');
const { build } = require('./build.js');

const root = path.resolve(__dirname, '..');

(async () => {
  await build();
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { burst: 'bench/burst-main.ts' },
    outdir: 'dist/bench',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    packages: 'external',
    logLevel: 'warning',
  });
  execFileSync(process.execPath, ['--openssl-legacy-provider', '--enable-source-maps', path.join(root, 'dist', 'bench', 'burst.js'), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
})().catch((error) => {
  process.exitCode = error.status ?? 1;
});
