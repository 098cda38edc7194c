import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, createServer as createSocketServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { localBundle } from '../../../local/bundles';
import { dynamoRoute } from '../../../local/dynamodb/start-local-dynamo';
import { removeOrphanedSocketFolders, startDynamoProcess, type DynamoProcess } from '../../../local/dynamodb/dynalite-process';
import { FaultInjector } from '../../../local/edge/faults';
import type { RestartPolicy } from '../../../local/support/supervisor';
import { eventually } from '../../support/eventually';
import { projectRoot } from '../../support/local-cloud';

const TABLE = 'supervised';
const key = (i: number): Record<string, AttributeValue> => ({ pk: { S: `item-${String(i).padStart(4, '0')}` } });

/**
 * dynalite as the local cloud runs it: its own process on a Unix socket, supervised, behind the
 * edge's DynamoDB route (here on a plain loopback server), reached with the real SDK client.
 */
describe('DynamoDB in a supervised process of its own', () => {
  let dataDir: string;
  let dynalite: DynamoProcess | undefined;
  let server: Server | undefined;
  let client: DynamoDBClient | undefined;
  const logs: string[] = [];
  const clientOf = (maxAttempts?: number) =>
    new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(server?.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
      ...(maxAttempts ? { maxAttempts } : {}),
    });

  const start = async (policy?: RestartPolicy): Promise<DynamoDBClient> => {
    dynalite = await startDynamoProcess(localBundle(projectRoot, 'dynalite'), dataDir, (m) => logs.push(m), policy ? { policy } : {});
    const route = dynamoRoute(dynalite, new FaultInjector());
    server = createServer((req, res) => void route(req, res));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    client = clientOf();
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // dynalite answers CreateTable with CREATING and makes the table ACTIVE on a timer (createTableMs: 0)
    // and a store write after it; until then a PutItem gets ResourceNotFoundException, as DynamoDB's does
    // (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html).
    const db = client;
    await eventually(async () => (await db.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.TableStatus === 'ACTIVE', {
      what: `table ${TABLE} to be active`,
    });
    return client;
  };
  const pid = () => dynalite?.status().pid as number;
  const scanKeys = async (db: DynamoDBClient): Promise<string[]> => {
    const keys: string[] = [];
    let from: Record<string, AttributeValue> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true, ExclusiveStartKey: from }));
      keys.push(...(page.Items ?? []).map((item) => item.pk?.S as string));
      from = page.LastEvaluatedKey;
    } while (from);
    return keys.sort();
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'rs-dynalite-data-'));
    logs.length = 0;
  });
  afterEach(async () => {
    client?.destroy();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await dynalite?.close();
    dynalite = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('restarts after kill -9 mid-burst and keeps every write it acknowledged', async () => {
    // Prepare: 16 writers, as a burst of functions would write.
    const db = await start();
    const first = pid();
    const acknowledged = new Set<string>();
    let next = 0;
    const writer = async () => {
      while (next < 600) {
        const i = next++;
        // The SDK's standard retries carry a write over the restart, as they do a 5xx on AWS.
        await db.send(new PutItemCommand({ TableName: TABLE, Item: { ...key(i), n: { N: String(i) } } }));
        acknowledged.add(key(i).pk?.S as string);
      }
    };
    const writing = Promise.all(Array.from({ length: 16 }, writer));

    // Act: kill -9 once a third is in.
    await eventually(async () => acknowledged.size >= 200, { timeoutMs: 60_000, everyMs: 5, what: '200 writes' });
    process.kill(first, 'SIGKILL');
    await writing;

    // Assess
    expect(acknowledged.size).toBe(600);
    expect(await scanKeys(db)).toEqual([...acknowledged].sort());
    expect(dynalite?.status()).toMatchObject({ state: 'running', restarts: 1, lastExit: { signal: 'SIGKILL' } });
    expect(pid()).not.toBe(first);
  }, 120_000);

  it('holds requests that arrive while it restarts, instead of failing them', async () => {
    // Prepare: a restart delay long enough to send a request into it.
    const db = await start({ firstDelayMs: 1_000, maxDelayMs: 1_000, maxCrashesInARow: 5 });
    await db.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: [1, 2, 3].map((i) => ({ PutRequest: { Item: key(i) } })) } }));
    const noRetries = clientOf(1);

    // Act
    process.kill(pid(), 'SIGKILL');
    await eventually(async () => dynalite?.status().state === 'restarting', {
      timeoutMs: 10_000,
      everyMs: 5,
      what: 'the restart to begin',
    });
    const tables = await noRetries.send(new ListTablesCommand({}));

    // Assess
    expect(tables.TableNames).toEqual([TABLE]);
    expect(await scanKeys(noRetries)).toEqual(['item-0001', 'item-0002', 'item-0003']);
    noRetries.destroy();
  }, 60_000);

  it('answers 503 with the reason once it has given up on a crash loop', async () => {
    // Prepare: give up on the first crash.
    const db = await start({ firstDelayMs: 10, maxDelayMs: 10, maxCrashesInARow: 1 });
    const exited = pid();

    // Act
    process.kill(exited, 'SIGKILL');
    await eventually(async () => dynalite?.status().state === 'failed', { timeoutMs: 10_000, what: 'the supervisor to give up' });
    const reply = db.send(new ListTablesCommand({}));

    // Assess
    await expect(reply).rejects.toMatchObject({
      name: 'ServiceUnavailableException',
      message: expect.stringMatching(/DynamoDB \(dynalite\) crashed 1 times in a row .*not restarted again/),
    });
    expect(dynalite?.status()).toMatchObject({ state: 'failed', restarts: 0 });
    expect(logs).toContain('DynamoDB (dynalite) is in a crash loop; not restarting it');
  }, 60_000);

  it('survives a client that disconnects mid-body, straight at its socket (no restart)', async () => {
    // Prepare
    const db = await start();
    const before = pid();
    const socketPath = socketOf(before);

    // Act: a PutItem that promises 1,000 bytes, sends 10 and goes away; then ordinary requests.
    await new Promise<void>((resolve, reject) => {
      const socket = connect(socketPath, () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 1000\r\n\r\n{"TableNa',
          () => {
            socket.destroy();
            resolve();
          },
        );
      });
      socket.once('error', reject);
    });
    for (let i = 0; i < 20; i++) await db.send(new PutItemCommand({ TableName: TABLE, Item: key(i) }));

    // Assess
    expect(dynalite?.status()).toMatchObject({ state: 'running', pid: before, restarts: 0 });
    expect(dynalite?.status().lastExit).toBeUndefined();
  }, 60_000);

  it('keeps answering after more clients disconnect mid-body at the edge than it has connections to dynalite', async () => {
    // Prepare
    const db = await start();
    const port = (server?.address() as AddressInfo).port;

    // Act: 300 abandoned bodies, more than the edge's 256 connections to dynalite.
    for (let i = 0; i < 300; i++) {
      await new Promise<void>((resolve) => {
        const req = request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/',
          agent: false,
          headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem', 'content-type': 'application/x-amz-json-1.0', 'content-length': 1000 },
        });
        req.on('error', () => undefined);
        req.write('{"TableName":', () => {
          req.destroy();
          resolve();
        });
      });
    }
    const listed = await db.send(new ListTablesCommand({}));

    // Assess: answered at once, by the same process.
    expect(listed.TableNames).toEqual([TABLE]);
    expect(dynalite?.status()).toMatchObject({ state: 'running', restarts: 0 });
  }, 60_000);
});

describe("dynalite's socket folders in the system temp folder", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rs-socket-root-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('are removed when the process stops', async () => {
    const mine = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`rs-dynalite-${process.pid}-`));
    const dataDir = mkdtempSync(join(tmpdir(), 'rs-dynalite-data-'));
    const dynalite = await startDynamoProcess(localBundle(projectRoot, 'dynalite'), dataDir, () => undefined);
    const whileRunning = mine();

    await dynalite.close();

    expect(whileRunning).toHaveLength(1);
    expect(mine()).toEqual([]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("are removed on a later start when their owner is gone, earlier versions' too, never a live one's", async () => {
    // Prepare: this version's (named after a pid) and an earlier version's (a socket nobody listens
    // on, an hour old), kept beside a live dynalite's socket and a folder just made.
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    const folder = (name: string) => {
      mkdirSync(join(root, name));
      return join(root, name, 'dynamodb.sock');
    };
    const listening = async (socketPath: string) => {
      const server = createSocketServer();
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      return server;
    };
    const stale = await listening(folder('rs-dynalite-Ab12Cd'));
    await new Promise<void>((resolve) => stale.close(() => resolve()));
    await listening(folder('rs-dynalite-Xx99Yy')).then((server) => server.close()); // closed, but too young
    const live = await listening(folder('rs-dynalite-Lv00Ee'));
    folder(`rs-dynalite-${dead}-Qq11Ww`);
    folder(`rs-dynalite-${process.pid}-Mm22Nn`);
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const name of ['rs-dynalite-Ab12Cd', 'rs-dynalite-Lv00Ee']) utimesSync(join(root, name), hourAgo, hourAgo);

    // Act
    const removed = await removeOrphanedSocketFolders(root);
    live.close();

    // Assess
    expect(removed.sort()).toEqual([`rs-dynalite-${dead}-Qq11Ww`, 'rs-dynalite-Ab12Cd'].sort());
    expect(existsSync(join(root, 'rs-dynalite-Lv00Ee'))).toBe(true);
    expect(readdirSync(root).sort()).toEqual(['rs-dynalite-Lv00Ee', `rs-dynalite-${process.pid}-Mm22Nn`, 'rs-dynalite-Xx99Yy'].sort());
  });
});

/** The Unix socket a dynalite process listens on, from its environment (Linux /proc). */
const socketOf = (pid: number): string => {
  const entry = readFileSync(`/proc/${pid}/environ`, 'utf-8')
    .split('\0')
    .find((e) => e.startsWith('DYNALITE_SOCKET='));
  return (entry ?? '').slice('DYNALITE_SOCKET='.length);
};
