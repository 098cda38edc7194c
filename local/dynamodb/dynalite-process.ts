/**
 * dynalite in a process of its own: it gets its own event loop and thread pool, so DynamoDB work
 * does not queue behind S3 and the endpoint in the edge's process (measured with bench:burst).
 * It listens on a Unix socket in a folder only this user can enter, not on a TCP port: a web page
 * that found its port could read and change the ledger (dynalite answers any Origin with
 * `Access-Control-Allow-Origin: *`). Only the edge, with its host and origin checks, reaches it.
 */

import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild } from '../support/child-process';

export interface DynamoProcess {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

/** `program`: the bundled dynalite-main.ts (localBundle(projectRoot, 'dynalite')). */
export const startDynamoProcess = async (
  program: string,
  dataDir: string,
  log: (message: string, fields?: Record<string, unknown>) => void,
): Promise<DynamoProcess> => {
  // A socket path must fit sockaddr_un (108 bytes on Linux), so it lives in a short private folder.
  const socketDir = mkdtempSync(join(tmpdir(), 'rs-dynalite-'));
  const socketPath = join(socketDir, 'dynamodb.sock');
  let closing = false;
  const { child, exited } = await startChild([program], {
    description: 'dynalite',
    env: { PATH: process.env.PATH ?? '', DYNALITE_DIR: dataDir, DYNALITE_SOCKET: socketPath },
  });
  void exited.then((code) => {
    if (!closing) log('dynalite process exited', { code });
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });

  return {
    handle: (req, res) => {
      const upstream = request({ socketPath, method: req.method, path: req.url, headers: req.headers, agent }, (reply) => {
        // No CORS headers: SDKs need none, and a wildcard would let any web page read the ledger.
        const headers = Object.fromEntries(Object.entries(reply.headers).filter(([name]) => !name.startsWith('access-control-')));
        res.writeHead(reply.statusCode ?? 502, headers);
        reply.pipe(res);
      });
      upstream.on('error', (error) => {
        if (!res.headersSent) res.writeHead(503, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailableException',
            message: `local DynamoDB: ${error.message}`,
          }),
        );
      });
      req.pipe(upstream);
    },
    close: async () => {
      closing = true;
      agent.destroy();
      child.kill('SIGTERM');
      await exited;
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
};
