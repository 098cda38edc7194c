/**
 * The dynalite process (dynalite-process.ts starts it, bundled as dist/local/dynalite.js): dynalite
 * on the Unix socket it is given, with tables ACTIVE at once, one "listening" line when ready, and a
 * clean stop on SIGTERM or when the local cloud's process is gone (the IPC channel closes).
 */

import { rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import dynalite from 'dynalite';
import { cacheParses, type ExpressionParser } from './expression-cache';
import { cacheTableDescriptions, type DynaliteDbModule } from './table-cache';
import { batchWrites, type DynaliteStoreModule } from './write-batches';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`dynalite process: ${name} is not set`);
  return value;
};

// dynalite's modules call each other through their exports, so wrapping them there reaches every
// request: the store's table reads (table-cache.ts), its writes (write-batches.ts) and the expression
// parsers (expression-cache.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
cacheTableDescriptions(require('dynalite/db') as DynaliteDbModule);
batchWrites(require('dynalite/db') as DynaliteStoreModule);
cacheParses(require('dynalite/db/conditionParser') as ExpressionParser);
cacheParses(require('dynalite/db/updateParser') as ExpressionParser);
/* eslint-enable @typescript-eslint/no-require-imports */

const server = dynalite({ path: required('DYNALITE_DIR'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });

// dynalite 4.0 answers a request's stream error with `req.on('error', (err) => { throw err })`: a
// client that goes away mid-body, or Node's request timeout, would end the process and the ledger
// with it. Its listener is removed once it is added; with no 'error' listener, Node does not emit
// the error (https://nodejs.org/api/http.html#class-httpincomingmessage), and the aborted request
// simply ends.
const [handle] = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
server.removeAllListeners('request');
server.on('request', (req: IncomingMessage, res: ServerResponse) => {
  handle?.(req, res);
  req.removeAllListeners('error');
});

// A socket file left by a process that was killed would make listen fail with EADDRINUSE; the
// folder is private to this user (dynalite-process.ts), so whatever is there is a stale one of ours.
const socket = required('DYNALITE_SOCKET');
rmSync(socket, { force: true });
server.listen(socket, () => process.stdout.write('listening\n'));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', () => undefined);
process.on('disconnect', stop);
