import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A file the dashboard serves, read once. */
export interface Asset {
  body: Buffer;
  contentType: string;
  cacheControl: string;
}

/**
 * The page's own files live next to this module. scripts/build.js bundles the local cloud into
 * dist/cli/main.js, where __dirname is dist/cli, so the source folder is looked up from there too.
 */
const ownFolder = (): string => {
  const candidates = [__dirname, join(__dirname, '..', '..', 'local', 'dashboard')];
  const found = candidates.find((dir) => existsSync(join(dir, 'page.html')));
  if (!found) throw new Error(`dashboard files not found; looked for page.html in ${candidates.join(', ')}`);
  return found;
};

/** URL path → where the file is: the page, its script and styles, and uPlot's dist files from node_modules. */
const files = (): Record<string, { path: string; contentType: string; cacheControl: string }> => {
  const own = ownFolder();
  // The page and its script may change with any restart of the local cloud; uPlot only with package.json.
  const fresh = 'no-cache';
  const vendor = 'public, max-age=3600';
  return {
    '/_dashboard': { path: join(own, 'page.html'), contentType: 'text/html; charset=utf-8', cacheControl: fresh },
    '/_dashboard/': { path: join(own, 'page.html'), contentType: 'text/html; charset=utf-8', cacheControl: fresh },
    '/_dashboard/dashboard.js': { path: join(own, 'dashboard.js'), contentType: 'text/javascript; charset=utf-8', cacheControl: fresh },
    '/_dashboard/trends-panel.js': {
      path: join(own, 'trends-panel.js'),
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: fresh,
    },
    '/_dashboard/dashboard.css': { path: join(own, 'dashboard.css'), contentType: 'text/css; charset=utf-8', cacheControl: fresh },
    '/_dashboard/vendor/uPlot.iife.min.js': {
      path: require.resolve('uplot/dist/uPlot.iife.min.js'),
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: vendor,
    },
    '/_dashboard/vendor/uPlot.min.css': {
      path: require.resolve('uplot/dist/uPlot.min.css'),
      contentType: 'text/css; charset=utf-8',
      cacheControl: vendor,
    },
  };
};

/** Looks an asset up by URL path; files are located on first use and each read once. */
export const dashboardAssets = (): ((pathname: string) => Asset | undefined) => {
  let table: ReturnType<typeof files> | undefined;
  const loaded = new Map<string, Asset>();
  return (pathname) => {
    table ??= files();
    const file = table[pathname];
    if (!file) return undefined;
    let asset = loaded.get(pathname);
    if (!asset) {
      asset = { body: readFileSync(file.path), contentType: file.contentType, cacheControl: file.cacheControl };
      loaded.set(pathname, asset);
    }
    return asset;
  };
};
