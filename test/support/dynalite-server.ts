import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

export interface DynaliteServer {
  server: Server;
  /** A DynamoDB client on it (dynalite takes any credentials). */
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/**
 * dynalite in this process on a free loopback port, tables ACTIVE at once, in memory or in `path`
 * (LevelDB). In the process, so a test can wrap dynalite's own modules first (table-cache.ts,
 * write-batches.ts, expression-cache.ts do it in the local cloud's dynalite process).
 */
export const startDynalite = async ({ path }: { path?: string } = {}): Promise<DynaliteServer> => {
  const server: Server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    server,
    client,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
