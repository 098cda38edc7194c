// esbuild plugins serverless-esbuild runs on every function's bundle (serverless.yml, custom.esbuild.plugins).
//
// onDemandModules: the modules in ON_DEMAND, which the code `require`s on first use (the document
// readers in core/documents/extract.ts, linkedom in core/documents/markup/dom.ts), are each written as
// a bundle of their own beside the handler, in `<handler>.lazy/<name>.js`, and each such require points
// there (only a `require`: an `import` of them still bundles them into the handler). Node neither reads
// nor parses such a file until that first require and keeps it loaded after it (require.cache), so an
// execution environment that only ever sees plain text never pays for PDF.js or mammoth. The folder's
// name starts with the handler's file name because serverless-esbuild leaves every other function's
// `<handler>.*` out of a function's zip: the files go to their own function's zip only.
// test/functions/submit-article-cold-start.test.ts fails if a reader is back in the handler or loads
// for a plain-text article.
//
// dataFiles: the large JSON files in DATA_FILES, which a package `require`s, are copied as they are to
// `<handler>.data/` and required from there instead of being bundled. Node reads a required .json with
// JSON.parse, which is far cheaper than V8 compiling the same data as a JavaScript object literal in the
// bundle: for winkNLP's 3 MB English model (core/trends/keyphrases.ts), about 90 ms of CPU and 7 MB of
// RSS at every cold start of submit-article. Same folder naming, so it goes to its own function's zip.
//
// Each on-demand bundle has its own copy of the small modules it shares with the handler
// (core/errors.ts among them): extract.ts gives a reader's RejectedArticleError back as the handler's.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** Each on-demand module: its name in `<handler>.lazy/`, and what its loader requires. */
const ON_DEMAND = {
  html: path.join(root, 'core/documents/html.ts'),
  jats: path.join(root, 'core/documents/jats.ts'),
  pdf: path.join(root, 'core/documents/pdf/read-pdf.ts'),
  docx: path.join(root, 'core/documents/docx.ts'),
  latex: path.join(root, 'core/documents/latex/read-latex.ts'),
  linkedom: 'linkedom',
};

/** Files read with JSON.parse from `<handler>.data/<file name>`, by their path under node_modules. */
const DATA_FILES = ['wink-eng-lite-web-model/dist/languages/cur/models/eng-core-web-model.json'].map((file) =>
  fs.realpathSync(path.join(root, 'node_modules', file)),
);

/** The on-demand module a `require(specifier)` from `resolveDir` names, if any. */
const onDemandName = (specifier, resolveDir) => {
  const wanted = specifier.startsWith('.') ? `${path.resolve(resolveDir, specifier)}.ts` : specifier;
  return Object.keys(ON_DEMAND).find((name) => ON_DEMAND[name] === wanted);
};

/** `lazyDir` is set in the build of the on-demand bundles themselves, which require each other as siblings. */
const onDemandModules = ({ lazyDir } = {}) => ({
  name: 'on-demand-modules',
  setup(build) {
    const options = build.initialOptions;
    const [entry] = Array.isArray(options.entryPoints) ? options.entryPoints : [];
    const handlerName = typeof entry === 'string' ? path.basename(entry, path.extname(entry)) : undefined;
    const folder = `${handlerName}.lazy`;
    let required = false;

    build.onResolve({ filter: /^(\.\.?\/|linkedom$)/ }, (args) => {
      if (args.kind !== 'require-call' || (!lazyDir && !handlerName)) return undefined;
      const name = onDemandName(args.path, args.resolveDir);
      if (!name) return undefined;
      required = true;
      return { path: lazyDir ? `./${name}.js` : `./${folder}/${name}.js`, external: true };
    });

    if (lazyDir) return;
    build.onEnd(async (result) => {
      if (result.errors.length > 0 || !required) return;
      const entryPoints = Object.fromEntries(
        Object.entries(ON_DEMAND).map(([name, source]) => [
          name,
          path.isAbsolute(source) ? source : require.resolve(source, { paths: [root] }),
        ]),
      );
      const outdir = path.join(options.outdir, folder);
      await build.esbuild.build({ ...options, entryPoints, outdir, metafile: false, plugins: [onDemandModules({ lazyDir: outdir })] });
    });
  },
});

const dataFiles = () => ({
  name: 'data-files',
  setup(build) {
    const options = build.initialOptions;
    const [entry] = Array.isArray(options.entryPoints) ? options.entryPoints : [];
    if (typeof entry !== 'string') return;
    const folder = `${path.basename(entry, path.extname(entry))}.data`;
    const required = new Set();

    build.onResolve({ filter: /\.json$/ }, (args) => {
      if (args.kind !== 'require-call' || !args.path.startsWith('.')) return undefined;
      const file = fs.realpathSync(path.resolve(args.resolveDir, args.path));
      if (!DATA_FILES.includes(file)) return undefined;
      required.add(file);
      return { path: `./${folder}/${path.basename(file)}`, external: true };
    });

    build.onEnd((result) => {
      if (result.errors.length > 0 || required.size === 0) return;
      fs.mkdirSync(path.join(options.outdir, folder), { recursive: true });
      for (const file of required) fs.copyFileSync(file, path.join(options.outdir, folder, path.basename(file)));
    });
  },
});

module.exports = [onDemandModules(), dataFiles()];
