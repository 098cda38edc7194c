// Builds what the local cloud runs, from the same sources AWS gets:
//  1. `serverless package` (offline, no credentials): the CloudFormation template the local cloud reads
//     its names and settings from, and the Lambda bundles (.esbuild/.build/functions/*/handler.js).
//  2. esbuild bundles of the operator CLI (dist/cli/main.js) and the local model server (dist/local/).
// Usage: node scripts/build.js [--cli-only]
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

const packageStack = () => {
  rmSync(path.join(root, '.serverless'), { recursive: true, force: true });
  // serverless-esbuild zips each function from a folder it makes in the temp folder and never
  // removes (`<function>-<pid>-<time>-<hex>`), so packaging gets a temp folder of its own, removed
  // after. Its name carries this pid, so a start after a killed build removes it
  // (local/support/temp-folders.ts).
  const tmp = mkdtempSync(path.join(os.tmpdir(), `rs-package-${process.pid}-`));
  try {
    // A minimal environment: any credential or account lookup on the packaging path would fail here.
    execFileSync(path.join(root, 'node_modules', '.bin', 'serverless'), ['package'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp, AWS_EC2_METADATA_DISABLED: 'true', CI: 'true' },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 180_000,
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

/** Bundles TypeScript entry points (name -> path) into `outdir` as CommonJS for this Node. */
const bundle = (entryPoints, outdir) =>
  esbuild.build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    // Packages load from node_modules at run time: emulators with native parts (dynalite's
    // LevelDB), and the npm summarizers bench:quality reports as skipped when they fail to load.
    packages: 'external',
    logLevel: 'warning',
  });

// The local cloud's own processes and threads (local/bundles.ts) and the benchmark's uploader thread.
const bundleLocal = () =>
  Promise.all([
    bundle({ main: 'cli/main.ts' }, 'dist/cli'),
    bundle(
      {
        'model-server': 'local/model-server/main.ts',
        'lambda-host': 'local/lambda/host.ts',
        'lambda-worker': 'local/lambda/worker.ts',
        dynalite: 'local/dynamodb/dynalite-main.ts',
      },
      'dist/local',
    ),
    bundle({ 'burst-uploader': 'bench/burst-uploader-worker.ts' }, 'dist/bench'),
  ]);

const build = async ({ cliOnly = false } = {}) => {
  if (!cliOnly) packageStack();
  await bundleLocal();
};

module.exports = { build, bundle };

if (require.main === module) {
  build({ cliOnly: process.argv.includes('--cli-only') }).catch((error) => {
    process.stderr.write(`build failed: ${error.message}\n`);
    process.exit(1);
  });
}
