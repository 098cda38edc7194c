import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ModelInstance } from '../../../local/sagemaker-async/types';

/** One POST /invocations as a fake model saw it. */
export interface ModelCall {
  instanceId: string;
  /** 1-based, across all instances. */
  n: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What a fake model does with one call. */
export interface ModelAnswer {
  status?: number;
  body?: string | Buffer;
  contentType?: string;
  delayMs?: number;
  /** The process "dies": the connection is reset and the server stops listening. */
  crash?: boolean;
}

export type ModelScript = (call: ModelCall) => ModelAnswer;

export const echo: ModelScript = (call) => ({ status: 200, contentType: 'application/json', body: call.body });

/**
 * Small in-test model servers honouring the SageMaker hosting contract (GET /ping, POST
 * /invocations) with scripted latency and status. `launch` is the endpoint's launchInstance.
 * Measures how many invocations run at once, overall and per instance.
 */
export class FakeModels {
  readonly calls: ModelCall[] = [];
  readonly launched: string[] = [];
  readonly stopped: string[] = [];
  maxConcurrent = 0;
  readonly maxConcurrentPerInstance = new Map<string, number>();
  private current = 0;
  private readonly currentPerInstance = new Map<string, number>();
  private readonly servers = new Map<string, { server: Server; sockets: Set<Socket> }>();

  constructor(public script: ModelScript = echo) {}

  launch = async (instanceId: string): Promise<ModelInstance> => {
    this.launched.push(instanceId);
    const sockets = new Set<Socket>();
    const server = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/ping') {
        res.writeHead(200).end();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const call: ModelCall = { instanceId, n: this.calls.length + 1, headers: req.headers, body: Buffer.concat(chunks) };
        this.calls.push(call);
        this.enter(instanceId);
        const answer = this.script(call);
        const timer = setTimeout(() => {
          this.leave(instanceId);
          if (answer.crash) {
            this.kill(instanceId);
            return;
          }
          const body = answer.body ?? '';
          res.writeHead(answer.status ?? 200, answer.contentType ? { 'content-type': answer.contentType } : {});
          res.end(body);
        }, answer.delayMs ?? 0);
        res.on('close', () => {
          if (!res.writableEnded) {
            clearTimeout(timer);
            this.leave(instanceId);
          }
        });
      });
    });
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.servers.set(instanceId, { server, sockets });
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      stop: async () => {
        this.stopped.push(instanceId);
        this.kill(instanceId);
      },
    };
  };

  /** Stops every server still listening. */
  async closeAll(): Promise<void> {
    for (const id of [...this.servers.keys()]) this.kill(id);
  }

  private kill(instanceId: string): void {
    const entry = this.servers.get(instanceId);
    if (!entry) return;
    this.servers.delete(instanceId);
    entry.server.close();
    for (const socket of entry.sockets) socket.destroy();
  }

  private enter(instanceId: string): void {
    this.current++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.current);
    const mine = (this.currentPerInstance.get(instanceId) ?? 0) + 1;
    this.currentPerInstance.set(instanceId, mine);
    this.maxConcurrentPerInstance.set(instanceId, Math.max(this.maxConcurrentPerInstance.get(instanceId) ?? 0, mine));
  }

  private leave(instanceId: string): void {
    this.current--;
    this.currentPerInstance.set(instanceId, (this.currentPerInstance.get(instanceId) ?? 1) - 1);
  }
}
