// The SDK warns about Node 20 on every client; the local cloud runs on the machine's Node, on purpose.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { resolve } from 'node:path';
import { exitWhenFlushed, endingWhenReaderCloses } from './exit';
import { runCli } from './program';

/**
 * The operator's command line: `npm start`, `npm run drop`, `npm run results`, … (cli/program.ts lists
 * them; cli/commands/ defines each). Bundled to dist/cli/main.js by scripts/build.js.
 */
const projectRoot = resolve(__dirname, '..', '..');

endingWhenReaderCloses();
void runCli(process.argv.slice(2), {
  projectRoot,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  columns: () => process.stdout.columns,
}).then((code) => exitWhenFlushed(code));
