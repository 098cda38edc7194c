/**
 * The local cloud's servers have no authentication and listen on loopback only, so they answer only
 * requests meant for this machine: the edge (edge/router.ts) and each model server
 * (model-server/server.ts) refuse the rest with these two checks.
 */

/**
 * A request that names another host is what a web page sends after DNS rebinding (a name that
 * resolves to 127.0.0.1), so it is refused. Only the exact loopback names pass: s3rver would take any
 * other name (`bucket.localhost`, or one holding `/..`) for a virtual-host bucket and build a file
 * path from it.
 */
export const isLoopbackHost = (host: string | undefined): boolean => {
  const name = (host ?? '').toLowerCase().replace(/:\d+$/, '');
  return name === '' || name === 'localhost' || name === '127.0.0.1' || name === '[::1]';
};

/**
 * SDKs and the CLI send no Origin; a browser does, and a page of any site may send a form POST to
 * 127.0.0.1 without asking first. Only the local cloud's own pages (the dashboard) may send one.
 */
export const isForeignOrigin = (origin: string | undefined): boolean => {
  if (origin === undefined) return false;
  try {
    const url = new URL(origin);
    return url.protocol !== 'http:' || !isLoopbackHost(url.host);
  } catch {
    return true; // "null" (a sandboxed page or a file) and anything unparsable
  }
};
