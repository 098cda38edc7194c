/**
 * A local HTTP server that records every request, for proving a reader fetches nothing: documents
 * point their stylesheets, scripts, images and DTDs at it, then the test asks it for a barrier path
 * and checks that the barrier is all it saw.
 */

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingServer {
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /** Requests the barrier path and returns every path seen before and including it. */
  barrier: () => Promise<string[]>;
  close: () => Promise<void>;
}

export const startRecordingServer = async (): Promise<RecordingServer> => {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.end('<!ENTITY fetched "FETCHED">');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    barrier: async () => {
      await (await fetch(`${url}/barrier`)).text();
      return [...requests];
    },
    close: async () => {
      server.close();
      server.closeAllConnections(); // fetch keeps its connection alive
      await once(server, 'close');
    },
  };
};
