/**
 * dynalite in a process of its own: it gets its own event loop and thread pool, so DynamoDB work
 * does not queue behind S3 and the endpoint in the edge's process (measured with bench:burst).
 * It listens on a Unix socket in a folder only this user can enter, not on a TCP port: a web page
 * that found its port could read and change the ledger (dynalite answers any Origin with
 * `Access-Control-Allow-Origin: *`). Only the edge, with its host and origin checks, reaches it.
 *
 * The process is supervised (support/supervisor.ts): if it dies it is started again on the same
 * LevelDB folder, which holds every write it acknowledged (a kill -9 loses none:
 * test/local/dynamodb/dynalite-process.test.ts). Requests that arrive meanwhile wait for it, up to
 * RESTART_WAIT_MS; a request in flight when it died is answered 503 ServiceUnavailableException,
 * which SDKs retry (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
 * Useful work, for the crash-loop count, is an answered request.
 */

import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild } from '../support/child-process';
import { superviseChild, type RestartPolicy, type SupervisionStatus } from '../support/supervisor';
import { ownedBy, ownedTempFolder, removeOrphanedTempFolders } from '../support/temp-folders';
import { describeError } from '../../core/errors';

export interface DynamoProcess {
  /** Forwards one request whose body the edge has read (its checks need it whole). */
  forward(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void>;
  status(): SupervisionStatus;
  close(): Promise<void>;
}

export const DYNALITE_NAME = 'DynamoDB (dynalite)';
/** The socket folders of dynalite processes, `rs-dynalite-<owner pid>-<random>`, in the system temp folder. */
export const SOCKET_FOLDERS = ownedBy('rs-dynalite-');
export const DEFAULT_RESTART_POLICY: RestartPolicy = { firstDelayMs: 250, maxDelayMs: 10_000, maxCrashesInARow: 5 };
/** How long a request waits for a restarting dynalite before it is answered 503. */
export const RESTART_WAIT_MS = 30_000;

const JSON_TYPE = 'application/x-amz-json-1.0';

export const dynamoError = (type: string, message: string): string =>
  JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });

const unavailable = (res: ServerResponse, message: string): void => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(503, { 'content-type': JSON_TYPE });
  res.end(dynamoError('ServiceUnavailableException', `local DynamoDB: ${message}`));
};

/** `program`: the bundled dynalite-main.ts (localBundle(projectRoot, 'dynalite')). */
export const startDynamoProcess = async (
  program: string,
  dataDir: string,
  log: (message: string, fields?: Record<string, unknown>) => void,
  { policy = DEFAULT_RESTART_POLICY, restartWaitMs = RESTART_WAIT_MS }: { policy?: RestartPolicy; restartWaitMs?: number } = {},
): Promise<DynamoProcess> => {
  // A socket path must fit sockaddr_un (108 bytes on Linux), so it lives in a short private folder.
  const socketDir = ownedTempFolder('rs-dynalite-');
  const socketPath = join(socketDir, 'dynamodb.sock');
  // One connection pool per process: sockets to a dead one are dropped with it.
  let agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let supervised;
  try {
    supervised = await superviseChild({
      name: DYNALITE_NAME,
      start: () =>
        startChild([program], {
          description: 'dynalite',
          env: { PATH: process.env.PATH ?? '', DYNALITE_DIR: dataDir, DYNALITE_SOCKET: socketPath },
        }),
      policy,
      log,
      onStart: () => {
        agent.destroy();
        agent = new Agent({ keepAlive: true, maxSockets: 256 });
      },
    });
  } catch (error) {
    rmSync(socketDir, { recursive: true, force: true });
    throw error;
  }
  const dynalite = supervised;

  const forward = async (req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> => {
    try {
      await dynalite.running(restartWaitMs);
    } catch (error) {
      unavailable(res, describeError(error));
      return;
    }
    if (res.destroyed) return; // the client gave up while dynalite restarted
    const headers = { ...req.headers, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const upstream = request({ socketPath, method: req.method, path: req.url, headers, agent }, (reply) => {
      dynalite.healthy();
      // No CORS headers: SDKs need none, and a wildcard would let any web page read the ledger.
      const replyHeaders = Object.fromEntries(Object.entries(reply.headers).filter(([name]) => !name.startsWith('access-control-')));
      res.writeHead(reply.statusCode ?? 502, replyHeaders);
      reply.pipe(res);
    });
    // A client that goes away before its answer takes its dynalite request with it.
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('error', (error) => {
      if (!res.destroyed) unavailable(res, error.message);
    });
    upstream.end(body);
  };

  return {
    forward,
    status: () => dynalite.status(),
    close: async () => {
      await dynalite.stop();
      agent.destroy();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
};

/** Socket folders of earlier versions, `rs-dynalite-<random>`, named without their owner's pid. */
const LEGACY_SOCKET_FOLDER = /^rs-dynalite-[A-Za-z0-9]{6}$/;
/** A folder younger than this may belong to a dynalite still starting; it is left for a later start. */
const LEGACY_MIN_AGE_MS = 60_000;

/** Whether a Unix socket refuses connections (nothing listens on it any more). */
const refuses = (socketPath: string): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' || error.code === 'ENOENT'));
  });

/**
 * Removes the socket folders of dynalite processes that are gone: those named after a pid that no
 * longer runs, and those of earlier versions (no pid in the name) whose socket nobody listens on.
 */
export const removeOrphanedSocketFolders = async (root = tmpdir()): Promise<string[]> => {
  const removed = removeOrphanedTempFolders([SOCKET_FOLDERS], { root });
  for (const name of readdirSync(root).filter((n) => LEGACY_SOCKET_FOLDER.test(n))) {
    const folder = join(root, name);
    try {
      if (Date.now() - statSync(folder).mtimeMs < LEGACY_MIN_AGE_MS) continue;
      if (!(await refuses(join(folder, 'dynamodb.sock')))) continue;
      rmSync(folder, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Gone meanwhile, or another user's: leave it.
    }
  }
  return removed;
};
